"""Web of Science exports, plain or ``.gz``, told apart by their content and read line by line:
plain text (``FN``/``VR`` header, records of two-letter field tags closed by ``ER``) or
tab-delimited (a header row of the same tags; UTF-16, or UTF-8 with or without a BOM).

The abstract is ``AB`` as written. The publication date is ``PD`` ('APR 29', 'APR', 'JAN-FEB')
in the paper's year ``PY``; a season ('SPR') gives none. A record without ``PD`` takes the
month of its early access (``EA`` 'APR 2022') when that is in the paper's year."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from explorer.names import fold
from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work

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
from .paper_details import plain_abstract, publication_date

Fields = dict[str, list[str]]
"""One record: tag -> its values (plain text: one per line; tab-delimited: the one cell)."""

_USED = frozenset({"PT", "AU", "AF", "TI", "SO", "SE", "DT", "DE", "C1", "OI", "PY", "EY",
                   "DI", "PM", "UT", "AB", "PD", "EA"})
_TAG_LINE = re.compile(r"([A-Z][A-Z0-9])(?: (.*))?")
_TAG = re.compile(r"[A-Z][A-Z0-9]")
_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.IGNORECASE)
_YEAR = re.compile(r"\b(\d{4})\b")
_OUTSIDE_BRACKETS = re.compile(r";(?![^\[]*\])")
_CITED_REFERENCE = re.compile(r"[^,\[\]]{1,80}, (1[5-9]|20)\d\d, ")
"""'Abraham M., 1909, RC CIRC MAT PALERMO, V28, P1': a CR line that lost its tag."""


def read(path: Path) -> Iterator[Work | Rejected]:
    """Works from a plain-text or tab-delimited export; a bad record is rejected with its
    number and first line, the others load."""
    with unreadable_file_errors(path, streamed=True), open_binary(path) as handle:
        lines = _numbered_lines(handle)
        first = next(((n, text) for n, text in lines if text.strip()), None)
        if first is None:
            yield Rejected(str(path), "file", "the file is empty")
            return
        kind = _kind(first[1])
        if kind is None:
            yield Rejected(str(path), "file", f"the first line {first[1][:50]!r} is neither a "
                           "field line ('FN …', 'PT …') nor a tab-delimited header of field "
                           "tags: not a Web of Science export, wrong format?")
            return
        records = (_plain_records(chain([first], lines)) if kind == "plain"
                   else _tab_records(first[1], lines))
        found = False
        for where, record in records:
            found = True
            work = to_work(record) if isinstance(record, dict) else record
            yield Rejected(str(path), where, work) if isinstance(work, str) else work
        if not found:
            yield Rejected(str(path), "file", "the export holds no records")


def _numbered_lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """(line number, text) without line ends; UTF-16 by its BOM or its zero bytes, else UTF-8
    line by line with Latin-1 for the lines that are not UTF-8."""
    head = handle.peek(4)[:4]  # type: ignore[attr-defined]  # both openers are buffered
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head[:2]:
        encoding = ("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff")
                    else "utf-16-be" if head[:1] == b"\x00" else "utf-16-le")
        text = io.TextIOWrapper(handle, encoding=encoding, errors="replace", newline=None)
        for number, line in enumerate(text, start=1):
            yield number, line.removeprefix("\ufeff").rstrip("\n")
        return
    for number, raw in enumerate(handle, start=1):
        line = decode_text(raw)
        yield number, (line.removeprefix("\ufeff") if number == 1 else line).rstrip("\r\n")


def _kind(first: str) -> str | None:
    """'plain', 'tab' or None (not a Web of Science export)."""
    first = first.removeprefix("\ufeff")
    if "\t" in first:
        tags = [cell.strip() for cell in _cells(first) if cell.strip()]
        if len(tags) > 1 and all(_TAG.fullmatch(t) for t in tags) and {"PT", "TI"} & set(tags):
            return "tab"
        return None
    match = _TAG_LINE.fullmatch(first.rstrip())
    return "plain" if match and match.group(1) in ("FN", "VR", "PT") else None


def _cells(line: str) -> list[str]:
    return next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE), [])


def _plain_records(lines: Iterable[tuple[int, str]]) -> Iterator[tuple[str, Fields | str]]:
    """(locator, fields or the reason the record is bad) per record; a record runs from its
    first tag line to ``ER``; lines of three spaces continue the previous tag."""
    number, start, tag = 0, 0, ""
    fields: Fields | None = None
    problem: str | None = None
    for line_number, text in lines:
        if not text.strip():
            continue
        if text[0] == " ":
            if fields is not None and tag in _USED:
                fields[tag].append(text.strip())
            continue
        match = _TAG_LINE.fullmatch(text.rstrip())
        if match is None:
            tag = ""
            if fields is None:
                yield f"line {line_number}", "text outside any record (not a field line)"
            elif problem is None:
                problem = f"line {line_number} is not a field line: {text[:40]!r}"
            continue
        tag, value = match.group(1), match.group(2) or ""
        if fields is not None and tag in ("ER", "PT", "EF"):
            where = f"record {number} (line {start})"
            if tag == "ER":
                yield where, problem or fields
                fields = None
                continue
            yield where, f"no ER line before line {line_number} ({tag})"
            fields = None
        if fields is None:
            if tag in ("FN", "VR", "EF", "ER"):
                continue
            number, start, fields, problem = number + 1, line_number, {}, None
        if tag in _USED:
            fields.setdefault(tag, []).append(value.strip())
    if fields is not None:
        yield f"record {number} (line {start})", "the file ends inside this record (no ER line)"


def _tab_records(header_line: str, lines: Iterable[tuple[int, str]]
                 ) -> Iterator[tuple[str, Fields | str]]:
    """One record per row below the header, its cells named by the header's tags."""
    header = [cell.strip() for cell in _cells(header_line.removeprefix("\ufeff"))]
    used = [(index, tag) for index, tag in enumerate(header) if tag in _USED]
    width = len([tag for tag in header if tag])
    number = 0
    for line_number, text in lines:
        if not text.strip():
            continue
        number += 1
        where = f"record {number} (line {line_number})"
        row = _cells(text)
        filled = len(row)
        while filled and not row[filled - 1].strip():
            filled -= 1
        if filled > width or len(row) < width - 1:
            yield where, f"{len(row)} tab-separated fields where the header has {width}"
            continue
        yield where, {tag: [row[index].strip()] for index, tag in used
                      if index < len(row) and row[index].strip()}


