"""OpenAlex works: snapshot JSON Lines, API pages (``{meta, results}``), single work objects,
or a JSON list of works; plain or ``.gz``. JSON Lines are streamed line by line."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work

from .base import Rejected, doi_id, name_id, open_binary, read_text, unreadable_file_errors
from .paper_details import in_year, inverted_abstract, iso_date

_PREFIXES = ("https://openalex.org/", "https://doi.org/", "https://orcid.org/",
             "https://pubmed.ncbi.nlm.nih.gov/")


def _short(url: str | None) -> str | None:
    """'https://openalex.org/W1' -> 'W1' (and likewise for DOI, ORCID and PubMed URLs)."""
    if not url:
        return None
    for prefix in _PREFIXES:
        if url.startswith(prefix):
            return url[len(prefix):].strip("/") or None
    return url


_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]")
_ROR = re.compile(r"https://ror\.org/0[a-z0-9]{6}\d{2}")


def orcid_field(short: str | None) -> str | None:
    """An ORCID iD ('0000-0002-1825-0097', from ``_short``), or None when the record holds
    something else there: it would become the author's id and the profile's link."""
    value = short.upper() if isinstance(short, str) else ""
    return value if _ORCID.fullmatch(value) else None


def ror_field(value: Any) -> str | None:
    """An institution's ROR URL ('https://ror.org/05dxps055'), or None for anything else
    (the institution page links it)."""
    return value if isinstance(value, str) and _ROR.fullmatch(value) else None


def text_field(value: Any) -> str | None:
    """A text field, or None when a record holds something else there (a number, a list):
    it is left out, as a missing one is, rather than stored as its repr."""
    return value if isinstance(value, str) else None


def score_field(value: Any) -> float | None:
    """A topic's score, or None when it is not a number."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else None


def _author(authorship: dict[str, Any]) -> AuthorRef | None:
    """ORCID first, then the OpenAlex id, then the name (real records have null ids)."""
    person = authorship.get("author") or {}
    name = person.get("display_name") or authorship.get("raw_author_name") or ""
    orcid = orcid_field(_short(person.get("orcid")))
    openalex = _short(person.get("id"))
    if orcid:
        author_id = f"orcid:{orcid}"
    elif openalex:
        author_id = f"openalex:{openalex}"
    elif name.strip():
        author_id = name_id(name)
    else:
        return None
    institutions = tuple(
        InstitutionRef(f"openalex:{_short(i['id'])}",
                       text_field(i.get("display_name")) or _short(i["id"]),
                       text_field(i.get("country_code")), ror_field(i.get("ror")))
        for i in authorship.get("institutions") or [] if i.get("id"))
    return AuthorRef(author_id, name.strip() or author_id, orcid, institutions)


def _topics(record: dict[str, Any]) -> tuple[TopicRef, ...]:
    """Topics, or the concepts that older records carry instead."""
    items = record.get("topics") or record.get("concepts") or []
    return tuple(TopicRef(f"openalex:{_short(t['id'])}", text_field(t.get("display_name")) or "",
                          score_field(t.get("score")))
                 for t in items if t.get("id"))


def details(record: dict[str, Any], year: int | None) -> tuple[str | None, str | None]:
    """The work's publication date (when its year is the work's year) and its abstract,
    which OpenAlex gives as an inverted index (word → positions). OpenAlex fills what it
    does not know with 1s: ``YYYY-01-01`` is a year alone, ``YYYY-MM-01`` a month."""
    date = in_year(year, iso_date(record.get("publication_date")))
    if date is not None and date.endswith("-01"):
        date = None if date.endswith("-01-01") else date[:7]
    return date, inverted_abstract(record.get("abstract_inverted_index"))


