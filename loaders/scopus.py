"""Scopus CSV exports, with the older header (no author ids) or the newer ones
(``Author(s) ID``, ``Author full names``), read row by row with the csv module.

A row may span lines (quoted newlines), so a rejected row is named by its record number and the
line it starts on. Scopus widens the export by one ``Funding Text n`` column per extra funding
text; a row with more columns than its header is realigned only that way, and only when its EID
then lands in the EID column; any other column count is rejected.

The abstract is the ``Abstract`` column as plain text (Scopus marks sub- and superscripts
``<inf>``, ``<sup>``) without the publisher's copyright notice Scopus appends to it ("… ©
2005 Wiley Periodicals, Inc."); ``[No abstract available]`` is none. The export gives no
month, so there is no publication date beside the year.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from explorer.names import fold
from explorer.records import AuthorRef, InstitutionRef, Work

from .base import (
    Rejected,
    decode_text,
    doi_id,
    institution_from_text,
    keyword_topics,
    name_id,
    open_binary,
    title_id,
    unreadable_file_errors,
)
from .paper_details import plain_abstract

_FIELD_LIMIT = 1 << 26  # reference lists of big reviews exceed csv's default 128 KiB per field
_EID = re.compile(r"2-s2\.0-\d+")
_INITIALS = re.compile(r"(?:[A-Z][a-z]?\.-?)+")  # 'J.', 'J.C.', 'J.-C.', 'Ch.'
_FULL_NAME = re.compile(r"(?P<name>.*?)\s*\((?P<id>\d+)\)")  # 'Phillips, James C. (5720213)'
_PLACEHOLDERS = frozenset({"no author name available", "anon"})
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})  # 'Pope III, C.A.': family is 'Pope'
_NO_ABSTRACT = "[no abstract available]"
_COPYRIGHT = re.compile(r"(?<=[.!?)\]\"'\u201d\u2019])\s+(?:Copyright:?\s+)?©(?:\s*Copyright\s*©)?"
                        r"[^©]{0,400}$")
"""The copyright notice at the end of an abstract, after its last sentence: '. © 2017 IEEE.',
'. © The Author 2007. Published by Oxford University Press. All rights reserved.', '© Copyright
©2014 by Annual Reviews.', PLOS's 'Copyright: © 2013 Smith et al. This is an open-access
article…'."""

Record = dict[str, str]


def _lines(handle: BinaryIO) -> Iterator[str]:
    """Decoded lines with their endings; a line that is not UTF-8 is read as Latin-1."""
    first = True
    for raw in handle:
        yield decode_text(raw, bom=first)
        first = False


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _items(value: str | None, separator: str = ";") -> list[str]:
    return [item for item in (_clean(part) for part in (value or "").split(separator)) if item]


def _is_scopus(header: list[str]) -> bool:
    return {"Authors", "Title"} <= set(header) and bool({"EID", "Source title"} & set(header))


def _with_funding_texts(header: list[str], extra: int) -> list[str] | None:
    """The header with ``extra`` more 'Funding Text n' columns after the last one."""
    funding = [i for i, name in enumerate(header) if name.startswith("Funding Text")]
    if extra <= 0 or not funding or "EID" not in header:
        return None
    last = funding[-1]
    count = len(funding)
    added = [f"Funding Text {count + i}" for i in range(1, extra + 1)]
    return header[: last + 1] + added + header[last + 1:]


def _aligned(header: list[str], row: list[str]) -> Record | str:
    """The row by column name, or why its columns do not fit the header."""
    if len(row) == len(header):
        return dict(zip(header, row, strict=True))
    widened = _with_funding_texts(header, len(row) - len(header))
    if widened and _EID.fullmatch(row[widened.index("EID")].strip()):
        return dict(zip(widened, row, strict=True))
    return f"{len(row)} columns where the header has {len(header)}"


def _display(raw: str) -> str:
    """'Van Der Spoel D.' -> 'D. Van Der Spoel' (Scopus writes initials last)."""
    words = raw.split()
    keep = len(words)
    while keep > 1 and _INITIALS.fullmatch(words[keep - 1]):
        keep -= 1
    return " ".join(words[keep:] + words[:keep])


def _full_name(item: str) -> tuple[str | None, str | None, str, str]:
    """'Phillips, James C. (57202138757)' -> (family, given, name as written, Scopus id);
    a name without a comma (a group) has no family or given."""
    match = _FULL_NAME.fullmatch(item)
    name, scopus_id = (match["name"], match["id"]) if match else (item, "")
    family, comma, given = (part.strip() for part in name.partition(","))
    if comma and family:
        return family, given or None, name, scopus_id
    return None, None, name, scopus_id


def _display_parts(family: str, given: str | None) -> tuple[str, str]:
    """(family without a generational suffix, display name 'Given Family Suffix')."""
    words = family.split()
    suffix: list[str] = []
    while len(words) > 1 and fold(words[-1]) in _SUFFIXES:
        suffix.insert(0, words.pop())
    return " ".join(words), " ".join(p for p in (given, *words, *suffix) if p)


