"""Checks every loader's tests make the same way."""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from explorer.records import Work
from loaders.base import UnreadableFile


def cut_gzip(path: Path, data: bytes, *, keep: tuple[int, int] = (2, 3)) -> Path:
    """``data`` gzipped into ``path``, then cut short after ``keep`` (a fraction) of it."""
    whole = gzip.compress(data)
    path.write_bytes(whole[: len(whole) * keep[0] // keep[1]])
    return path


def works_before_damage(read: Callable[[Path], Iterable[object]], path: Path) -> int:
    """How many works a loader yields from a damaged archive before it must report it."""
    items: list[object] = []
    with pytest.raises(UnreadableFile, match="damaged or truncated"):
        items.extend(read(path))
    return sum(isinstance(item, Work) for item in items)
