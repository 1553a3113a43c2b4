"""What a bulk import remembers per author and per paper, as compactly as it can.

Authors are numbered in order of first appearance: a dict maps the id to its number; the
id, first spelling, name key and first ORCID are Arrow strings; later spellings and late
ORCIDs (rare) are sparse dicts. Papers are numbered in file order; their ids are Arrow
strings, looked up through sorted runs of 63-bit digests (explorer.digests.id_hash).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .names import search_key, search_keys
from .personal_names import name_block


def grow(array: np.ndarray, more: np.ndarray) -> np.ndarray:
    return np.concatenate((array, more.astype(array.dtype, copy=False)))


def _concat(parts: list[pa.Array], kind: pa.DataType) -> pa.Array:
    """The parts as one array, which then replaces them (no second copy is kept)."""
    if not parts:
        return pa.array([], kind)
    if len(parts) > 1:
        parts[:] = [pa.concat_arrays(parts)]
    return parts[0]


class Authors:
    """Every author met so far, by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._ids: list[pa.Array] = []
        self._keys: list[pa.Array] = []
        self._orcids: list[pa.Array] = []
        self.first = pa.array([], pa.string())  # the first byline's spelling
        self.has_orcid = np.zeros(0, bool)
        self.late_orcid: dict[int, str] = {}
        self.extras: dict[int, list[str]] = {}  # later spellings, in order
        self.parts: dict[int, tuple[str | None, str | None]] = {}  # source's family, given

    @property
    def count(self) -> int:
        return len(self.index)

    def add(self, authors: pa.Array, bylines: pa.Table) -> np.ndarray:
        """Number the chunk's authors (new ones get the next numbers) and record their
        spellings and ORCIDs; returns local number -> global number."""
        index = self.index
        numbers, new = [], []
        for local, author_id in enumerate(authors.to_pylist()):
            number = index.get(author_id)
            if number is None:
                number = index[author_id] = len(index)
                new.append(local)
            numbers.append(number)
        mapping = np.array(numbers, np.int32)
        local = bylines.column("author").to_numpy()
        first_row = np.empty(len(authors), np.int64)
        first_row[local[::-1]] = np.arange(len(local) - 1, -1, -1)
        if new:
            rows = pa.array(first_row[new])
            self._ids.append(authors.take(pa.array(new)))
            firsts = bylines.column("name").take(rows).combine_chunks()
            self.first = pa.concat_arrays([self.first, firsts])
            family, given = bylines.column("family"), bylines.column("given")
            split = pc.or_(pc.is_valid(family), pc.is_valid(given)).take(rows)
            for row in np.flatnonzero(split.to_numpy(zero_copy_only=False)).tolist():
                at = int(first_row[new[row]])
                self.parts[len(index) - len(new) + row] = (family[at].as_py(),
                                                           given[at].as_py())
            orcids = bylines.column("orcid").take(rows).combine_chunks()
            self._orcids.append(orcids)
            self.has_orcid = np.concatenate(
                (self.has_orcid, orcids.is_valid().to_numpy(zero_copy_only=False)))
        number = mapping[local]
        self._spellings(number, bylines.column("name"))
        self._late_orcids(number, bylines.column("orcid"))
        return mapping

    def _spellings(self, number: np.ndarray, names: pa.ChunkedArray) -> None:
        known = self.first.take(pa.array(number))
        other = pc.and_(pc.not_equal(known, names.combine_chunks()),
                        pc.not_equal(names.combine_chunks(), ""))
        rows = np.flatnonzero(other.to_numpy(zero_copy_only=False))
        if not len(rows):
            return
        for n, name in zip(number[rows].tolist(), names.take(pa.array(rows)).to_pylist(),
                           strict=True):
            extra = self.extras.setdefault(n, [])
            if name not in extra:
                extra.append(name)

    def _late_orcids(self, number: np.ndarray, orcids: pa.ChunkedArray) -> None:
        present = np.asarray(pc.is_valid(orcids).to_numpy(zero_copy_only=False))
        rows = np.flatnonzero(present & ~self.has_orcid[number])
        for n, orcid in zip(number[rows].tolist(), orcids.take(pa.array(rows)).to_pylist(),
                            strict=True):
            if not self.has_orcid[n]:
                self.has_orcid[n] = True
                self.late_orcid[n] = orcid

    # -- per author, by number --------------------------------------------------------------

    def ids(self) -> pa.Array:
        return _concat(self._ids, pa.string())

    def keys(self) -> pa.Array:
        """Name keys (the block of the first byline), computed once per distinct
        spelling for the authors added since the last call."""
        done = sum(len(k) for k in self._keys)
        if done < self.count:
            names = self.first.slice(done)
            split = np.array(sorted(n for n in self.parts if n >= done), np.int64)
            mask = np.zeros(len(names), bool)
            mask[split - done] = True  # the source split the name: parse it with its parts
            unique = pc.unique(names.filter(pa.array(~mask)))
            blocks = pa.array([name_block(n) for n in unique.to_pylist()], pa.string())
            keys = blocks.take(pc.index_in(names, unique))
            if len(split):
                spellings = self.first.take(pa.array(split)).to_pylist()
                keys = pc.replace_with_mask(keys, pa.array(mask), pa.array(
                    [name_block(name, *self.parts[n])
                     for n, name in zip(split.tolist(), spellings, strict=True)],
                    pa.string()))
            self._keys.append(keys)
        return _concat(self._keys, pa.string())

    def orcids(self) -> pa.Array:
        orcids = _concat(self._orcids, pa.string())
        if not self.late_orcid:
            return orcids
        late = sorted(self.late_orcid)
        mask = np.zeros(len(orcids), bool)
        mask[late] = True
        return pc.replace_with_mask(orcids, pa.array(mask),
                                    pa.array([self.late_orcid[n] for n in late], pa.string()))

    def variants(self, number: int) -> list[str]:
        first = self.first[number].as_py()
        return ([first] if first else []) + self.extras.get(number, [])

    def display_names(self) -> pa.Array:
        """The first non-empty spelling (None when there is none)."""
        names = pc.if_else(pc.equal(self.first, ""), pa.scalar(None, pa.string()), self.first)
        return self._patched(names, lambda n: (self.variants(n) or [None])[0])

    def variant_lists(self) -> pa.Array:
        """[first spelling] for most authors; every spelling for the others."""
        rows = self._irregular()
        lengths = np.ones(len(self.first), np.int64)
        pieces, start = [], 0
        for row in rows:
            variants = self.variants(row)
            lengths[row] = len(variants)
            pieces += [self.first.slice(start, row - start), pa.array(variants, pa.string())]
            start = row + 1
        pieces.append(self.first.slice(start))
        offsets = np.zeros(len(lengths) + 1, np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return pa.LargeListArray.from_arrays(pa.array(offsets), pa.concat_arrays(pieces)) \
            .cast(pa.list_(pa.string()))

    def _irregular(self) -> list[int]:
        """Authors with later spellings, or whose first spelling is empty."""
        fix = set(self.extras)
        fix.update(np.flatnonzero(pc.equal(self.first, "").to_numpy(
            zero_copy_only=False)).tolist())
        return sorted(fix)

    def search_keys(self) -> pa.Array:
        unique = pc.unique(self.first)
        keys = search_keys(unique).take(pc.index_in(self.first, unique))
        return self._patched(keys, lambda n: search_key(self.variants(n)))

    def _patched(self, column: pa.Array, value: Callable[[int], object],
                 kind: pa.DataType | None = None) -> pa.Array:
        """The column with the rows of authors with later (or only empty) spellings
        replaced by ``value(number)``."""
        rows = self._irregular()
        if not rows:
            return column
        mask = np.zeros(len(column), bool)
        mask[rows] = True
        values = pa.array([value(n) for n in rows], kind or column.type)
        return pc.replace_with_mask(column, pa.array(mask), values)


class Runs:
    """An int64 -> int64 multimap that grows by sorted runs (few: the newest are merged
    while they are at least half as long as the one before)."""

    def __init__(self) -> None:
        self._runs: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, keys: np.ndarray, values: np.ndarray) -> None:
        if not len(keys):
            return
        order = np.argsort(keys, kind="stable")
        self._runs.append((keys[order].astype(np.int64), values[order].astype(np.int64)))
        while len(self._runs) > 1 and 2 * len(self._runs[-1][0]) >= len(self._runs[-2][0]):
            (k1, v1), (k2, v2) = self._runs[-2], self._runs.pop()
            keys, values = np.concatenate((k1, k2)), np.concatenate((v1, v2))
            order = np.argsort(keys, kind="stable")
            self._runs[-1] = (keys[order], values[order])

    def find(self, keys: np.ndarray) -> list[tuple[int, int]]:
        """(index in ``keys``, value) for every stored value of each key."""
        found = []
        for stored, values in self._runs:
            left = np.searchsorted(stored, keys, "left")
            right = np.searchsorted(stored, keys, "right")
            for i in np.flatnonzero(right > left).tolist():
                found.extend((i, int(v)) for v in values[left[i]:right[i]])
        return found

    def get(self, key: int) -> np.ndarray:
        """Every value stored under one key."""
        parts = []
        for stored, values in self._runs:
            left, right = np.searchsorted(stored, [key, key + 1])
            if right > left:
                parts.append(values[left:right])
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)