@dataclass
class _Person:
    """An author while the record is read: the name as written and its parts."""

    written: str
    family: str | None
    given: str | None
    keys: set[str]
    orcid: str | None = None
    institutions: dict[str, InstitutionRef] = field(default_factory=dict)

    @property
    def display(self) -> str:
        if self.family is None:
            return " ".join(self.written.split())
        return f"{self.given or ''} {self.family}".strip()


def to_work(fields: Fields) -> Work | str:
    """A work, or the reason the record cannot be one."""
    title = _text(fields, "TI")
    if not title:
        return "no title (TI)"
    year_match = _YEAR.search(_text(fields, "PY") or _text(fields, "EY"))
    year = int(year_match.group(1)) if year_match else None
    doi = doi_id(_text(fields, "DI"))
    accession = _text(fields, "UT")
    if accession.upper().startswith("WOS:"):
        accession = accession[4:]
    people = _people(fields)
    _match_orcids(fields, people)
    _match_addresses(fields, people)
    pmid = _text(fields, "PM")
    return Work(
        id=doi or (f"wos:{accession}" if accession else title_id(title, year)),
        title=title, year=year, doi=doi[4:] if doi else None,
        pmid=pmid if pmid.isdigit() else None,
        venue=_text(fields, "SO") or _text(fields, "SE") or None,
        type=_text(fields, "DT").split(";")[0].strip().lower() or None, source="wos",
        authors=tuple(
            AuthorRef(f"orcid:{p.orcid}" if p.orcid else name_id(p.display), p.display, p.orcid,
                      tuple(p.institutions.values()), p.family, p.given)
            for p in people),
        topics=_keywords(fields),
        publication_date=_date(fields, year),
        abstract=plain_abstract(_text(fields, "AB"), markup=False),
    )


def _date(fields: Fields, year: int | None) -> str | None:
    """PD ('APR 29', '2022 APR 29') in the paper's year, else EA ('APR 2022') when there is
    no PD and EA is in that year; None for a season ('SPR') or a year alone."""
    if year is None:
        return None
    published = _text(fields, "PD").split()
    if any(len(word) == 4 and word.isdigit() and word != str(year) for word in published):
        return None  # 'DEC 2019' of a paper of 2020: the date, not the paper's year
    published = [word for word in published if word != str(year)]  # '2022 APR 29'
    if published:  # a range of months ('APR-JUN 15') has no day
        return publication_date(year, *published[:1 if "-" in published[0] else 2])
    early = _text(fields, "EA").split()
    if len(early) == 2 and early[1] == str(year):
        return publication_date(year, early[0])
    return None


