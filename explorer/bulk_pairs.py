"""Co-author pairs of a bulk import: made per chunk with numpy, spilled to bucket files by
the smaller author number, counted one bucket at a time (memory bounded by a bucket)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

NO_YEAR = -1
PAIR = np.dtype([("a", "<i4"), ("b", "<i4"), ("year", "<i2"), ("paper", "<i4")])


def year_span(year: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest known year of each run of rows beginning at ``starts``
    (NO_YEAR where a run has none)."""
    if not len(starts):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    year = year.astype(np.int64)
    known = year != NO_YEAR
    big = np.iinfo(np.int64).max
    lowest = np.minimum.reduceat(np.where(known, year, big), starts)
    highest = np.maximum.reduceat(np.where(known, year, NO_YEAR), starts)
    lowest[lowest == big] = NO_YEAR
    return lowest, highest


def paper_pairs(author: np.ndarray, counts: np.ndarray, max_authors: int) -> \
        tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every pair of every paper with 2..max_authors authors: (smaller, larger, paper).

    ``author`` lists each paper's distinct authors, paper after paper; ``counts`` says how
    many each has. Papers of the same size n form a matrix of n author columns, and each
    pair of columns gives pairs."""
    starts = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    lows, highs, papers = [], [], []
    for n in np.unique(counts).tolist():
        if n < 2 or n > max_authors:
            continue
        which = np.flatnonzero(counts == n)
        members = author[starts[which][:, None] + np.arange(n)]
        left, right = np.triu_indices(n, 1)
        lows.append(np.minimum(members[:, left], members[:, right]).ravel())
        highs.append(np.maximum(members[:, left], members[:, right]).ravel())
        papers.append(np.repeat(which, len(left)))
    if not lows:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(lows), np.concatenate(highs), np.concatenate(papers)


class PairBuckets:
    """Pairs with their paper's number and year, in ``buckets`` files on disk."""

    def __init__(self, directory: Path, buckets: int) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.paths = [directory / f"pairs-{n:03d}.bin" for n in range(buckets)]
        self._files: list[BinaryIO | None] = [None] * buckets
        self.rows = 0

    def add(self, author: np.ndarray, counts: np.ndarray, years: np.ndarray, base: int,
            max_authors: int) -> None:
        """Spill the pairs of a chunk: ``author`` per distinct byline in paper order,
        ``counts`` and ``years`` per paper of the chunk, numbered from ``base``."""
        low, high, local = paper_pairs(author, counts, max_authors)
        if not len(low):
            return
        rows = np.empty(len(low), PAIR)
        rows["a"], rows["b"] = low, high
        rows["year"] = years[local]
        rows["paper"] = local + base
        bucket = low % len(self.paths)
        order = np.argsort(bucket, kind="stable")
        bounds = np.searchsorted(bucket[order], np.arange(len(self.paths) + 1))
        rows = rows[order]
        for n in range(len(self.paths)):
            if bounds[n] < bounds[n + 1]:
                handle = self._files[n]
                if handle is None:
                    handle = self._files[n] = self.paths[n].open("ab")
                rows[bounds[n]:bounds[n + 1]].tofile(handle)
        self.rows += len(rows)

    def counted(self, alive: np.ndarray) -> Iterator[tuple[np.ndarray, ...]]:
        """Per bucket: smaller and larger author, weight (papers), first and last year;
        pairs of papers that are not ``alive`` (replaced, deleted) do not count."""
        for handle in self._files:
            if handle is not None:
                handle.close()
        self._files = [None] * len(self.paths)
        for path in self.paths:
            if not path.exists():
                continue
            rows = np.fromfile(path, PAIR)
            path.unlink()
            rows = rows[alive[rows["paper"]]]
            if not len(rows):
                continue
            code = (rows["a"].astype(np.int64) << 32) | rows["b"].astype(np.int64)
            order = np.argsort(code)
            code, year = code[order], rows["year"][order]
            del rows, order
            starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
            weight = np.diff(np.append(starts, len(code)))
            lowest, highest = year_span(year, starts)
            unique = code[starts]
            yield (unique >> 32).astype(np.int32), (unique & 0xFFFFFFFF).astype(np.int32), \
                weight, lowest, highest
