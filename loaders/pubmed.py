"""PubMed/MEDLINE: PubMed XML (``PubmedArticleSet``: articles, book articles and
``DeleteCitation``) streamed with lxml iterparse, or MEDLINE text tags (.nbib/.txt/.medline)
read line by line; plain or ``.gz``, the format told by the content, not the file name.

Collective authors (``CollectiveName``, MEDLINE ``CN``) and investigators (``IR``) are left
out: a consortium is not a person, and as an author it would tie every paper of the group
into one clique of unrelated co-authors.

MeSH check tags (Humans, Animals, Male, Female, Pregnancy and the age groups) are left out
of a paper's topics: NLM indexes them on almost every record to say who was studied, not
what the paper is about, and as topics they would fill every list of top subjects.

The publication date is the journal issue's (``PubDate``, MEDLINE ``DP``) when it has a month,
else the electronic one (``ArticleDate``, ``DEP``) when it is in the same year, so that it
agrees with the paper's year. The abstract is ``AbstractText`` (a structured abstract's sections
led by their labels), or MEDLINE's ``AB``, whose sections are split at their labels the same
way; ``OtherAbstract`` (MEDLINE ``OAB``) is left out.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from explorer.names import fold
from explorer.records import AuthorRef, Deletion, InstitutionRef, TopicRef, Work

from .base import (
    LATIN1_FALLBACK,
    Rejected,
    decode_text,
    doi_id,
    institution_from_text,
    name_id,
    open_binary,
    unreadable_file_errors,
)
from .paper_details import in_year, labelled_abstract, plain_abstract, publication_date
from .workers import in_order, process_pool, workers_default
from .xml_resume import Lines

Item = Work | Deletion | Rejected

_XML_ROOTS = {
    "PubmedArticleSet": ("PubmedArticle", "PubmedBookArticle", "DeleteCitation"),
    "MedlineCitationSet": ("MedlineCitation", "DeleteCitation"),  # old MEDLINE leasing files
}
_YEAR = re.compile(r"\d{4}")
_ORCID_URL = re.compile(r"^(?:https?://)?(?:www\.)?orcid\.org/", re.IGNORECASE)
_ORCID = re.compile(r"\d{15}[\dX]")
_EMAIL = re.compile(r"\s*Electronic address:\s*\S+@\S+", re.IGNORECASE)
_TAG = re.compile(r"([A-Z]{2,4}) *- ?(.*)")
_INITIALS = re.compile(r"[A-Z]{1,4}")
_NO_NAME = name_id("")
# NLM's current MeSH check tags: descriptor UI -> name (the names match MEDLINE text's MH).
CHECK_TAGS = {
    "D006801": "Humans", "D000818": "Animals", "D005260": "Female", "D008297": "Male",
    "D011247": "Pregnancy", "D007231": "Infant, Newborn", "D007223": "Infant",
    "D002675": "Child, Preschool", "D002648": "Child", "D000293": "Adolescent",
    "D055815": "Young Adult", "D000328": "Adult", "D008875": "Middle Aged", "D000368": "Aged",
    "D000369": "Aged, 80 and over",
}
_CHECK_TAG_NAMES = frozenset(fold(name) for name in CHECK_TAGS.values())
_FIRST_OF = {"PMID", "TI", "TT", "BTI", "DP", "DEP", "JT", "TA", "AB"}
_SECTION_LABEL = re.compile(r"(?:^|(?<=[.?!] ))([A-Z][A-Z ,&/'-]+[A-Z]): ")
"""A structured abstract's section label in MEDLINE's ``AB``: 'BACKGROUND: ', 'DESIGN,
SETTING, AND PARTICIPANTS: ', at the start or after a sentence; three capitals at least
(not 'CI: 95%' or an abbreviation after a parenthesis)."""
#: Publication types that describe a study or its funding, not the kind of document.
_NOT_DOCUMENT_TYPES = frozenset(fold(name) for name in (
    "Journal Article", "English Abstract", "Comparative Study", "Multicenter Study",
    "Evaluation Study", "Validation Study", "Twin Study", "Observational Study",
    "Historical Article", "Video-Audio Media", "Webcast", "Dataset"))


# --- shared by both formats ---------------------------------------------------------------

def orcid(value: str | None) -> str | None:
    """'https://orcid.org/0000-0002-1825-0097', '000000021825009X' ... -> '0000-0002-1825-0097'
    (None unless 16 characters with a valid ISO 7064 check digit remain)."""
    digits = re.sub(r"[\s\-/]", "", _ORCID_URL.sub("", (value or "").strip())).upper()
    if not _ORCID.fullmatch(digits):
        return None
    total = 0
    for digit in digits[:15]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    if digits[15] != ("X" if check == 10 else str(check)):
        return None
    return "-".join(digits[i:i + 4] for i in range(0, 16, 4))


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _year(*dates: str | None) -> int | None:
    """The first 4-digit year in the first date that has one."""
    for date in dates:
        match = _YEAR.search(date or "")
        if match:
            return int(match.group())
    return None


def _text_date(text: str | None) -> str | None:
    """A date as PubMed writes it in text: '2019 Dec 5', '2019 Nov-Dec', '1998 Dec-1999 Jan'
    (the first month); None for a year alone or a season ('2000 Spring')."""
    parts = (text or "").split()
    if len(parts) < 2:
        return None
    return publication_date(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def _compact_date(text: str | None) -> str | None:
    """MEDLINE's electronic date 'DEP - 20151031'."""
    text = _clean(text)
    if len(text) != 8 or not text.isdigit():
        return None
    return publication_date(text[:4], text[4:6], text[6:])


