"""RIS (.ris): references from any RIS export, each record's tags parsed by rispy.

rispy parses a whole file and silently drops a record without ``ER`` or merges it into the
next one, so the text is split into records here (``TY`` opens one, ``ER`` closes it, using
rispy's own tag recognition) and each record is parsed on its own: a broken record is rejected
with its number and line while the others load. CR, LF and CRLF line endings may be mixed.

Authors are ``AU`` and ``A1``; ``A2``-``A4`` (editors, series editors, translators in the RIS
specification) and ``ED`` are not authors of the work and are left out.

The abstract is ``AB``, else ``N2``. The publication date is ``DA``, else ``PY``, else ``Y1``,
in the RIS form ``2022/04/29/``, ``2022/04//`` (month at least, in the paper's year);
free-text dates such as IEEE's ``Y1  - 24-27 Sept. 2019`` are not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import rispy

from explorer.names import fold
from explorer.records import AuthorRef, TopicRef, Work

from .base import (
    Rejected,
    decode_text,
    doi_id,
    keyword_topics,
    name_id,
    open_binary,
    title_id,
    unreadable_file_errors,
)
from .paper_details import in_year, iso_date, plain_abstract

_PARSER = rispy.RisParser()
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_PLACEHOLDERS = frozenset({"anon", "anonymous"})


def _lines(handle: BinaryIO) -> Iterator[str]:
    """Decoded lines, each CR, LF or CRLF a break; a line that is not UTF-8 is read as Latin-1."""
    first = True
    for chunk in handle:
        for raw in chunk.splitlines():
            line = decode_text(raw, bom=first)
            first = False
            yield line


def _text(entry: dict[str, Any], *keys: str) -> str:
    """The first non-empty value among rispy keys, whitespace collapsed."""
    for key in keys:
        value = entry.get(key)
        if isinstance(value, list):
            value = value[0] if value else ""
        value = " ".join(str(value or "").split())
        if value:
            return value
    return ""


def _author(raw: str) -> AuthorRef | None:
    """'Family, Given[, Suffix]' -> 'Given Family Suffix' with family and given filled;
    names without a comma ('G. Kalbe') stay as written."""
    name = " ".join(raw.split())
    if not fold(name) or fold(name) in _PLACEHOLDERS:
        return None
    family, comma, rest = name.partition(",")
    if not comma or not family.strip():
        return AuthorRef(name_id(name), name)
    given, _, suffix = (part.strip() for part in rest.partition(","))
    display = " ".join(p for p in (given, family.strip(), suffix) if p)
    return AuthorRef(name_id(display), display, family=family.strip(), given=given or None)


def _authors(entry: dict[str, Any]) -> tuple[AuthorRef, ...]:
    """AU then A1 in byline order, each person once (exports repeat names, e.g. IEEE)."""
    found: dict[str, AuthorRef] = {}
    for raw in [*entry.get("authors", []), *entry.get("first_authors", [])]:
        author = _author(raw)
        if author and author.id not in found:
            found[author.id] = author
    return tuple(found.values())


def _topics(entry: dict[str, Any]) -> tuple[TopicRef, ...]:
    """KW lines (several keywords on one line split at ';'), each folded keyword once."""
    return keyword_topics(word for line in entry.get("keywords", [])
                          for word in str(line).split(";"))


def _date(entry: dict[str, Any], year: int | None) -> str | None:
    """DA, else PY, else Y1 ('2022/04/29/', '2022/04//'), the first in the paper's year."""
    return in_year(year, *(iso_date(_text(entry, key))
                           for key in ("date", "year", "publication_year")))


def _abstract(entry: dict[str, Any]) -> str | None:
    """AB, else N2 (older exports), as plain text (IEEE's carry markup such as
    ``<inline-formula>``)."""
    for key in ("abstract", "notes_abstract"):
        found = plain_abstract(entry.get(key))  # rispy keeps one AB (or N2) line
        if found:
            return found
    return None


def to_work(entry: dict[str, Any]) -> Work | str:
    """A work from one rispy entry, or the reason it cannot be one."""
    title = _text(entry, "title", "primary_title")
    if not title:
        return "no title (TI or T1)"
    year_match = _YEAR.search(_text(entry, "year", "publication_year", "date"))
    year = int(year_match.group(1)) if year_match else None
    paper_doi = doi_id(_text(entry, "doi"))
    return Work(
        id=paper_doi or title_id(title, year), title=title, year=year,
        doi=paper_doi[len("doi:"):] if paper_doi else None,
        venue=_text(entry, "journal_name", "secondary_title", "alternate_title3") or None,
        type=_text(entry, "type_of_reference") or None, source="ris",
        authors=_authors(entry), topics=_topics(entry),
        publication_date=_date(entry, year), abstract=_abstract(entry),
    )


def _parse(lines: list[str]) -> Work | str:
    """One record's lines (TY first, without ER) through rispy."""
    try:
        entries = rispy.loads("\n".join(lines) + "\nER  - ")
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        return f"rispy could not parse the record ({type(exc).__name__}: {exc})"
    if len(entries) != 1:
        return "rispy found no record in it"
    return to_work(entries[0])


def _record(file: str, number: int, start: int, lines: list[str],
            problem: str | None) -> Work | Rejected:
    result = _parse(lines) if problem is None else problem
    return Rejected(file, f"record {number} (line {start})", result) \
        if isinstance(result, str) else result


def _split(path: Path, lines: Iterable[str]) -> Iterator[Work | Rejected]:
    """Records between TY and ER; tag lines outside a record make a record without TY."""
    file, number, start = str(path), 0, 0
    chunk: list[str] = []
    opened_by_ty = any_text = any_record = False
    held: list[Work | Rejected] = []  # not yet yielded: before any TY, is the file RIS at all?
    no_ty = "tags outside a record: no TY line"
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        any_text = True
        tag, _ = _PARSER.parse_line(line)
        if tag == "TY":
            if chunk:
                problem = f"no ER line before the next record (line {line_number})"
                held.append(_record(file, number, start, chunk,
                                    problem if opened_by_ty else no_ty))
            any_record = True
            number, start, chunk, opened_by_ty = number + 1, line_number, [line], True
        elif tag == "ER":
            if chunk:
                held.append(_record(file, number, start, chunk, None if opened_by_ty else no_ty))
            chunk = []
        elif chunk:
            chunk.append(line)
        elif tag is not None:  # a tag after ER without TY; plain text (export headers) is skipped
            number, start, chunk, opened_by_ty = number + 1, line_number, [line], False
        if any_record and held:
            yield from held
            held.clear()
    if chunk:
        problem = "no ER line: the file ends inside the record (truncated?)"
        held.append(_record(file, number, start, chunk, problem if opened_by_ty else no_ty))
    if any_record:
        yield from held
    else:
        yield Rejected(file, "file", "no RIS records ('TY  - ' lines): wrong format?"
                       if any_text else "the file is empty")


def read(path: Path) -> Iterator[Work | Rejected]:
    with unreadable_file_errors(path, streamed=True), open_binary(path) as handle:
        yield from _split(path, _lines(handle))
