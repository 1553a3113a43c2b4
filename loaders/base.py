"""What every loader shares: opening (plain or .gz) and rejected-record reports."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

from explorer.names import fold


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


def read_text(path: Path) -> str:
    """The whole text of a plain or gzipped file; bytes that are not UTF-8 are read as
    Latin-1 (mixed encodings are common in exports)."""
    try:
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise UnreadableFile(f"{path}: the gzip archive is damaged or truncated ({exc})") \
            from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def name_id(name: str) -> str:
    """An author id from a name alone (no ORCID, no source id): the folded full name."""
    return f"name:{fold(name)}"