@lru_cache(maxsize=1 << 14)
def _institution(text: str, ror: str | None = None) -> InstitutionRef | None:
    """A free-text affiliation (an 'Electronic address: …' suffix dropped so one department
    is one node), or the ROR organisation when the record names one."""
    name = _clean(_EMAIL.sub("", text or ""))
    if ror:
        ror_id = ror.rstrip("/").rsplit("/", 1)[-1]
        return InstitutionRef(f"ror:{ror_id}", name or ror_id, None, f"https://ror.org/{ror_id}")
    return institution_from_text(name)


def _author(family: str | None, given: str | None, orcid_text: str | None,
            institutions: Iterable[InstitutionRef | None], name: str | None = None
            ) -> AuthorRef | None:
    """An author by ORCID, else by display name 'Given Family'; None for an empty entry."""
    family, given = _clean(family), _clean(given)
    shown = _clean(name) or " ".join(p for p in (given, family) if p)
    by_name = name_id(shown)
    if by_name == _NO_NAME:
        return None
    known = orcid(orcid_text) if orcid_text else None
    places = {i.id: i for i in institutions if i is not None}
    return AuthorRef(f"orcid:{known}" if known else by_name, shown, known,
                     tuple(places.values()), family or None, given or None)


@lru_cache(maxsize=1 << 16)
def _mesh(ui: str | None, name: str) -> TopicRef | None:
    """A MeSH descriptor: ``mesh:<UI>``, or ``topic:<folded name>`` where the record gives
    only the name (MEDLINE text, old XML); None for a check tag (see the module's notes)."""
    name = _clean(name)
    if (ui.strip() in CHECK_TAGS) if ui else (fold(name) in _CHECK_TAG_NAMES):
        return None
    if ui:
        return TopicRef(f"mesh:{ui.strip()}", name or ui.strip())
    return TopicRef(f"topic:{fold(name)}", name) if fold(name) else None


@lru_cache(maxsize=1 << 14)
def _keyword(text: str | None) -> TopicRef | None:
    name = _clean(text)
    return TopicRef(f"keyword:{fold(name)}", name) if fold(name) else None


def _work(pmid: str, title: str, year: int | None, dois: Iterable[str | None],
          venue: str | None, kind: str | None, authors: Iterable[AuthorRef | None],
          topics: Iterable[TopicRef | None], date: str | None = None,
          abstract: str | None = None) -> Work | str:
    """The work, or the reason the record cannot be one."""
    pmid, title = _clean(pmid), _clean(title)
    if not pmid:
        return "no PMID"
    if not pmid.isdigit():
        return f"the PMID {pmid!r} is not a number"
    if not title:
        return "no title"
    doi = next((d for d in map(doi_id, dois) if d), None)
    return Work(
        id=doi or f"pmid:{pmid}", title=title, year=year, doi=doi[4:] if doi else None,
        pmid=pmid, venue=_clean(venue) or None, type=_clean(kind) or None, source="pubmed",
        authors=tuple(a for a in authors if a is not None),
        topics=tuple({t.id: t for t in topics if t is not None}.values()),
        publication_date=date, abstract=abstract,
    )


def document_type(types: Iterable[str | None]) -> str | None:
    """The record's kind of document among its publication types: the first that says one
    (Review, Case Reports, Letter, Randomized Controlled Trial…), else Journal Article, else
    the first; a study's design or funding (Comparative Study, English Abstract, Research
    Support, …) is not a kind of document."""
    names = [name for name in map(_clean, types) if name]
    telling = (name for name in names if fold(name) not in _NOT_DOCUMENT_TYPES
               and not fold(name).startswith("research support"))
    journal = next((name for name in names if fold(name) == "journal article"), None)
    return next(telling, None) or journal or (names[0] if names else None)


