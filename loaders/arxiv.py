"""arXiv metadata: the Kaggle snapshot (JSON Lines with ``authors_parsed``) or OAI-PMH XML
harvested with ``metadataPrefix=arXiv``; plain or ``.gz``, told apart by content, streamed.

Both give the same work for the same paper: id ``doi:…`` when there is a DOI, else
``arxiv:<id>``; year of the first version (snapshot ``versions`` v1, OAI ``created``); the
categories as topics; authors split into family, given and suffix by arXiv itself. The
publication date is v1's day too; the abstract is arXiv's plain text (LaTeX kept as written),
a line indented by spaces starting a paragraph, as arXiv marks them.
Collaborations ("The BABAR Collaboration") are kept as authors under their name without
"The"; footnote markers such as "1 and 2" that arXiv's parser left as affiliations are dropped.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from lxml import etree

from explorer.records import AuthorRef, TopicRef, Work

from .base import (
    LATIN1_FALLBACK,
    Rejected,
    doi_id,
    institution_from_text,
    name_id,
    open_binary,
    unreadable_file_errors,
)
from .paper_details import iso_date, plain_abstract, publication_date
from .xml_resume import PARSER_POSITION, ByteReader, Lines, ResumedDocument

_OAI = "{http://www.openarchives.org/OAI/2.0/}"
_ARXIV = "{http://arxiv.org/OAI/arXiv/}"
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_FOOTNOTE = re.compile(r"[\d\s,;&*]*(?:\band\b[\d\s,;&*]*)*")
_GROUP_WORDS = {"collaboration", "collaborations", "consortium"}
_LEADING_THE = re.compile(r"^(?:(?:for|on behalf of)\s+)?the\s+", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_BLANK = b" \t\r\n\xef\xbb\xbf"
_INDENTED_LINE = re.compile(r"\n[ \t]+(?=\S)")
_SNIFF_LINES = 10


class _WrongFormat(Exception):
    """The file is XML, but not records this loader reads."""


# --- shared: one work from arXiv's fields ---------------------------------------------------

def _clean(text: Any) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def _is_footnote(text: str) -> bool:
    """'1 and 2', '1, 3': footnote numbers arXiv's parser could not resolve."""
    return _FOOTNOTE.fullmatch(text) is not None


def _author(family: str, given: str, suffix: str, affiliations: Iterable[str]) -> AuthorRef | None:
    """A person (name "Given Family Suffix") or a collaboration; None for empty or 'et al'."""
    family, given, suffix = _clean(family), _clean(given), _clean(suffix)
    if not (family or given) or (given.lower() == "et" and family.lower() in ("al", "al.")):
        return None
    institutions = tuple(dict.fromkeys(
        found for text in affiliations
        if not _is_footnote(text) and (found := institution_from_text(text))))
    if (not given and " " in family) or family.lower() in _GROUP_WORDS:
        name = _LEADING_THE.sub("", f"{given} {family}".strip()) or family
        return AuthorRef(name_id(name), name, institutions=institutions)
    given = given.replace(". -", ".-")  # arXiv writes 'C.-P.' as 'C. -P.'
    name = " ".join(part for part in (given, family, suffix) if part)
    return AuthorRef(name_id(name), name, None, institutions, family or None, given or None)


def _doi(text: Any) -> str | None:
    """The first DOI of the field (some records list the paper's and its erratum's)."""
    for token in _clean(text).split():
        found = doi_id(token.strip(",;"))
        if found:
            return found
    return None


def _abstract(text: Any) -> str | None:
    """arXiv's abstract: plain text whose lines indented by spaces start paragraphs."""
    if not isinstance(text, str):
        return None
    return plain_abstract(_INDENTED_LINE.sub("\n\n", text), markup=False)


