"""Loaders: read bibliographic files into :class:`explorer.records.Work` records.

Each source is one module with ``read(path) -> Iterator[Work | Rejected]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from . import bibtex, openalex
from .base import Rejected

Reader = Callable[[Path], Iterator["object"]]

SOURCES: dict[str, Reader] = {
    "bibtex": bibtex.read,
    "openalex": openalex.read,
}

__all__ = ["SOURCES", "Rejected"]