def _where(pmid: str | None, number: int) -> str:
    pmid = _clean(pmid)
    return f"PMID {pmid} (record {number})" if pmid else f"record {number}"


# --- entry point: tell the format from the content -----------------------------------------

def read(path: Path, *, workers: int | None = None,
         piece_bytes: int | None = None) -> Iterator[Item]:
    """The records of a PubMed XML or MEDLINE file. A file bigger than ``piece_bytes`` is
    parsed by ``workers`` processes (default: one per core, at most four) while the caller
    uses the records; ``workers=1`` parses in this process."""
    with unreadable_file_errors(path, streamed=True):
        with open_binary(path) as handle:
            head = _first_bytes(handle)
        if not head:
            yield Rejected(str(path), "file", "the file is empty")
        elif head.startswith(b"<"):
            yield from _xml(path, workers or workers_default(), piece_bytes or PIECE_BYTES)
        elif head.startswith(b"PMID-"):
            yield from _medline(path, workers or workers_default(), piece_bytes or PIECE_BYTES)
        else:
            yield Rejected(str(path), "file", "neither PubMed XML nor MEDLINE text (records "
                           "starting 'PMID- '): wrong format?")


def _first_bytes(handle: BinaryIO) -> bytes:
    """The file's first non-blank bytes (after any byte-order mark); b'' when there are none."""
    while chunk := handle.read(512):
        chunk = chunk.removeprefix(b"\xef\xbb\xbf").lstrip()
        if chunk:
            return (chunk + handle.read(16))[:16]
    return b""


# --- PubMed XML ----------------------------------------------------------------------------

def _parse(handle: BinaryIO, **options: object) -> etree.iterparse:
    return etree.iterparse(handle, resolve_entities=False, load_dtd=False, no_network=True,
                           huge_tree=True, remove_comments=True, **options)


def _xml(path: Path, workers: int, piece_bytes: int) -> Iterator[Item]:
    with open_binary(path) as handle:
        try:
            root = next(iter(_parse(handle, events=("start",))))[1].tag
        except (etree.XMLSyntaxError, StopIteration):
            root = "PubmedArticleSet"  # the full parse below names the error and its line
    if root not in _XML_ROOTS:
        yield Rejected(str(path), "file", f"XML whose root is <{root}>, not <PubmedArticleSet>: "
                       "wrong format?")
        return
    if workers > 1 and path.stat().st_size > piece_bytes:
        with process_pool(workers) as pool:
            tasks = (pool.submit(_parse_piece, str(path), root, piece)
                     for piece in _pieces(path, root, piece_bytes))
            for items, stop in in_order(tasks, ahead=4 * workers):  # parse while records resolve
                yield from items
                if stop:
                    return
        return
    given = 0
    with open_binary(path) as handle:  # one parse of the file, as long as it is well-formed
        try:
            for item in _xml_records(str(path), handle, root):
                yield item
                given += 1
            return
        except etree.XMLSyntaxError:
            pass
    yield from itertools.islice(_xml_piece_by_piece(path, root, piece_bytes), given, None)


def _xml_piece_by_piece(path: Path, root: str, piece_bytes: int) -> Iterator[Item]:
    for piece in _pieces(path, root, piece_bytes):
        items, stop = _parse_piece(str(path), root, piece)
        yield from items
        if stop:
            return


def _xml_records(path: str, source: BinaryIO, root: str, number: int = 0) -> Iterator[Item]:
    """The records of an XML document, numbered on from ``number``; a syntax error is
    raised after the records before it (a record inside another, whose end tag is missing,
    is one)."""
    for _, element in _parse(source, events=("end",), tag=_XML_ROOTS[root]):
        parent = element.getparent()
        if parent is not None and parent.getparent() is not None:
            raise etree.XMLSyntaxError(f"<{element.tag}> inside <{parent.tag}> of line "
                                       f"{parent.sourceline}: an end tag is missing", 0,
                                       element.sourceline, 0, None)
        if element.tag == "DeleteCitation":
            for pmid in element.iter("PMID"):
                if _clean(pmid.text).isdigit():
                    yield Deletion(f"pmid:{_clean(pmid.text)}")
        else:
            number += 1
            yield _xml_record(path, element, number)
        element.clear(keep_tail=False)
        while element.getprevious() is not None:
            del element.getparent()[0]


def _syntax_error(exc: etree.XMLSyntaxError, lines: Lines) -> tuple[int, str]:
    """The file line of a syntax error and libxml2's message with the lines it names in
    the file (the document parsed may be a piece of it after the file's prolog)."""
    return lines(exc.lineno or 0), lines.in_message(exc.msg)


NOT_WELL_FORMED = "not well-formed XML"