def _work(arxiv_id: Any, title: Any, year: int | None, date: str | None, doi: Any,
          journal_ref: Any, categories: Any, abstract: Any,
          authors: Iterable[AuthorRef | None]) -> Work | str:
    """A work, or the reason the record cannot be one (``date``: v1's, ISO)."""
    raw_id = _clean(arxiv_id)
    if not raw_id:
        return "no arXiv id"
    match = _ARXIV_ID.fullmatch(raw_id)
    if not match:
        return f"{raw_id!r} is not an arXiv identifier"
    title = _clean(title)
    if not title:
        return "no title"
    paper_doi = _doi(doi)
    topics = tuple(TopicRef(f"arxiv:{c}", c) for c in dict.fromkeys(_clean(categories).split()))
    return Work(
        id=paper_doi or f"arxiv:{match.group(1)}", title=title, year=year,
        doi=paper_doi.removeprefix("doi:") if paper_doi else None, arxiv_id=match.group(1),
        venue=_clean(journal_ref) or "arXiv", type="preprint", source="arxiv",
        authors=tuple(a for a in authors if a), topics=topics, publication_date=date,
        abstract=_abstract(abstract))


# --- Kaggle snapshot: JSON Lines ------------------------------------------------------------

def _first_version(versions: Any) -> datetime | None:
    """When v1 was submitted ('Mon, 2 Apr 2007 19:18:42 GMT')."""
    if not isinstance(versions, list) or not versions:
        return None
    first = next((v for v in versions if isinstance(v, dict) and v.get("version") == "v1"),
                 versions[0])
    created = first.get("created") if isinstance(first, dict) else None
    try:
        return parsedate_to_datetime(created) if isinstance(created, str) else None
    except (ValueError, TypeError, OverflowError):
        return None


def _parsed_authors(entries: Any) -> list[AuthorRef | None] | str:
    """authors_parsed: [[last, first, suffix, affiliation, …], …]."""
    if not isinstance(entries, list):
        return "no authors_parsed list"
    authors = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, list) or not all(isinstance(p, str | None) for p in entry):
            return f"authors_parsed entry {number} is not a list of names"
        parts = [*(p or "" for p in entry), "", "", ""]
        authors.append(_author(parts[0], parts[1], parts[2], parts[3:len(entry)]))
    return authors


def snapshot_work(record: Any) -> Work | str:
    """A work from one snapshot record, or the reason it cannot be one."""
    if not isinstance(record, dict):
        return "not a JSON object"
    authors = _parsed_authors(record.get("authors_parsed"))
    if isinstance(authors, str):
        return authors
    first = _first_version(record.get("versions"))
    return _work(record.get("id"), record.get("title"), first.year if first else None,
                 publication_date(first.year, first.month, first.day) if first else None,
                 record.get("doi"), record.get("journal-ref"), record.get("categories"),
                 record.get("abstract"), authors)


def _looks_like_snapshot(record: Any) -> bool:
    return isinstance(record, dict) and "id" in record and any(
        key in record for key in ("authors_parsed", "versions", "categories"))


def _json(raw: bytes) -> tuple[Any, str | None]:
    """The line's value, or the parse error; a line that is not UTF-8 is read as Latin-1."""
    raw = raw.lstrip(b"\xef\xbb\xbf")
    try:
        return orjson.loads(raw), None
    except orjson.JSONDecodeError as exc:
        try:
            return orjson.loads(raw.decode("utf-8", LATIN1_FALLBACK)), None
        except orjson.JSONDecodeError:
            return None, str(exc)


def _lines(head: bytes, rest: BinaryIO) -> Iterator[bytes]:
    parts = head.splitlines(keepends=True)
    if parts and not parts[-1].endswith((b"\n", b"\r")):
        parts[-1] += rest.readline()
    yield from parts
    yield from rest


def _snapshot(path: Path, lines: Iterator[bytes]) -> Iterator[Work | Rejected]:
    """One record per line. Lines that are not JSON are held back until the first record
    shows the file is a snapshot: a file of something else is one wrong-format rejection."""
    held: list[Rejected] = []
    known = False
    wrong = Rejected(str(path), "file", "not arXiv snapshot JSON Lines (records with id, "
                     "authors_parsed, versions): wrong format?")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        record, error = _json(raw)
        if error is not None:
            rejected = Rejected(str(path), f"line {number}", f"not JSON ({error})")
            if known:
                yield rejected
                continue
            held.append(rejected)
            if len(held) >= _SNIFF_LINES:
                yield wrong
                return
            continue
        if not known:
            if not _looks_like_snapshot(record):
                yield wrong
                return
            known = True
            yield from held
            held.clear()
        work = snapshot_work(record)
        yield Rejected(str(path), f"line {number}", work) if isinstance(work, str) else work
    if not known:
        yield wrong