def to_work(record: Any) -> Work | str:
    """A work, or the reason the record cannot be one."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if not record.get("id"):
        return "no id"
    work_id = work_key(record["id"])
    if work_id is None:
        return not_a_work(record["id"])
    title = " ".join((record.get("title") or record.get("display_name") or "").split())
    if not title:
        return "no title"
    authors = tuple(a for a in map(_author, record.get("authorships") or []) if a)
    location = record.get("primary_location") or {}
    source = location.get("source") or record.get("host_venue") or {}
    ids = record.get("ids") or {}
    year = record.get("publication_year")
    year = year if isinstance(year, int) else None
    doi = _short(record.get("doi") or ids.get("doi"))
    date, abstract = details(record, year)
    return Work(  # the DOI first, so that the same paper from another source is one node
        id=doi_id(doi) or f"openalex:{work_id}", title=title, year=year,
        doi=doi.lower() if doi else None, pmid=_short(ids.get("pmid")),
        venue=text_field(source.get("display_name")), type=text_field(record.get("type")),
        source="openalex",
        authors=authors, topics=_topics(record), publication_date=date, abstract=abstract,
    )


_WORK_ID = re.compile(r"(?:https?://(?:api\.)?openalex\.org/(?:works/)?)?[Ww]([0-9]+)")


def work_key(raw_id: Any) -> str | None:
    """A work's OpenAlex id, 'W' and digits ('W2741809807', from the URL forms too), or None
    for anything else: authors' ids start with A, institutions' with I, sources' with S…"""
    found = _WORK_ID.fullmatch(raw_id.strip()) if isinstance(raw_id, str) else None
    return f"W{found[1]}" if found else None


def not_a_work(raw_id: Any) -> str:
    shown = str(raw_id).removeprefix("https://openalex.org/")[:40]
    return (f"not an OpenAlex work: its id {shown!r} is not a work's (W and digits;"
            " an author, institution or other entity, or another source's file?)")


def _record(path: Path, where: str, record: Any) -> Work | Rejected:
    work = to_work(record)
    return Rejected(str(path), where, work) if isinstance(work, str) else work


def read(path: Path) -> Iterator[Work | Rejected]:
    with unreadable_file_errors(path, streamed=True):
        with open_binary(path) as lines:
            head = read_head(lines)
            if is_json_lines_head(head):
                yield from _json_lines(path, itertools.chain(head, lines))
                return
        yield from _whole_document(path)


def read_head(lines: BinaryIO) -> list[bytes]:
    """The lines up to the second that is not blank (the file's start, to tell JSON Lines
    from one JSON document)."""
    head: list[bytes] = []
    for line in lines:
        head.append(line)
        if sum(1 for h in head if h.strip()) == 2:
            break
    return head


def is_json_lines_head(head: list[bytes]) -> bool:
    """JSON Lines when the first non-blank line is a JSON object on its own (not an API
    page), or, when that line is broken (cut, Latin-1), the second is: one bad first line
    does not make the file one document. A first line that opens a document ('[', '{')
    is one."""
    lines = [line for line in head if line.strip()]
    if not lines:
        return False
    first = _json_line(lines[0])
    if first is None and (len(lines) < 2 or lines[0].strip() in (b"[", b"{")):
        return False
    value = first if first is not None else _json_line(lines[1])
    return isinstance(value, dict) and "results" not in value


def _json_line(raw: bytes) -> Any:
    """A line's JSON value (UTF-8, else Latin-1: a line of another encoding among UTF-8
    ones), or None."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            return orjson.loads(raw.decode("latin-1").encode())
        except orjson.JSONDecodeError:
            return None


def _json_lines(path: Path, lines: Iterator[bytes]) -> Iterator[Work | Rejected]:
    """One work per line; a bad line is rejected with its number, the others load."""
    for line_number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:  # a line in Latin-1 among UTF-8 ones (mixed encodings)
                record = orjson.loads(raw.decode("latin-1").encode())
            except orjson.JSONDecodeError:
                yield Rejected(str(path), f"line {line_number}", f"not JSON ({exc})")
                continue
        yield _record(path, f"line {line_number}", record)


def _whole_document(path: Path) -> Iterator[Work | Rejected]:
    """An API page, a single work or a list of works, pretty-printed or not."""
    text = read_text(path)
    if not text.strip():
        yield Rejected(str(path), "file", "the file is empty")
        return
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        yield Rejected(str(path), "file", f"not OpenAlex JSON: {exc}")
        return
    if isinstance(document, dict) and isinstance(document.get("results"), list):
        records = document["results"]
    elif isinstance(document, list):
        records = document
    else:
        records = [document]
    for index, record in enumerate(records, start=1):
        yield _record(path, f"record {index}", record)