# --- PubMed XML, piece by piece --------------------------------------------------------------
#
# The decompressed file is cut after a record's end tag into pieces of about
# ``piece_bytes``; each piece is parsed as a document of its own (the file's prolog and root
# start tag before it, the root end tag after it), in worker processes when the file is big.
# A piece that is not well-formed is parsed again record by record (cut before each
# record's start tag), so that a damaged record is left out with its line and the records
# around it still load; bytes that are not UTF-8 in a record are read as Latin-1, as the
# other loaders read them.

PIECE_BYTES = 4 << 20
"""Bytes of decompressed XML per task of a worker (about 700 PubMed articles)."""


@dataclass
class _Piece:
    """A run of whole records and where it sits in the file."""

    head: bytes  # the file's prolog up to the root start tag (empty for the first piece)
    body: bytes
    tail: bytes  # the root end tag (empty for the last piece, which has the file's own)
    number: int  # records before the piece
    line_shift: int  # file line = document line + line_shift
    prolog: bytes = b""  # the file's prolog up to the root start tag, for every piece


def _parse_piece(path: str, root: str, piece: _Piece) -> tuple[list[Item], bool]:
    """A piece's records, and whether the file stops there (its prolog is not
    well-formed)."""
    try:
        return list(_xml_records(path, io.BytesIO(piece.head + piece.body + piece.tail), root,
                                 piece.number)), False
    except etree.XMLSyntaxError as exc:
        line, message = _syntax_error(exc, Lines(piece.line_shift, piece.head.count(b"\n")))
    try:
        list(_parse(io.BytesIO(piece.prolog + f"</{root}>".encode()), events=("end",)))
    except etree.XMLSyntaxError as exc:
        line, message = _syntax_error(exc, Lines())
        return [Rejected(path, f"line {line}", f"{NOT_WELL_FORMED} ({message}); the rest of "
                         "the file was not read")], True
    items, explained = _records_one_by_one(path, root, piece)
    if not explained:  # every record is well-formed alone: the damage is between them
        items.append(Rejected(path, f"line {line}", f"{NOT_WELL_FORMED} ({message}) between "
                              "records; the records around it were read"))
    return items, False


def _records_one_by_one(path: str, root: str, piece: _Piece) -> tuple[list[Item], bool]:
    """The records of a piece that is not well-formed, each parsed alone, and whether one
    of them was not well-formed (rejected, or read again as Latin-1)."""
    starts = [m.start() for m in _record_start(root).finditer(piece.body)]
    lines_before_body = piece.line_shift + piece.head.count(b"\n")
    prolog_lines = piece.prolog.count(b"\n")
    ends = _record_ends(root)
    items: list[Item] = []
    number, explained = piece.number, False
    for at, upto in zip(starts, [*starts[1:], len(piece.body)], strict=True):
        record = piece.body[at:upto]
        record = record[:_last_end(record, ends) or None]  # not what follows its end tag
        deletion = record.startswith(b"<DeleteCitation")
        try:
            read, as_latin1 = _one_record(path, root, piece.prolog, record, number)
            items += read
            explained = explained or as_latin1
        except etree.XMLSyntaxError as exc:
            line, message = _syntax_error(exc, Lines(
                lines_before_body + piece.body.count(b"\n", 0, at) - prolog_lines, prolog_lines))
            pmid = _PMID.search(record)
            where = f"line {line}" if deletion else \
                _where(pmid[1].decode() if pmid else None, number + 1)
            what = "the DeleteCitation was not applied" if deletion else "the record was left out"
            items.append(Rejected(path, where,
                                  f"{NOT_WELL_FORMED} at line {line} ({message}); {what}"))
            explained = True
        if not deletion:
            number += 1
    return items, explained


def _one_record(path: str, root: str, prolog: bytes, record: bytes,
                number: int) -> tuple[list[Item], bool]:
    """One record's items (parsed whole before any is given), and whether it was read again
    with its bytes that are not UTF-8 as Latin-1 (which made it well-formed)."""
    def parse(body: bytes) -> list[Item]:
        return list(_xml_records(path, io.BytesIO(prolog + body + f"</{root}>".encode()), root,
                                 number))
    try:
        return parse(record), False
    except etree.XMLSyntaxError:
        if not _declares_utf8(prolog):
            raise
        try:
            record.decode("utf-8")
        except UnicodeDecodeError:
            return parse(record.decode("utf-8", LATIN1_FALLBACK).encode()), True
        raise


def _declares_utf8(prolog: bytes) -> bool:
    declared = re.search(rb"""<\?xml[^>]*encoding\s*=\s*["']([^"']+)""", prolog)
    return declared is None or declared[1].lower().replace(b"-", b"") == b"utf8"


