"""What every loader shares: opening (plain or .gz) and rejected-record reports."""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from explorer.names import fold
from explorer.records import InstitutionRef, TopicRef


@dataclass(frozen=True)
class Rejected:
    """A record that could not be loaded: where it is and why."""

    file: str
    record: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.reason}"


class UnreadableFile(Exception):
    """The file as a whole cannot be read (missing, truncated archive, not text)."""


_bytes_read: ContextVar[Callable[[int], object] | None] = ContextVar("bytes_read", default=None)


@contextmanager
def reporting_bytes_read(callback: Callable[[int], object]) -> Iterator[None]:
    """Within this block, files opened by :func:`open_binary` report the bytes read from
    disk (compressed bytes for .gz), so a progress bar can show an ETA."""
    token = _bytes_read.set(callback)
    try:
        yield
    finally:
        _bytes_read.reset(token)


def report_bytes_read(count: int) -> None:
    """Report bytes read without :func:`open_binary` (by worker processes, say)."""
    report = _bytes_read.get()
    if report is not None:
        report(count)


class _CountingReader(io.RawIOBase):
    def __init__(self, raw: BinaryIO, report: Callable[[int], object]) -> None:
        self.raw, self.report = raw, report

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.report(count)
        return count

    def close(self) -> None:
        self.raw.close()
        super().close()


def open_binary(path: Path) -> BinaryIO:
    """A plain or gzipped file, read as bytes (use inside :func:`unreadable_file_errors`)."""
    handle: BinaryIO = path.open("rb")
    report = _bytes_read.get()
    if report is not None:
        handle = io.BufferedReader(_CountingReader(handle, report))  # type: ignore[assignment]
    if path.suffix != ".gz":
        return handle
    archive = gzip.GzipFile(fileobj=handle, mode="rb")
    archive.myfileobj = handle  # type: ignore[attr-defined]  # closed with the archive
    return archive  # type: ignore[return-value]


@contextmanager
def unreadable_file_errors(path: Path, *, streamed: bool = False) -> Iterator[None]:
    """Turn a missing file or a damaged archive into :class:`UnreadableFile`."""
    try:
        yield
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        kept = "; the records before the damage were read" if streamed else ""
        raise UnreadableFile(f"{path}: the gzip archive is damaged or truncated ({exc}){kept}") \
            from None
    except OSError as exc:  # a directory, no permission, a device error
        raise UnreadableFile(f"{path}: cannot read it ({exc.strerror or exc})") from None


def decode_text(raw: bytes, *, bom: bool = False) -> str:
    """Bytes as UTF-8 (dropping a byte-order mark when ``bom``), or as Latin-1 when they are
    not UTF-8: mixed encodings are common in exports, so loaders decode line by line."""
    try:
        return raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("latin-1"), error.end


LATIN1_FALLBACK = "coauthor-explorer:latin-1"
"""A codec error handler for streams decoded incrementally: the bytes that are not UTF-8
are read as Latin-1 (``codecs.getincrementaldecoder("utf-8")(LATIN1_FALLBACK)``)."""
codecs.register_error(LATIN1_FALLBACK, _latin1_fallback)


def read_text(path: Path) -> str:
    """The whole text of a plain or gzipped file (see :func:`decode_text`)."""
    with unreadable_file_errors(path), open_binary(path) as handle:
        raw = handle.read()
    return decode_text(raw, bom=True)


def name_id(name: str) -> str:
    """An author id from a name alone (no ORCID, no source id): the folded full name."""
    return f"name:{fold(name)}"


def institution_from_text(text: str, country: str | None = None) -> InstitutionRef | None:
    """An institution known only by a free-text affiliation (PubMed, Crossref, Scopus, WoS):
    its id is a digest of the folded text, so the same spelling is one node."""
    name = " ".join((text or "").split())
    if not fold(name):
        return None
    digest = hashlib.blake2b(fold(name).encode(), digest_size=8).hexdigest()
    return InstitutionRef(f"affiliation:{digest}", name, country)


def keyword_topics(words: Iterable[str]) -> tuple[TopicRef, ...]:
    """Keywords as topics (``keyword:<folded keyword>``), spaces made single, each folded
    keyword once under its first spelling (BibTeX, RIS, Scopus, WoS)."""
    found: dict[str, TopicRef] = {}
    for word in words:
        name = " ".join(word.split())
        key = fold(name)
        if key:
            found.setdefault(f"keyword:{key}", TopicRef(f"keyword:{key}", name))
    return tuple(found.values())


def title_id(title: str, year: int | None) -> str:
    """A paper id for a record with neither DOI nor source id: digest of folded title+year."""
    return "title:" + hashlib.blake2b(f"{fold(title)}|{year}".encode(), digest_size=8).hexdigest()


def doi_id(doi: str | None) -> str | None:
    """'https://doi.org/10.1/ABC' or 'doi:10.1/ABC' -> 'doi:10.1/abc' (None when no DOI)."""
    if not doi:
        return None
    value = doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:"):
        if value.startswith(prefix):
            value = value[len(prefix):]
    return f"doi:{value}" if value.startswith("10.") else None