# --- OAI-PMH XML, metadataPrefix=arXiv ------------------------------------------------------

class _Utf8Reader:
    """The bytes for lxml; bytes that are not UTF-8 are re-encoded from Latin-1."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head, self._rest = head, rest
        declared = _XML_ENCODING.match(head)
        utf8 = declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")
        self._decoder = codecs.getincrementaldecoder("utf-8")(LATIN1_FALLBACK) if utf8 else None

    def read(self, size: int = 65536) -> bytes:
        chunk, self._head = self._head or self._rest.read(max(size, 1)), b""
        if self._decoder is None:
            return chunk
        return self._decoder.decode(chunk, final=not chunk).encode()


def _children(element: etree._Element) -> dict[str, list[etree._Element]]:
    """Child elements by local name (one pass; faster than a find per field)."""
    found: dict[str, list[etree._Element]] = {}
    for child in element:
        if isinstance(child.tag, str):
            found.setdefault(child.tag.rpartition("}")[2], []).append(child)
    return found


def _first(fields: dict[str, list[etree._Element]], name: str) -> str:
    return _clean(fields[name][0].text) if name in fields else ""


def _oai_author(author: etree._Element) -> AuthorRef | None:
    fields = _children(author)
    return _author(_first(fields, "keyname"), _first(fields, "forenames"),
                   _first(fields, "suffix"), [a.text or "" for a in fields.get("affiliation", ())])


def oai_work(arxiv: etree._Element) -> Work | str:
    """A work from one ``<arXiv>`` metadata element, or the reason it cannot be one."""
    fields = _children(arxiv)
    created = re.match(r"(\d{4})-\d\d-\d\d", _first(fields, "created"))
    authors = [_oai_author(a) for group in fields.get("authors", ()) for a in group]
    abstract = fields["abstract"][0].text if "abstract" in fields else None
    return _work(_first(fields, "id"), _first(fields, "title"),
                 int(created.group(1)) if created else None,
                 iso_date(created.group(0)) if created else None, _first(fields, "doi"),
                 _first(fields, "journal-ref"), _first(fields, "categories"), abstract, authors)


def _record(path: Path, record: etree._Element, number: int) -> Work | Rejected | None:
    """One OAI ``<record>``: a work, a rejection, or None for a deleted record."""
    header = record.find(f"{_OAI}header")
    if header is not None and header.get("status") == "deleted":
        return None
    metadata = record.find(f"{_OAI}metadata")
    arxiv = metadata.find(f"{_ARXIV}arXiv") if metadata is not None else None
    if arxiv is None and metadata is not None and len(metadata):
        prefix = etree.QName(metadata[0]).localname
        raise _WrongFormat(f"OAI-PMH records in {prefix!r} format; only metadataPrefix=arXiv "
                           "is read: wrong format?")
    paper = _clean(arxiv.findtext(f"{_ARXIV}id")) if arxiv is not None else ""
    if not paper and header is not None:
        paper = _clean(header.findtext(f"{_OAI}identifier")).removeprefix("oai:arXiv.org:")
    where = f"arXiv {paper} (record {number})" if paper else f"record {number}"
    work = oai_work(arxiv) if arxiv is not None else "no arXiv metadata"
    return Rejected(str(path), where, work) if isinstance(work, str) else work


def _release(element: etree._Element) -> None:
    element.clear(keep_tail=True)
    while element.getprevious() is not None:
        del element.getparent()[0]


def _root_tag(head: bytes) -> str | None:
    """The root element's tag, from the first bytes (None when they do not show it). Fed a
    few bytes at a time: an error later in ``head`` must not hide the root."""
    parser = etree.XMLPullParser(events=("start",), resolve_entities=False, no_network=True)
    try:
        for start in range(0, len(head), 512):
            parser.feed(head[start:start + 512])
            for _, element in parser.read_events():
                return element.tag
    except etree.XMLSyntaxError:
        pass
    return None


def _oai(path: Path, head: bytes, source: _Utf8Reader) -> Iterator[Work | Rejected]:
    """Records of an OAI-PMH response (ListRecords or GetRecord), or one bare ``<arXiv>``.
    After an XML error, reading goes on at the next ``<record>`` after the error's line."""
    root = _root_tag(head)
    if root is not None and root not in (f"{_OAI}OAI-PMH", f"{_ARXIV}arXiv"):
        yield Rejected(str(path), "file", f"XML root <{etree.QName(root).localname}> is "
                       "neither an OAI-PMH response nor arXiv metadata: wrong format?")
        return
    count = [0]  # records so far, a damaged one included
    try:
        error = yield from _oai_records(path, source, Lines(), count)
        read_on_after = 0
        while error:
            line, message = error
            count[0] += 1
            with open_binary(path) as raw:
                resumed = ResumedDocument.after(_Utf8Reader(raw.read(8192), raw), line,
                                                _OAI_PROLOG_END, _OAI_RECORD_START) \
                    if line > read_on_after and root == f"{_OAI}OAI-PMH" else None
                read_on_after = line
                then = f"read on from the next record, at line {resumed[1]}" if resumed \
                    else "the records before it were read"
                yield Rejected(str(path), f"record {count[0]}", "the XML is not well-formed or "
                               f"is cut short (line {line}: {message}); {then}")
                if resumed is None:
                    return
                error = yield from _oai_records(path, resumed[0], resumed[2], count)
    except _WrongFormat as exc:
        yield Rejected(str(path), "file", str(exc))
        return
    if not count[0]:
        yield Rejected(str(path), "file", "no records (harvest with verb=ListRecords and "
                       "metadataPrefix=arXiv): wrong format?")