_PMID = re.compile(rb"<PMID[^>]*>\s*(\d+)\s*</PMID>")


@lru_cache
def _record_start(root: str, *, deletions: bool = True) -> re.Pattern[bytes]:
    """A start tag of one of the root's records (``deletions``: DeleteCitation too)."""
    tags = [t for t in _XML_ROOTS[root] if deletions or t != "DeleteCitation"]
    return re.compile(rb"<(?:" + "|".join(tags).encode() + rb")[\s/>]")


@lru_cache
def _record_ends(root: str) -> tuple[bytes, ...]:
    """The end tags of the root's records."""
    return tuple(f"</{tag}>".encode() for tag in _XML_ROOTS[root])


_READ_BYTES = 1 << 16
"""Bytes read at a time: a damaged archive then costs only the records after the damage."""


def _pieces(path: Path, root: str, piece_bytes: int) -> Iterator[_Piece]:
    """The file cut after record end tags; when the archive is damaged, the whole records
    read before the damage come out first."""
    ends = _record_ends(root)
    records = _record_start(root, deletions=False)
    start_tag = re.compile(rb"<" + root.encode() + rb"[\s/>]")
    head = b""
    number = lines = made = 0

    def piece(body: bytes, last: bool) -> _Piece:
        nonlocal number, lines, made
        prolog = head if made else b""  # the first piece has the file's own
        cut = _Piece(prolog, body, b"" if last else f"</{root}>".encode(), number,
                     lines - prolog.count(b"\n"), head)
        made += 1
        number += len(records.findall(body))
        lines += body.count(b"\n")
        return cut

    def root_start(buffer: bytes) -> bytes:
        """The prolog up to the root start tag's end, once the buffer holds it."""
        found = start_tag.search(buffer)
        close = buffer.find(b">", found.start()) if found else -1
        return buffer[:close + 1] if close >= 0 else b""

    blocks: list[bytes] = []
    size, wanted = 0, piece_bytes
    with open_binary(path) as handle:
        while True:
            try:
                block = handle.read(_READ_BYTES)
            except Exception:
                buffer = b"".join(blocks)
                head = head or root_start(buffer)
                cut = _last_end(buffer, ends)
                if cut:
                    yield piece(buffer[:cut], last=False)
                raise
            if not block:
                break
            blocks.append(block)
            size += len(block)
            if size < wanted:
                continue
            buffer = b"".join(blocks)
            head = head or root_start(buffer)
            cut = _last_end(buffer, ends) if head else 0
            if cut:
                yield piece(buffer[:cut], last=False)
                buffer = buffer[cut:]
            blocks, size = [buffer], len(buffer)
            wanted = size + piece_bytes
    buffer = b"".join(blocks)
    head = head or root_start(buffer)
    yield piece(buffer, last=True)


def _last_end(buffer: bytes, ends: tuple[bytes, ...]) -> int:
    """Where the last record end tag in the buffer ends (0 when there is none)."""
    return max((at + len(end) for end in ends if (at := buffer.rfind(end)) >= 0), default=0)


def _xml_record(path: str, element: etree._Element, number: int) -> Work | Rejected:
    parts = _by_tag(element)
    if element.tag == "PubmedBookArticle":
        document = _one(parts, "BookDocument")
        work = _book(document, parts) if document is not None else "no BookDocument"
    else:
        document = element if element.tag == "MedlineCitation" else _one(parts, "MedlineCitation")
        work = _article(document, parts) if document is not None else "no MedlineCitation"
    if isinstance(work, Work):
        return work
    pmid = _value(_by_tag(document), "PMID") if document is not None else None
    return Rejected(str(path), _where(pmid, number), work)


# One pass over an element's children, then lookups by tag: lxml's find() and findtext()
# go through ElementPath and cost several times more, which shows on a 30,000-article file.

def _by_tag(element: etree._Element) -> dict[str, list[etree._Element]]:
    children: dict[str, list[etree._Element]] = {}
    for child in element:
        children.setdefault(child.tag, []).append(child)
    return children


def _one(children: dict[str, list[etree._Element]], tag: str) -> etree._Element | None:
    found = children.get(tag)
    return found[0] if found else None


def _value(children: dict[str, list[etree._Element]], tag: str) -> str | None:
    found = children.get(tag)
    return found[0].text if found else None


def _text(element: etree._Element | None) -> str:
    """All the text inside an element (titles hold <i>, <sub> …), whitespace collapsed."""
    return _clean("".join(element.itertext())) if element is not None else ""


def _dois(*id_lists: etree._Element | None) -> list[str | None]:
    return [i.text for ids in id_lists if ids is not None for i in ids
            if i.get("IdType") == "doi"]