def _text(fields: Fields, tag: str) -> str:
    """A field's lines as one single-spaced text (wrapped titles and keyword lists)."""
    return " ".join(" ".join(fields.get(tag, ())).split())


def _items(fields: Fields, tag: str) -> list[str]:
    """A list field: one item per plain-text line, or the cell's items split at ';'."""
    return [item.strip() for value in fields.get(tag, ()) for item in value.split(";")
            if item.strip()]


def _people(fields: Fields) -> list[_Person]:
    """AF (full names) in byline order, else AU; '[Anonymous]' and empty names skipped."""
    full, short = _items(fields, "AF"), _items(fields, "AU")
    names = full or short
    aligned = short if full and len(short) == len(full) else [None] * len(names)
    people = []
    for written, abbreviated in zip(names, aligned, strict=True):
        if not fold(written) or fold(written) == "anonymous":
            continue
        family, given = _split_name(written, abbreviated)
        keys = {fold(written)} | ({fold(abbreviated)} if abbreviated else set())
        person = _Person(written, family, given, keys)
        person.keys.add(fold(person.display))
        people.append(person)
    return people


def _split_name(written: str, abbreviated: str | None) -> tuple[str | None, str | None]:
    """'Family, Given' -> parts; 'Zhang Zhi-Wei' with AU 'Zhang, ZW' -> ('Zhang', 'Zhi-Wei')."""
    family, comma, given = written.partition(",")
    if comma:
        return " ".join(family.split()), " ".join(given.split()) or None
    if abbreviated and "," in abbreviated:
        family = abbreviated.partition(",")[0]
        words, size = written.split(), len(family.split())
        if 0 < size < len(words) and fold(" ".join(words[:size])) == fold(family):
            return " ".join(words[:size]), " ".join(words[size:])
    return None, None


def _find(name: str, people: list[_Person]) -> list[int]:
    """The authors a name in OI or in a C1 bracket means: every author of that exact (folded)
    name, else the one author with that family name and given-name initial."""
    exact = [i for i, p in enumerate(people) if fold(name) in p.keys]
    if exact:
        return exact
    family, comma, given = name.partition(",")
    initial = fold(given)[:1]
    if not comma or not initial:
        return []
    loose = [i for i, p in enumerate(people)
             if fold(p.family or "") == fold(family) and fold(p.given or "")[:1] == initial]
    return loose if len(loose) == 1 else []


def _match_orcids(fields: Fields, people: list[_Person]) -> None:
    """OI 'Family, Given/0000-0002-…' entries, each given to the one author it names."""
    for entry in _text(fields, "OI").split(";"):
        name, slash, identifier = entry.rpartition("/")
        orcid = _ORCID.search(identifier)
        if not slash or not orcid:
            continue
        found = _find(name.strip(), people)
        if len(found) == 1 and people[found[0]].orcid is None:
            people[found[0]].orcid = orcid.group(0).upper()


def _match_addresses(fields: Fields, people: list[_Person]) -> None:
    """C1 '[Author A; Author B] Address' to the named authors; an address without names to
    every author."""
    for value in fields.get("C1", ()):
        for part in _OUTSIDE_BRACKETS.split(value):
            part = part.strip()
            names: list[str] | None = None
            if part.startswith("[") and "]" in part:
                inside, _, part = part[1:].partition("]")
                names = [n.strip() for n in inside.split(";") if n.strip()]
            elif _CITED_REFERENCE.match(part):
                continue
            institution = institution_from_text(part.strip().removesuffix("."))
            if institution is None:
                continue
            chosen = (range(len(people)) if names is None
                      else sorted({i for n in names for i in _find(n, people)}))
            for index in chosen:
                people[index].institutions.setdefault(institution.id, institution)


def _keywords(fields: Fields) -> tuple[TopicRef, ...]:
    """Author keywords (DE); Keywords Plus (ID) are Clarivate's, not the authors'."""
    return keyword_topics(_text(fields, "DE").split(";"))
