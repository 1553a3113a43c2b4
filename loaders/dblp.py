"""DBLP XML (``dblp.xml`` and extracts of it, plain or ``.gz``), streamed with lxml iterparse.

Character entities (``&uuml;``) come from the DTD named in the DOCTYPE when it sits next to
the file, else from Python's HTML entity table. ``www`` (person pages), ``person`` and
``data`` records are not papers and are skipped. Bytes that are not UTF-8 are read as Latin-1.
Where the XML is not well-formed, the error is reported with its line and reading goes on at
the next record (a document of the file's prolog and the rest of the file).

DBLP gives no abstracts. A record's publication date is its ``year`` and ``month`` (``May``,
``April/May``) when it has a ``<month>``; ``mdate`` is when DBLP last changed the record.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Generator, Iterator
from html.entities import name2codepoint
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from explorer.records import AuthorRef, Work

from .base import LATIN1_FALLBACK, Rejected, doi_id, open_binary, title_id, unreadable_file_errors
from .paper_details import publication_date
from .xml_resume import PARSER_POSITION, ByteReader, Lines, ResumedDocument

PAPERS = ("article", "inproceedings", "proceedings", "book", "incollection", "phdthesis",
          "mastersthesis")
SKIPPED = ("www", "person", "data")
"""Root children that are not papers: person pages and research-data records."""
EDITED = ("proceedings", "book")
"""Record types whose editors stand in as the people when there is no author."""

_DOI_HOSTS = ("doi.org", "dx.doi.org", "doi.acm.org", "doi.ieeecomputersociety.org")
_HOMONYM = re.compile(r"\s+\d{4}$")
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
_ARXIV = re.compile(r"arxiv\.org/abs/(.+?)(?:v\d+)?$")
_CHUNK = 1 << 20

_FALLBACK_DTD = "".join(f'<!ENTITY {name} "&#{code};">' for name, code in name2codepoint.items()
                        if name not in ("amp", "lt", "gt", "quot", "apos"))


class _Utf8Stream:
    """The file as UTF-8 for the parser: bytes that are not UTF-8 are read as Latin-1."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors=LATIN1_FALLBACK)

    def read(self, size: int = _CHUNK) -> bytes:
        while True:
            # read1: a damaged archive then costs only the bytes after the damage
            chunk = self._raw.read1(size if size and size > 0 else _CHUNK)
            text = self._decoder.decode(chunk, final=not chunk)
            if text or not chunk:
                return text.encode()


class _Entities(etree.Resolver):
    """The DTD next to the data file when there is one, else the HTML character entities;
    nothing else outside the file is read."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def resolve(self, system_url: str | None, public_id: str | None, context: object):
        name = (system_url or "").replace("\\", "/").rsplit("/", 1)[-1]
        if not name.endswith(".dtd"):
            return self.resolve_empty(context)
        local = self.folder / name
        if local.is_file():
            return self.resolve_filename(str(local), context)
        return self.resolve_string(_FALLBACK_DTD, context)


def _text(element: etree._Element | None) -> str:
    """Text with its markup (``<i>``, ``<sub>``) dropped and white space collapsed."""
    if element is None:
        return ""
    text = (element.text or "") if not len(element) else "".join(element.itertext())
    return " ".join(text.split())


def _doi(url: str) -> str | None:
    """The DOI of an ``ee`` link to a DOI resolver (percent-escapes decoded), else None."""
    if "doi" not in url:
        return None
    parts = urlsplit(url.strip())
    if parts.hostname not in _DOI_HOSTS:
        return None
    found = doi_id(unquote(parts.path.lstrip("/")))
    return found[len("doi:"):] if found else None


def _orcid(value: str | None) -> str | None:
    match = _ORCID.search((value or "").strip().upper().rstrip("/"))
    return match.group(1) if match else None


def _person(element: etree._Element) -> AuthorRef | None:
    """DBLP names are person keys ("Wei Wang 0001"): the key is the id, shown without suffix.

    The key stays the id even where an ORCID is given (kept in ``orcid``): dblp puts the
    ORCID on some of a person's records only, and one person must stay one node."""
    # one person however the accents are encoded ('é' as one character or 'e' + accent)
    written = unicodedata.normalize("NFC", _text(element))
    if not written:
        return None
    orcid = _orcid(element.get("orcid"))
    shown = _HOMONYM.sub("", written) or written
    return AuthorRef(f"dblp:{written}", shown, orcid)