def _date(element: etree._Element | None) -> str | None:
    """A PubDate's Year, else its MedlineDate ('1978 Nov-Dec')."""
    if element is None:
        return None
    parts = _by_tag(element)
    return _value(parts, "Year") or _value(parts, "MedlineDate")


def _iso_date(element: etree._Element | None) -> str | None:
    """A PubDate's or ArticleDate's Year, Month ('Dec', '12') and Day as an ISO date, else its
    MedlineDate's ('1978 Nov-Dec'); None without a month."""
    if element is None:
        return None
    parts = _by_tag(element)
    if "Month" in parts:
        return publication_date(_clean(_value(parts, "Year")), _value(parts, "Month"),
                                _clean(_value(parts, "Day")))
    return _text_date(_value(parts, "MedlineDate"))  # None for a Year (and Season) alone


def _xml_abstract(abstract: etree._Element | None) -> str | None:
    """The AbstractText sections, each led by its Label; the text inside their markup
    (<i>, <sup>) kept."""
    if abstract is None:
        return None
    return labelled_abstract((part.get("Label"), "".join(part.itertext()) if len(part)
                              else part.text or "")
                             for part in abstract if part.tag == "AbstractText")


def _article(citation: etree._Element, record: dict[str, list[etree._Element]]) -> Work | str:
    cited = _by_tag(citation)
    article = _one(cited, "Article")
    if article is None:
        return "no Article"
    parts = _by_tag(article)
    journal = _by_tag(parts["Journal"][0]) if "Journal" in parts else {}
    issue = _by_tag(journal["JournalIssue"][0]) if "JournalIssue" in journal else {}
    types = _one(parts, "PublicationTypeList")
    pubmed_data = _one(record, "PubmedData")
    issued, electronic = _one(issue, "PubDate"), parts.get("ArticleDate", ())
    year = _year(_date(issued), *map(_date, electronic))
    return _work(
        _value(cited, "PMID") or "",
        _text(_one(parts, "ArticleTitle")) or _text(_one(parts, "VernacularTitle")),
        year,
        _dois(_one(_by_tag(pubmed_data), "ArticleIdList") if pubmed_data is not None else None)
        + [e.text for e in parts.get("ELocationID", ()) if e.get("EIdType") == "doi"],
        _value(journal, "Title") or _value(journal, "ISOAbbreviation"),
        document_type(t.text for t in (types if types is not None else ())),
        _xml_authors(parts),
        _xml_topics(citation),
        in_year(year, _iso_date(issued), *map(_iso_date, electronic)),
        _xml_abstract(_one(parts, "Abstract")),
    )


def _book(document: etree._Element, record: dict[str, list[etree._Element]]) -> Work | str:
    parts = _by_tag(document)
    book = _by_tag(parts["Book"][0]) if "Book" in parts else {}
    chapter = _text(_one(parts, "ArticleTitle"))
    book_title = _text(_one(book, "BookTitle"))
    publisher = _one(book, "Publisher")
    book_data = _one(record, "PubmedBookData")
    issued = _one(book, "PubDate")
    year = _year(_date(issued))
    return _work(
        _value(parts, "PMID") or "",
        chapter or book_title,
        year,
        _dois(_one(_by_tag(book_data), "ArticleIdList") if book_data is not None else None,
              _one(parts, "ArticleIdList")),
        book_title if chapter
        else _value(_by_tag(publisher), "PublisherName") if publisher is not None else None,
        _value(parts, "PublicationType") or ("Book Chapter" if chapter else "Book"),
        [a for a in _xml_authors(parts) if a] or _xml_authors(book),
        _xml_topics(document),
        in_year(year, _iso_date(issued)),
        _xml_abstract(_one(parts, "Abstract")),
    )


def _xml_authors(parts: dict[str, list[etree._Element]]) -> Iterator[AuthorRef | None]:
    """Authors of the byline (not editors), valid ones only, collective names left out."""
    for author_list in parts.get("AuthorList", ()):
        if author_list.get("Type", "authors") != "authors":
            continue
        for person in author_list:
            if person.tag != "Author" or person.get("ValidYN") == "N":
                continue
            fields = _by_tag(person)
            if "CollectiveName" in fields:
                continue
            yield _author(
                _value(fields, "LastName"),
                _value(fields, "ForeName") or _value(fields, "Initials"),
                next((i.text for i in fields.get("Identifier", ())
                      if (i.get("Source") or "").upper() == "ORCID"), None),
                map(_xml_affiliation, fields.get("AffiliationInfo", ())))


def _xml_affiliation(info: etree._Element) -> InstitutionRef | None:
    fields = _by_tag(info)
    ror = next((i.text for i in fields.get("Identifier", ())
                if (i.get("Source") or "").upper() == "ROR" and i.text), None)
    return _institution(_text(_one(fields, "Affiliation")), ror)