def _oai_records(path: Path, source: ByteReader, lines: Lines, count: list[int]
                 ) -> Generator[Work | Rejected, None, tuple[int, str] | None]:
    """Every record up to the end or to an XML error, whose file line and message are
    returned (``lines``: the document's lines in the file; ``count``: records so far)."""
    try:
        for _, element in etree.iterparse(
                source, tag=(f"{_OAI}record", f"{_OAI}error", f"{_ARXIV}arXiv"),
                resolve_entities=False, no_network=True):
            if element.tag == f"{_OAI}record":
                count[0] += 1
                item = _record(path, element, count[0])
                if item is not None:
                    yield item
                _release(element)
            elif element.tag == f"{_OAI}error":
                count[0] += 1
                yield Rejected(str(path), "file", f"OAI-PMH error {element.get('code')}: "
                               f"{_clean(element.text)}")
            elif element.getparent() is None:  # a bare <arXiv> document
                count[0] += 1
                work = oai_work(element)
                yield Rejected(str(path), "record 1", work) if isinstance(work, str) else work
    except etree.XMLSyntaxError as exc:
        return lines(exc.lineno or 0), lines.in_message(PARSER_POSITION.sub("", exc.msg))
    return None


_OAI_PROLOG_END = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:ListRecords|GetRecord)[\s>]")
_OAI_RECORD_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?record[\s>]")


# --- entry point ----------------------------------------------------------------------------

def read(path: Path) -> Iterator[Work | Rejected]:
    """Works from a snapshot or OAI-PMH file; bad records are rejected, the rest load."""
    with unreadable_file_errors(path, streamed=True), open_binary(path) as stream:
        head = stream.read(8192)
        while head and not head.lstrip(_BLANK):
            more = stream.read(8192)
            if not more:
                break
            head += more
        start = head.lstrip(_BLANK)[:1]
        if not start:
            yield Rejected(str(path), "file", "the file is empty")
        elif start == b"{":
            yield from _snapshot(path, _lines(head, stream))
        elif start == b"<":
            yield from _oai(path, head, _Utf8Reader(head, stream))
        else:
            yield Rejected(str(path), "file", "neither arXiv snapshot JSON Lines nor OAI-PMH "
                           "XML: wrong format?")