class PaperIds:
    """Every paper record read so far, by number (file order)."""

    def __init__(self) -> None:
        self.count = 0
        self._ids: list[pa.Array] = []
        self._starts: list[int] = []
        self._digests = Runs()  # id digest -> number
        self._pmids: list[tuple[np.ndarray, pa.Array]] = []  # numbers, pmid (non-pmid ids)

    def add(self, papers: pa.Table, hashes: list[int]) -> list[int]:
        """Number a chunk's papers; returns the numbers of earlier records of the same
        ids, which the new records replace."""
        ids = papers.column("id").combine_chunks()
        base, size = self.count, len(ids)
        digest = np.array(hashes, np.int64)
        earlier = [n for i, n in self._digests.find(digest) if self.id_of(n) == ids[i].as_py()]
        order = np.argsort(digest, kind="stable")
        sorted_digest = digest[order]
        same = np.flatnonzero(sorted_digest[1:] == sorted_digest[:-1])
        for i in same.tolist():  # one id twice in the chunk
            first, second = int(order[i]), int(order[i + 1])
            if ids[first].as_py() == ids[second].as_py():
                earlier.append(base + first)
        self._ids.append(ids)
        self._starts.append(base)
        self.count += size
        self._digests.add(digest, np.arange(base, base + size, dtype=np.int64))
        pmid = papers.column("pmid").combine_chunks()
        with_pmid = pc.and_(pc.is_valid(pmid),
                            pc.invert(pc.starts_with(ids, "pmid:"))).to_numpy(
                                zero_copy_only=False)
        if with_pmid.any():
            where = np.flatnonzero(with_pmid)
            self._pmids.append((where + base, pmid.take(pa.array(where))))
        return earlier

    def id_of(self, number: int) -> str:
        part = int(np.searchsorted(self._starts, number, "right")) - 1
        return self._ids[part][number - self._starts[part]].as_py()

    def numbers(self, paper_id: str) -> list[int]:
        """Every record read under this id."""
        from .digests import id_hash

        found = self._digests.get(id_hash(paper_id)).tolist()
        return [n for n in found if self.id_of(n) == paper_id]

    def find(self, paper_id: str, dead: set[int]) -> list[int]:
        """The live records a deletion of ``paper_id`` removes: its own, and for a
        ``pmid:`` id the papers read under another id with that PMID."""
        found = self.numbers(paper_id)
        if paper_id.startswith("pmid:"):
            pmid = paper_id.removeprefix("pmid:")
            for numbers, pmids in self._pmids:
                hits = np.flatnonzero(pc.equal(pmids, pmid).to_numpy(zero_copy_only=False))
                for number in numbers[hits].tolist():
                    found.extend(self.numbers(self.id_of(number)))
        return sorted({n for n in found if n not in dead})

    def ids(self) -> pa.Array:
        ids = _concat(self._ids, pa.string())
        self._starts[:] = [0] if len(self._ids) else []
        return ids