def _xml_topics(citation: etree._Element) -> Iterator[TopicRef | None]:
    for descriptor in citation.iter("DescriptorName"):  # only ever inside MeshHeading
        yield _mesh(descriptor.get("UI"), descriptor.text or "")
    for keyword in citation.iter("Keyword"):  # only ever inside KeywordList
        yield _keyword(_text(keyword))


# --- MEDLINE text --------------------------------------------------------------------------

@dataclass(slots=True)
class _Field:
    tag: str
    line: int
    value: str  # continuation lines joined to it by single spaces


def _decoded(lines: bytes) -> list[str]:
    """Whole lines (no end on the last), each decoded as UTF-8, or as Latin-1 when it is
    not UTF-8 (a block at a time: per line, decoding costs more than parsing)."""
    try:
        text = lines.decode("utf-8")
    except UnicodeDecodeError:  # rare: decode the block line by line
        return [decode_text(raw).removeprefix("\ufeff").rstrip("\r")
                for raw in lines.split(b"\n")]
    if "\ufeff" in text or "\r" in text:
        return [line.removeprefix("\ufeff").rstrip("\r") for line in text.split("\n")]
    return text.split("\n")


def _medline(path: Path, workers: int, piece_bytes: int) -> Iterator[Item]:
    """The records of the text's pieces (see below), read by ``workers`` processes
    when the file is bigger than a piece, else in this one; numbered here."""
    parallel = workers > 1 and path.stat().st_size > piece_bytes
    pieces = _medline_pieces(path, piece_bytes if parallel else _SERIAL_PIECE_BYTES)
    if parallel:
        with process_pool(workers) as pool:
            tasks = (pool.submit(_medline_piece, *piece) for piece in pieces)
            yield from _numbered(str(path), in_order(tasks, ahead=4 * workers))
    else:
        yield from _numbered(str(path), (_medline_piece(*piece) for piece in pieces))


def _numbered(path: str, pieces: Iterable[list[_Outcome]]) -> Iterator[Work | Rejected]:
    """The records of the pieces in order, rejections named by their number in the file."""
    number = 0
    for outcomes in pieces:
        for outcome in outcomes:
            number += 1
            yield _medline_item(path, outcome, number)


def _medline_fields(lines: Iterable[str], line_shift: int = 0,
                    last: bool = True) -> Iterator[list[_Field]]:
    """Each record's fields. Records start at 'PMID- ' and end at a blank line; lines
    indented by spaces continue the field above them. ``last=False``: the lines stop
    before the input does, so a record they leave open is not given."""
    fields: list[_Field] = []
    field_match = _TAG.fullmatch
    for line_number, line in enumerate(lines, start=line_shift + 1):
        if not line or line.isspace():
            if fields:
                yield fields
                fields = []
            continue
        if line[0] in " \t" and fields:
            fields[-1].value += " " + line.strip()
            continue
        match = field_match(line)
        tag, value = (match[1], match[2].strip()) if match else ("", line)
        if tag == "PMID" and fields:
            yield fields
            fields = []
        fields.append(_Field(tag, line_number, value))
    if fields and last:
        yield fields


_Outcome = Work | tuple[str | None, str]
"""A MEDLINE record read: its work, or its PMID and why it was rejected (the record's
number is given where records are counted)."""


def _medline_item(path: str, outcome: _Outcome, number: int) -> Work | Rejected:
    if isinstance(outcome, Work):
        return outcome
    pmid, reason = outcome
    return Rejected(path, _where(pmid, number), reason)


@dataclass
class _Person:
    family: str | None = None
    given: str | None = None
    name: str | None = None
    orcid: str | None = None
    places: list[str] = field(default_factory=list)
    has_au: bool = False


def _medline_outcome(fields: list[_Field]) -> _Outcome:
    first: dict[str, str] = {}
    for item in fields:
        if item.tag in _FIRST_OF and item.tag not in first:
            first[item.tag] = item.value
    bad = next((f for f in fields if not f.tag), None)
    if bad is not None:
        return first.get("PMID"), (f"line {bad.line} is not a MEDLINE field "
                                   f"('XXXX- value'): {bad.value[:60]!r}")
    year = _year(first.get("DP"), first.get("DEP"))
    work = _work(
        first.get("PMID", ""),
        first.get("TI") or first.get("TT") or first.get("BTI", ""),
        year,
        [f.value.removesuffix("[doi]") for tag in ("AID", "LID") for f in fields
         if f.tag == tag and f.value.endswith("[doi]")],
        first.get("JT") or first.get("TA") or first.get("BTI"),
        document_type(f.value for f in fields if f.tag == "PT"),
        _medline_authors(fields),
        _medline_topics(fields),
        in_year(year, _text_date(first.get("DP")), _compact_date(first.get("DEP"))),
        _medline_abstract(first.get("AB")),
    )
    return (first.get("PMID"), work) if isinstance(work, str) else work