def _work(record: etree._Element) -> Work | str:
    """A work, or the reason the record cannot be one."""
    fields: dict[str, list[etree._Element]] = {}
    for child in record:
        fields.setdefault(child.tag, []).append(child)

    def first(tag: str) -> str:
        return _text(fields[tag][0]) if tag in fields else ""

    title = first("title")
    title = title[:-1].rstrip() if title.endswith(".") else title  # DBLP's closing period
    if not title:
        return "no title"
    key = record.get("key") or ""
    links = [_text(ee) for ee in fields.get("ee", ())]
    doi = next((d for d in map(_doi, links) if d), None)
    arxiv = next((m.group(1) for m in map(_ARXIV.search, links) if m), None)
    people = fields.get("author") or (fields.get("editor", []) if record.tag in EDITED else [])
    year = first("year")
    year_number = int(year) if year.isdigit() and len(year) == 4 else None
    return Work(
        id=f"doi:{doi}" if doi else f"dblp:{key}" if key else title_id(title, year_number),
        title=title, year=year_number, doi=doi, arxiv_id=arxiv,
        venue=first("journal") or first("booktitle") or None, type=record.tag, source="dblp",
        authors=tuple(a for a in map(_person, people) if a),
        publication_date=publication_date(year_number, first("month")),
    )


def _where(element: etree._Element, lines: Lines) -> str:
    """The record's key and its line in the file."""
    line = lines(element.sourceline or 0)
    key = element.get("key")
    return f"entry {key} (line {line})" if key else f"line {line}"


def _unknown(path: Path, element: etree._Element, lines: Lines) -> Rejected:
    return Rejected(str(path), _where(element, lines),
                    f"<{element.tag}> is not a DBLP record type ({', '.join(PAPERS)})")


def _drop_earlier(path: Path, element: etree._Element, lines: Lines) -> Iterator[Rejected]:
    """Free the records before this one; report any root child that is not a record."""
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        if isinstance(parent[0].tag, str) and parent[0].tag not in PAPERS + SKIPPED:
            yield _unknown(path, parent[0], lines)
        del parent[0]


def _format_problem(path: Path) -> str | None:
    """Why the file is not DBLP XML (empty, not XML, another root element), else None."""
    parser = etree.XMLPullParser(events=("start",), encoding="utf-8", no_network=True)
    blank, root = True, None
    with open_binary(path) as raw:
        stream = _Utf8Stream(raw)
        try:
            while root is None and (chunk := stream.read(1 << 16)):
                blank = blank and not chunk.strip()
                parser.feed(chunk)
                root = next(iter(parser.read_events()), (None, None))[1]
            if root is None and not blank:
                parser.close()
        except etree.XMLSyntaxError as exc:  # an error after the root is the parse's to report
            root = next(iter(parser.read_events()), (None, None))[1]
            if root is None:
                return f"not XML ({PARSER_POSITION.sub('', exc.msg)}): wrong format?"
    if root is None:
        return "the file is empty" if blank else "no root element: wrong format?"
    return None if root.tag == "dblp" else \
        f"the root element is <{root.tag}>, not <dblp>: wrong format?"


def read(path: Path) -> Iterator[Work | Rejected]:
    with unreadable_file_errors(path, streamed=True):
        problem = _format_problem(path)
        if problem:
            yield Rejected(str(path), "file", problem)
            return
        with open_binary(path) as raw:
            error = yield from _records(path, _Utf8Stream(raw), Lines())
        read_on_after = 0
        while error:  # read on from the first record after the line where the XML broke
            line, message = error
            with open_binary(path) as raw:
                resumed = ResumedDocument.after(_Utf8Stream(raw), line, _PROLOG_END,
                                                _RECORD_START) \
                    if line > read_on_after else None  # (the prolog cannot break again)
                read_on_after = line
                where = f"; read on from the next record, at line {resumed[1]}" \
                    if resumed else ""
                yield Rejected(str(path), f"line {line}", f"not well-formed XML: {message}{where}")
                if resumed is None:
                    return
                error = yield from _records(path, resumed[0], resumed[2])


def _records(path: Path, stream: ByteReader,
             lines: Lines) -> Generator[Work | Rejected, None, tuple[int, str] | None]:
    """Every record up to the end or to an XML error, whose file line and message are
    returned (``lines``: the document's lines in the file)."""
    events = etree.iterparse(
        stream, tag=PAPERS + SKIPPED, encoding="utf-8", load_dtd=True, resolve_entities=True,
        no_network=True, huge_tree=True, remove_comments=True, remove_pis=True,
        chunk_size=_CHUNK)
    events.resolvers.add(_Entities(path.parent))
    try:
        for _, record in events:
            if record.tag in PAPERS:
                work = _work(record)
                yield Rejected(str(path), _where(record, lines), work) \
                    if isinstance(work, str) else work
            record.clear()
            yield from _drop_earlier(path, record, lines)
    except etree.XMLSyntaxError as exc:
        return lines(exc.lineno or 0), lines.in_message(PARSER_POSITION.sub("", exc.msg))
    root = events.root
    for element in root if root is not None else ():
        if isinstance(element.tag, str) and element.tag not in PAPERS + SKIPPED:
            yield _unknown(path, element, lines)
    return None


_PROLOG_END = re.compile(rb"<dblp[\s>]")
_RECORD_START = re.compile(rb"<(?:" + "|".join(PAPERS + SKIPPED).encode() + rb")[\s>]")