def _name_in_entry(raw: str, entry: str) -> tuple[str | None, str | None, str] | None:
    """Split an 'Authors with affiliations' entry ('Phillips, J.C., Beckman Institute, ...' or
    'Phillips J.C., Beckman ...') into (family, given, affiliation text) for author ``raw``."""
    words = raw.split()
    for cut in range(1, len(words)):
        family, given = " ".join(words[:cut]), " ".join(words[cut:])
        head = f"{family}, {given}"
        if entry == head or entry.startswith(head + ", "):
            return family, given, entry[len(head) + 2:]
    if entry == raw or entry.startswith(raw + ", "):
        return None, None, entry[len(raw) + 2:]
    return None


def _split_affiliations(text: str, known: list[str]) -> list[str]:
    """'A, B' -> ['A', 'B'] when the text joins affiliations of the record's Affiliations
    column (an author with several affiliations); else the text as one affiliation."""
    memo: dict[int, list[str] | None] = {}

    def joined_from(start: int) -> list[str] | None:
        if start not in memo:
            memo[start] = None
            for name in known:
                end = start + len(name)
                if not text.startswith(name, start):
                    continue
                if end == len(text):
                    memo[start] = [name]
                    break
                rest = joined_from(end + 2) if text.startswith(", ", end) else None
                if rest is not None:
                    memo[start] = [name, *rest]
                    break
        return memo[start]

    if not text:
        return []
    return [text] if text in known else joined_from(0) or [text]


def _institutions(texts: Iterable[str]) -> tuple[InstitutionRef, ...]:
    found = {i.id: i for i in map(institution_from_text, texts) if i}
    return tuple(found.values())


def _authors(record: Record) -> tuple[AuthorRef, ...]:
    """Byline order; ids, full names and affiliations are used only when they align."""
    authors_text = record.get("Authors") or ""
    names = _items(authors_text, ";" if ";" in authors_text else ",")
    count = len(names)
    ids = [i if i.isdigit() else "" for i in _items(record.get("Author(s) ID"))]
    full = [_full_name(item) for item in _items(record.get("Author full names"))]
    entries = _items(record.get("Authors with affiliations"))
    known = _items(record.get("Affiliations"))
    found: dict[str, AuthorRef] = {}
    for index, raw in enumerate(names):
        if not fold(raw) or fold(raw) in _PLACEHOLDERS:
            continue
        family = given = None
        display, scopus_id = _display(raw), ids[index] if len(ids) == count else ""
        institutions: tuple[InstitutionRef, ...] = ()
        split = _name_in_entry(raw, entries[index]) if len(entries) == count else None
        if split:
            family, given, affiliation = split
            institutions = _institutions(_split_affiliations(affiliation, known))
        elif not entries and count == 1:
            institutions = _institutions(known)
        if len(full) == count:
            family, given, written, full_id = full[index]
            scopus_id = scopus_id or full_id
            display = display if family else written
        if family:
            family, display = _display_parts(family, given)
        author_id = f"scopus:{scopus_id}" if scopus_id else name_id(display)
        if author_id not in found:
            found[author_id] = AuthorRef(author_id, display, None, institutions, family, given)
    return tuple(found.values())


def _abstract(text: str | None) -> str | None:
    """The abstract without Scopus's placeholder and the copyright notices that end it (two
    in a row, at times)."""
    if not text or text.strip().lower() == _NO_ABSTRACT:
        return None
    abstract = plain_abstract(text)
    while abstract and (shorter := _COPYRIGHT.sub("", abstract)) != abstract:
        abstract = shorter
    return abstract or None


def to_work(record: Record) -> Work | str:
    """A work from one row (by column name), or the reason it cannot be one."""
    title = _clean(record.get("Title"))
    if not title or title.lower() == "[no title available]":
        return "no title"
    year_text = _clean(record.get("Year"))
    year = int(year_text) if len(year_text) == 4 and year_text.isdigit() else None
    paper_doi = doi_id(_clean(record.get("DOI")))
    eid = _clean(record.get("EID"))
    pmid = _clean(record.get("PubMed ID"))
    return Work(
        id=paper_doi or (f"scopus:{eid}" if eid else title_id(title, year)),
        title=title, year=year, doi=paper_doi[len("doi:"):] if paper_doi else None,
        pmid=pmid if pmid.isdigit() else None,
        venue=_clean(record.get("Source title")) or None,
        type=_clean(record.get("Document Type")) or None, source="scopus",
        authors=_authors(record), topics=keyword_topics(_items(record.get("Author Keywords"))),
        abstract=_abstract(record.get("Abstract")),
    )


def _rows(path: Path, lines: Iterable[str]) -> Iterator[Work | Rejected]:
    file, header, number, last_line = str(path), None, 0, 0
    reader = csv.reader(lines)
    try:
        for row in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip() for cell in row]
                if not _is_scopus(header):
                    yield Rejected(file, "file", f"line {first_line} is not a Scopus CSV header "
                                   "(Authors, Title, EID or Source title): wrong format?")
                    return
                continue
            number += 1
            where = f"record {number} (line {first_line})"
            record = _aligned(header, row)
            work = to_work(record) if isinstance(record, dict) else record
            yield Rejected(file, where, work) if isinstance(work, str) else work
    except csv.Error as exc:
        yield Rejected(file, f"record {number + 1} (line {last_line + 1})",
                       f"not readable as CSV ({exc}); the rest of the file is skipped")
    if header is None:
        yield Rejected(file, "file", "the file is empty")


def read(path: Path) -> Iterator[Work | Rejected]:
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with unreadable_file_errors(path, streamed=True), open_binary(path) as handle:
        yield from _rows(path, _lines(handle))