def _medline_abstract(text: str | None) -> str | None:
    """AB; one that starts with a section label ('BACKGROUND: ') is split at its labels, as
    PubMed XML gives the sections."""
    if not text or not _SECTION_LABEL.match(text):
        return plain_abstract(text, markup=False)
    pieces = _SECTION_LABEL.split(text)  # ['', label, text, label, text, ...]
    return labelled_abstract(zip(pieces[1::2], pieces[2::2], strict=True))


def _medline_authors(fields: list[_Field]) -> Iterator[AuthorRef | None]:
    """FAU 'Family, Given' starts an author; the AU, AD and AUID lines after it are theirs.
    An AU without a FAU is an author known by 'Family Initials' only."""
    people: list[_Person] = []
    current: _Person | None = None
    for item in fields:
        value = item.value
        if item.tag == "FAU":
            family, comma, given = value.partition(",")
            current = _Person(family, given) if comma else _Person(value)
            people.append(current)
        elif item.tag == "AU":
            if current is None or current.has_au:
                current = _initials_only(value)
                people.append(current)
            current.has_au = True
        elif item.tag in ("CN", "IR", "FIR"):
            current = None  # a collective author or an investigator: not in the byline
        elif current is not None and item.tag == "AD":
            current.places.append(value)
        elif current is not None and item.tag == "AUID" and value.upper().startswith("ORCID:"):
            current.orcid = value[len("ORCID:"):]
    for person in people:
        yield _author(person.family, person.given, person.orcid,
                      map(_institution, person.places), person.name)


def _initials_only(au: str) -> _Person:
    """AU 'van Dellen AF' -> family 'van Dellen', given 'A F' (how PubMed XML spells initials
    as a ForeName); other forms stay as written."""
    family, _, initials = au.rpartition(" ")
    if family and _INITIALS.fullmatch(initials):
        return _Person(family, " ".join(initials))
    return _Person(name=au)


def _medline_topics(fields: list[_Field]) -> Iterator[TopicRef | None]:
    """MH 'Cattle/*microbiology' -> the descriptor 'Cattle'; OT lines are keywords."""
    for item in fields:
        if item.tag == "MH":
            yield _mesh(None, item.value.split("/", 1)[0].lstrip("*"))
        elif item.tag == "OT":
            yield _keyword(item.value)


# --- MEDLINE text, piece by piece ----------------------------------------------------------
#
# The decompressed text is cut before a line starting 'PMID-' (a record starts there, whatever
# came before it) into pieces of about ``piece_bytes``; each piece's lines are read on their
# own (by a worker process for a big file) into each record's outcome, and the records are
# numbered where the pieces come together.

_PMID_LINE = re.compile(rb"PMID *-")
_SERIAL_PIECE_BYTES = 1 << 16  # read in this process: records come out as they are read


def _medline_piece(body: bytes, line_shift: int, last: bool) -> list[_Outcome]:
    """The outcomes of the records in a piece of whole lines (its lines numbered from
    ``line_shift + 1``; ``last=False``: a record left open at its end is not read)."""
    if not body:
        return []
    lines = _decoded(body.removesuffix(b"\n"))
    return [_medline_outcome(fields) for fields in _medline_fields(lines, line_shift, last)]


def _medline_pieces(path: Path, piece_bytes: int) -> Iterator[tuple[bytes, int, bool]]:
    """(piece, lines before it, whether its last record ends with it): the text cut before
    record starts. When the archive is damaged, the whole lines read before the damage come
    out first (``read1``: a read gives what it could before the damage)."""
    buffer = b""
    lines = 0
    with open_binary(path) as handle:
        while True:
            try:
                block = handle.read1(piece_bytes)
            except Exception:
                yield buffer[:buffer.rfind(b"\n") + 1], lines, False
                raise
            if not block:
                break
            buffer += block
            if len(buffer) < piece_bytes:
                continue
            cut = _last_record_start(buffer)
            if cut:
                yield buffer[:cut], lines, True
                lines += buffer.count(b"\n", 0, cut)
                buffer = buffer[cut:]
    yield buffer, lines, True


def _last_record_start(buffer: bytes) -> int:
    """Where the last line starting 'PMID-' starts (0 when there is none after the first)."""
    at = len(buffer)
    while (at := buffer.rfind(b"\nPMID", 0, at)) >= 0:
        if _PMID_LINE.match(buffer, at + 1):
            return at + 1
    return 0
