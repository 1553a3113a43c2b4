"""Crossref works JSON, plain or ``.gz``: REST API responses (``message-type`` ``work`` or
``work-list``), public data file chunks (``{"items": [...]}``), bare works or lists of them,
and JSON Lines (one work, or one API response, per line).

JSON Lines are streamed line by line; the other shapes are one JSON document, read whole
(one API page or one data file chunk each). Paper ids come from the DOI; year is ``issued``,
else ``published``, else the earlier of ``published-online`` and ``published-print``; the
publication date is the month or day of that same date, when it has one. The abstract is
JATS (``<jats:p>``) made plain text.
Authors are the persons of ``author`` in list order; organisational authors (``name`` only)
and editors are left out: they are not people, and would join every member of a consortium.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

import lxml.html
import orjson
from lxml import etree

from explorer.names import fold
from explorer.records import AuthorRef, InstitutionRef, Work

from .base import (
    Rejected,
    decode_text,
    doi_id,
    institution_from_text,
    name_id,
    open_binary,
    read_text,
    unreadable_file_errors,
)
from .paper_details import date_parts, plain_abstract

_ORCID = re.compile(r"\d{4}-\d{4}-\d{4}-\d{3}[\dX]", re.IGNORECASE)
_ROR = re.compile(r"(?:https?://ror\.org/)?(0[a-z0-9]{6}\d{2})", re.IGNORECASE)
_WORK_KEYS = frozenset({
    "DOI", "container-title", "issued", "published", "published-print", "published-online",
    "member", "prefix", "deposited", "indexed", "reference-count", "is-referenced-by-count",
})
"""Keys that only Crossref works have (``title`` and ``type`` are in every format)."""

Item = Work | Rejected


def _text(value: Any) -> str:
    """Plain single-spaced text: HTML entities (``&amp;``) decoded, JATS/HTML face markup
    (``<i>``, ``<jats:sub>``) dropped."""
    if not isinstance(value, str):
        return ""
    if "<" in value or "&" in value:
        try:
            value = lxml.html.fragment_fromstring(value, create_parent="div").text_content()
        except (etree.LxmlError, ValueError):
            value = html.unescape(value)
    return " ".join(value.split())


def _first(values: Any) -> str:
    """The first non-empty text of a Crossref list field (``title``, ``container-title``)."""
    for value in values if isinstance(values, list) else [values]:
        text = _text(value)
        if text:
            return text
    return ""


def _date_year(date: Any) -> int | None:
    """The year of ``{"date-parts": [[2019, 4, 1]]}``; None for ``[[null]]`` and the like."""
    try:
        year = date["date-parts"][0][0]
    except (TypeError, KeyError, IndexError):
        return None
    return year if isinstance(year, int) and not isinstance(year, bool) and year > 0 else None


def _published(record: dict[str, Any]) -> tuple[int | None, str | None]:
    """Year and ISO date (month at least, else None) of ``issued`` (Crossref's earliest known
    publication date), else ``published``, else the earlier of ``published-online`` and
    ``published-print``: year and date always come from the same one."""
    for key in ("issued", "published"):
        year = _date_year(record.get(key))
        if year:
            return year, date_parts(record[key].get("date-parts"))
    dated = [(year, record[key]) for key in ("published-online", "published-print")
             if (year := _date_year(record.get(key)))]
    if not dated:
        return None, None
    year, date = min(dated, key=lambda found: found[0])
    return year, date_parts(date.get("date-parts"))


def _orcid(value: Any) -> str | None:
    """'http://orcid.org/0000-0001-5435-8794' -> '0000-0001-5435-8794'."""
    match = _ORCID.search(value) if isinstance(value, str) else None
    return match.group(0).upper() if match else None


def _ror(ids: Any) -> str | None:
    """The ROR id among an affiliation's ``id`` entries ('https://ror.org/05dxps055')."""
    for entry in ids if isinstance(ids, list) else []:
        if isinstance(entry, dict) and str(entry.get("id-type", "")).upper() == "ROR":
            match = _ROR.fullmatch(str(entry.get("id", "")).strip())
            if match:
                return match.group(1).lower()
    return None


def _institutions(affiliations: Any) -> tuple[InstitutionRef, ...]:
    """ROR institutions when the affiliation names one, else free-text affiliations."""
    found: dict[str, InstitutionRef] = {}
    for affiliation in affiliations if isinstance(affiliations, list) else []:
        if not isinstance(affiliation, dict):
            continue
        name = _text(affiliation.get("name"))
        ror = _ror(affiliation.get("id"))
        ref = (InstitutionRef(f"ror:{ror}", name or ror, None, f"https://ror.org/{ror}") if ror
               else institution_from_text(name))
        if ref:
            found.setdefault(ref.id, ref)
    return tuple(found.values())


def _author(entry: Any) -> AuthorRef | None:
    """A person of the byline; None for organisational authors (``name`` only) and empty ones."""
    if not isinstance(entry, dict):
        return None
    given, family = _text(entry.get("given")), _text(entry.get("family"))
    name = " ".join(part for part in (given, family) if part)
    if not fold(name):
        return None
    orcid = _orcid(entry.get("ORCID"))  # authenticated or not (`authenticated-orcid`)
    return AuthorRef(f"orcid:{orcid}" if orcid else name_id(name), name, orcid,
                     _institutions(entry.get("affiliation")), family or None, given or None)


def to_work(record: Any) -> Work | str:
    """A work, or the reason the record cannot be one."""
    if not isinstance(record, dict):
        return "not a JSON object"
    raw_doi = record.get("DOI")
    if not raw_doi:
        return "no DOI"
    paper_id = doi_id(raw_doi) if isinstance(raw_doi, str) else None
    if not paper_id:
        return f"DOI {raw_doi!r} is not a DOI"
    title = _first(record.get("title"))
    if not title:
        return "no title"
    authors = record.get("author")
    kind = record.get("type")
    year, date = _published(record)
    return Work(
        id=paper_id, title=title, year=year, doi=paper_id.removeprefix("doi:"),
        venue=_first(record.get("container-title")) or None,
        type=kind if isinstance(kind, str) and kind else None, source="crossref",
        authors=tuple(a for a in map(_author, authors if isinstance(authors, list) else []) if a),
        publication_date=date, abstract=plain_abstract(record.get("abstract")),
    )


def _record(path: Path, where: str, record: Any) -> Item:
    work = to_work(record)
    if not isinstance(work, str):
        return work
    doi = doi_id(record.get("DOI")) if isinstance(record, dict) and isinstance(
        record.get("DOI"), str) else None
    return Rejected(str(path), f"DOI {doi[4:]} ({where})" if doi else where, work)


def _api_error(message: Any) -> str:
    """The text of an API error message (a string, or a list of ``{"message": ...}``)."""
    if isinstance(message, list):
        texts = [m.get("message") if isinstance(m, dict) else m for m in message]
        return "; ".join(str(t) for t in texts if t) or "no message"
    return str(message)[:300] if message else "no message"


def _works_in(document: Any) -> tuple[list[Any], bool] | str:
    """The work records a JSON document holds and whether the document is itself the works
    (a bare work or list, not an API response or data file chunk); or why it holds none."""
    if isinstance(document, list):
        return document, True
    if not isinstance(document, dict):
        return "not a JSON object"
    if "message-type" in document or ("status" in document and "message" in document):
        status, kind = document.get("status"), document.get("message-type")
        message = document.get("message")
        if status != "ok":
            return f"the Crossref API answered {status!r}: {_api_error(message)}"
        if kind == "work" and isinstance(message, dict):
            return [message], False
        if kind == "work-list" and isinstance(message, dict) \
                and isinstance(message.get("items"), list):
            return message["items"], False
        return f"a Crossref {kind!r} response, not works: wrong format?"
    if isinstance(document.get("items"), list) and "DOI" not in document:
        return document["items"], False
    return [document], True


def _foreign(records: list[Any]) -> bool:
    """A bare record (or list) whose first object has none of the keys of a Crossref work."""
    first = next((r for r in records if isinstance(r, dict)), None)
    return first is not None and not _WORK_KEYS & first.keys()


def _wrong_format(where: str) -> str:
    return (f"not Crossref works JSON ({where} has none of DOI, issued, container-title, "
            "member…): wrong format?")


def _decode(raw: bytes) -> str:
    """A line as text; a line that is not UTF-8 is Latin-1 (mixed encodings)."""
    return decode_text(raw).lstrip("\ufeff")


def _parsed_lines(handle: BinaryIO) -> Iterator[tuple[int, bytes, Any]]:
    """(line number, raw line, JSON value or its decode error) for each non-blank line."""
    for number, raw in enumerate(handle, start=1):
        if raw.strip():
            try:
                yield number, raw, orjson.loads(_decode(raw))
            except orjson.JSONDecodeError as exc:
                yield number, raw, exc


def _is_json_lines(head: list[tuple[int, bytes, Any]]) -> bool:
    """Line 1 is a JSON object, or it is broken and line 2 is one (a JSON Lines file whose
    first line is damaged; a document's opening bracket alone on line 1 does not count)."""
    if head and isinstance(head[0][2], dict):
        return True
    return (len(head) == 2 and isinstance(head[0][2], orjson.JSONDecodeError)
            and head[0][1].strip() not in (b"[", b"{") and isinstance(head[1][2], dict))


def read(path: Path) -> Iterator[Item]:
    with unreadable_file_errors(path, streamed=True), open_binary(path) as handle:
        lines = _parsed_lines(handle)
        head = list(islice(lines, 2))
        if _is_json_lines(head):
            yield from _json_lines(path, chain(head, lines))
            return
    yield from _whole_document(path)


def _json_lines(path: Path, lines: Iterable[tuple[int, bytes, Any]]) -> Iterator[Item]:
    """One work (or one API response) per line; a bad line is rejected with its number."""
    checked = False
    for number, _, value in lines:
        where = f"line {number}"
        if isinstance(value, orjson.JSONDecodeError):
            yield Rejected(str(path), where, f"not JSON ({value})")
            continue
        found = _works_in(value)
        first, checked = not checked, True
        if isinstance(found, str):
            if first and found.endswith("wrong format?"):
                yield Rejected(str(path), "file", found)
                return
            yield Rejected(str(path), where, found)
            continue
        records, bare = found
        if first and bare and _foreign(records):
            yield Rejected(str(path), "file", _wrong_format(where))
            return
        if len(records) == 1:
            yield _record(path, where, records[0])
        else:
            for index, record in enumerate(records, start=1):
                yield _record(path, f"{where}, record {index}", record)


def _whole_document(path: Path) -> Iterator[Item]:
    """An API response, a data file chunk, a work or a list of works, pretty-printed or not."""
    text = read_text(path)
    if not text.strip():
        yield Rejected(str(path), "file", "the file is empty")
        return
    try:
        document = orjson.loads(text.lstrip("\ufeff"))
    except orjson.JSONDecodeError as exc:
        yield Rejected(str(path), "file", f"not JSON ({exc}): wrong format?")
        return
    found = _works_in(document)
    if isinstance(found, str):
        yield Rejected(str(path), "file", found)
        return
    records, bare = found
    if bare and _foreign(records):
        yield Rejected(str(path), "file", _wrong_format("the first record"))
        return
    for index, record in enumerate(records, start=1):
        yield _record(path, f"record {index}", record)
