"""An in-memory index of authors and co-author links, for the questions LadybugDB cannot
answer quickly from Cypher at scale: name search by word prefix (it has no prefix or text
index without downloading an extension, so ``search_key CONTAINS`` scans every author),
shortest co-author paths (its recursive join costs ~20 ms even for one hop and seconds for
six; frontiers cannot be expanded from a list of ids without a scan), the steps of a graph
slice (explorer.store.index_queries), each author's topics (author_topics.py) and paper
title search (paper_titles.py).

Built from named queries (``index_authors``, ``index_coauthor_edges``, for topics
``index_authored``, ``index_paper_topics``, ``index_topics``, and ``index_paper_titles``)
into compact numpy and Arrow arrays: word-start prefixes of every search key, sorted, for
binary search; the co-author graph as compressed sparse rows, for a bidirectional
breadth-first search. At 10M authorships (2.2M authors, 24.6M links, 2.6M papers) it
holds ~1.1 GB, of which topics ~0.1 GB and paper titles ~0.16 GB. It answers exactly as
the Cypher queries it replaces (``search_authors``, ``collaboration_path``, the slice
queries, ``author_topics``, ``topic_authors``, ``search_papers``); tests compare them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..digests import id_hash
from .author_topics import AuthorTopics
from .paper_titles import PaperTitles

NO_YEAR = np.iinfo(np.int16).min
PREFIX_BYTES = 16  # each word start keeps this much of its key; longer needles are checked
MAX_LINKS = 8  # as collaboration_path.cypher


@dataclass(frozen=True)
class AuthorIndex:
    """Authors by row (their order in ``index_authors``), prefixes and links by row."""

    ids: pa.Array
    names: pa.Array
    orcids: pa.Array
    keys: pa.Array
    works: np.ndarray  # int64 per row
    name_order: np.ndarray  # int64: rank of (name, id) per row
    row_of_offset: np.ndarray  # int64: LadybugDB node offset -> row (-1: none)
    prefixes: np.ndarray  # S{PREFIX_BYTES}: sorted word-start prefixes of every key
    prefix_rows: np.ndarray  # int32: the row of each prefix
    prefix_first: np.ndarray  # bool: the prefix starts its key (a whole-name match)
    link_start: np.ndarray  # int64 per row + 1: CSR offsets into link_rows
    link_rows: np.ndarray  # int32: neighbour rows
    link_weight: np.ndarray  # int32 per link entry: joint papers
    link_first: np.ndarray  # int16 per link entry: first year (NO_YEAR: unknown)
    link_last: np.ndarray  # int16 per link entry: last year (NO_YEAR: unknown)
    id_rank: np.ndarray  # int64 per row: rank of the id in string order
    id_hashes: np.ndarray  # int64: stable digest (explorer.digests) of every id, sorted
    id_hash_rows: np.ndarray  # int64: the row of each sorted hash
    topics: AuthorTopics | None = None  # each author's topics (built by ``read``)
    papers: PaperTitles | None = None  # the words of paper titles (built by ``read``)
    # What explorer.store.index_queries remembers between calls (ids asked, their rows).
    member_rows: dict = field(default_factory=dict, compare=False, repr=False)
    known_rows: dict = field(default_factory=dict, compare=False, repr=False)
    known_ids: dict = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def read(cls, table: Callable[[str], pa.Table]) -> AuthorIndex:
        """From the named queries, each read by ``table`` (a query's name -> its result)
        when needed: the co-author links (the largest) are let go before the topics are
        read, and the topics' tables before the paper titles."""
        index = cls.build(table("index_authors"), table("index_coauthor_edges"))
        topics = AuthorTopics.build(table("index_authored"), table("index_paper_topics"),
                                    table("index_topics"), index.row_of_offset, index.size)
        return replace(index, topics=topics,
                       papers=PaperTitles.build(table("index_paper_titles")))

    @classmethod
    def build(cls, authors: pa.Table, edges: pa.Table) -> AuthorIndex:
        """From ``index_authors`` (offset, id, name, orcid, search_key, works) and
        ``index_coauthor_edges`` (source, target offsets) as Arrow tables, without topics."""
        offsets = authors.column("offset").to_numpy().astype(np.int64)
        size = int(offsets.max()) + 1 if len(offsets) else 0
        row_of_offset = np.full(size, -1, dtype=np.int64)
        row_of_offset[offsets] = np.arange(len(offsets))
        ids = authors.column("id").combine_chunks()
        names = authors.column("name").combine_chunks()
        works = authors.column("works").fill_null(0).to_numpy().astype(np.int64)
        id_rank = np.empty(len(ids), dtype=np.int64)
        id_rank[pc.sort_indices(ids).to_numpy()] = np.arange(len(ids))
        hashes = np.fromiter(map(id_hash, ids.to_pylist()), dtype=np.int64, count=len(ids))
        hash_order = np.argsort(hashes)
        order = pc.sort_indices(pa.table({"name": names, "id": ids}),
                                sort_keys=[("name", "ascending"), ("id", "ascending")]
                                ).to_numpy()  # nulls last, as LadybugDB sorts them
        name_order = np.empty(len(order), dtype=np.int64)
        name_order[order] = np.arange(len(order))
        keys = authors.column("search_key").fill_null("").combine_chunks()
        prefixes, prefix_rows, prefix_first = _word_prefixes(keys)
        links = _compressed_rows(edges, row_of_offset, len(offsets))
        return cls(ids, names, authors.column("orcid").combine_chunks(), keys, works,
                   name_order, row_of_offset, prefixes, prefix_rows, prefix_first, *links,
                   id_rank, hashes[hash_order], hash_order)

    @property
    def size(self) -> int:
        return len(self.works)

    def arrays(self) -> dict[str, np.ndarray | pa.Array]:
        """Every array of the index by name (topics' and titles' prefixed), for saving
        (explorer.store.index_files); ``from_arrays`` makes the same index again."""
        arrays = {name: getattr(self, name) for name in _ARRAYS}
        for part, value in (("topics", self.topics), ("papers", self.papers)):
            if value is not None:
                arrays.update({f"{part}.{k}": v for k, v in value.arrays().items()})
        return arrays

    def check(self) -> None:
        """Raise ValueError unless the arrays fit together (a saved index that was cut short
        or mixed up is then built again)."""
        size = self.size
        sizes = {len(getattr(self, name)) for name in (
            "ids", "names", "orcids", "keys", "works", "name_order", "id_rank", "id_hashes",
            "id_hash_rows")}
        links = {len(getattr(self, name)) for name in (
            "link_rows", "link_weight", "link_first", "link_last")}
        checks = [
            sizes == {size}, len(self.link_start) == size + 1, len(links) == 1,
            int(self.link_start[-1]) == len(self.link_rows),
            len(self.prefixes) == len(self.prefix_rows) == len(self.prefix_first),
            self.topics is None or (len(self.topics.start) == size + 1
                                    and int(self.topics.start[-1]) == len(self.topics.topic)
                                    == len(self.topics.works)),
            self.papers is None or (len(self.papers.starts) == len(self.papers.ids) + 1
                                    and int(self.papers.starts[-1]) == len(self.papers.numbers)),
        ]
        if not all(checks):
            raise ValueError("its arrays do not fit together")

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray | pa.Array]) -> AuthorIndex:
        parts: dict[str, dict[str, Any]] = {"topics": {}, "papers": {}}
        for name, value in arrays.items():
            part, _, rest = name.partition(".")
            if rest:
                parts[part][rest] = value
        return cls(**{name: arrays[name] for name in _ARRAYS},
                   topics=AuthorTopics.from_arrays(parts["topics"]) if parts["topics"] else None,
                   papers=PaperTitles.from_arrays(parts["papers"]) if parts["papers"] else None)

    def rows_of(self, ids: list[str]) -> np.ndarray:
        """The row of each id (-1 for an id not in the index)."""
        if not ids:
            return np.empty(0, dtype=np.int64)
        wanted = np.fromiter(map(id_hash, ids), dtype=np.int64, count=len(ids))
        at = np.minimum(np.searchsorted(self.id_hashes, wanted), len(self.id_hashes) - 1)
        rows = np.where(self.id_hashes[at] == wanted, self.id_hash_rows[at], -1) \
            if len(self.id_hashes) else np.full(len(ids), -1)
        found = rows >= 0
        if found.any():  # a hash is not an id: check the ids themselves
            stored = self.ids.take(pa.array(rows[found])).to_pylist()
            same = np.array([a == b for a, b in zip(stored, np.asarray(ids, dtype=object)[found],
                                                     strict=True)])
            rows[np.flatnonzero(found)[~same]] = -1
        return rows

    def links(self, row: int, min_weight: int, year_from: int, year_to: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Neighbour rows of ``row`` with weight and years, within the filters (an unknown
        year passes, as ``coalesce`` makes it in the queries)."""
        span = slice(self.link_start[row], self.link_start[row + 1])
        neighbours, weight = self.link_rows[span], self.link_weight[span]
        first, last = self.link_first[span], self.link_last[span]
        keep = (weight >= min_weight) & ((last == NO_YEAR) | (last >= year_from)) \
            & ((first == NO_YEAR) | (first <= year_to))
        return neighbours[keep].astype(np.int64), weight[keep], first[keep], last[keep]

    def links_between(self, sources: np.ndarray, among: np.ndarray, min_weight: int,
                      year_from: int, year_to: int) -> tuple[np.ndarray, ...]:
        """Every link from one of ``sources`` to one of ``among`` within the filters, as
        columns: source and target rows, weight, first and last year."""
        entries, owners = self._entries(sources)
        targets = self.link_rows[entries].astype(np.int64)
        weight, first, last = (self.link_weight[entries], self.link_first[entries],
                               self.link_last[entries])
        keep = within(targets, np.sort(among)) & (weight >= min_weight) \
            & ((last == NO_YEAR) | (last >= year_from)) & ((first == NO_YEAR) | (first <= year_to))
        return owners[keep], targets[keep], weight[keep], first[keep], last[keep]

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The CSR positions of every link of ``rows``, and the row each belongs to."""
        rows = np.asarray(rows, dtype=np.int64)
        starts = self.link_start[rows]
        counts = self.link_start[rows + 1] - starts
        total = int(counts.sum())
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return np.repeat(starts, counts) + within, np.repeat(rows, counts)

    def strongest_first(self, rows: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """The order ``ORDER BY weight DESC, works DESC, id``."""
        return np.lexsort((self.id_rank[rows], -self.works[rows], -weight.astype(np.int64)))

    def people(self, rows: np.ndarray) -> tuple[list[str], list[str | None]]:
        taken = pa.array(rows, type=pa.int64())
        return self.ids.take(taken).to_pylist(), self.names.take(taken).to_pylist()

    # -- search -------------------------------------------------------------------------

    def search(self, needle: str, limit: int) -> list[dict[str, Any]]:
        """As ``search_authors``: authors whose key contains ``needle`` (' ' + folded
        query), whole-name prefixes first, then most works, then name and id."""
        word = needle[1:].encode()
        if not word or limit <= 0:
            return []
        probe = word[:PREFIX_BYTES]
        low = np.searchsorted(self.prefixes, probe, side="left")
        high = np.searchsorted(self.prefixes, probe + b"\xff", side="left") \
            if len(probe) < PREFIX_BYTES else np.searchsorted(self.prefixes, probe, "right")
        rows = self.prefix_rows[low:high].astype(np.int64)
        first = self.prefix_first[low:high]
        if len(word) > PREFIX_BYTES:  # the prefix matched; check the whole needle
            keep = np.fromiter((needle in self.keys[int(r)].as_py() for r in rows),
                               dtype=bool, count=len(rows))
            rows, first = rows[keep], first[keep]
        if not len(rows):
            return []
        rows, first_any = _each_author_once(rows, first)
        sort_key = ((~first_any).astype(np.int64) << 62) \
            | ((np.int64(2**30) - np.minimum(self.works[rows], 2**30 - 1)) << 32) \
            | self.name_order[rows]
        best = smallest_first(sort_key, limit)
        rows, first_any = rows[best], first_any[best]
        taken = pa.array(rows)
        return [{"id": i, "name": n, "works": int(self.works[r]), "orcid": o,
                 "rank": 0 if f else 1}
                for i, n, o, r, f in zip(self.ids.take(taken).to_pylist(),
                                         self.names.take(taken).to_pylist(),
                                         self.orcids.take(taken).to_pylist(),
                                         rows.tolist(), first_any.tolist(), strict=True)]

    # -- paths --------------------------------------------------------------------------

    def row(self, offset: int) -> int:
        return int(self.row_of_offset[offset]) if 0 <= offset < len(self.row_of_offset) \
            else -1

    def shortest_path(self, source: int, target: int, max_links: int = MAX_LINKS
                      ) -> list[int] | None:
        """Rows of a shortest chain of co-authorships from ``source`` to ``target`` (rows),
        at most ``max_links`` links; None when there is none that short. Bidirectional
        breadth-first search, always growing the side with fewer links to follow; among
        equally short chains the one through the lowest meeting row."""
        if source == target:
            return [source]
        parents = [np.full(self.size, -2, dtype=np.int32) for _ in range(2)]
        parents[0][source] = -1
        parents[1][target] = -1
        frontiers = [np.array([source]), np.array([target])]
        depths = [0, 0]
        while depths[0] + depths[1] < max_links and all(len(f) for f in frontiers):
            side = 0 if self._degree(frontiers[0]) <= self._degree(frontiers[1]) else 1
            fresh, via = self._expand(frontiers[side], parents[side])
            parents[side][fresh] = via
            depths[side] += 1
            met = fresh[parents[1 - side][fresh] != -2]
            if len(met):  # the shortest chains pass through the met row nearest the other end
                middle = min(met.tolist(),
                             key=lambda r: (len(self._walk(r, parents[1 - side])), r))
                half = [self._walk(middle, parents[0]), self._walk(middle, parents[1])]
                return half[0][::-1] + half[1][1:]
            frontiers[side] = fresh
        return None

    def _degree(self, rows: np.ndarray) -> int:
        return int((self.link_start[rows + 1] - self.link_start[rows]).sum())

    def _expand(self, frontier: np.ndarray, seen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The unseen neighbours of ``frontier`` (each once, lowest parent row first) and
        the frontier row each was reached from."""
        entries, parents = self._entries(frontier)
        if not len(entries):
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int32)
        neighbours = self.link_rows[entries].astype(np.int64)
        unseen = seen[neighbours] == -2
        neighbours, parents = neighbours[unseen], parents[unseen]
        order = np.lexsort((parents, neighbours))
        neighbours, parents = neighbours[order], parents[order]
        first = np.ones(len(neighbours), dtype=bool)
        first[1:] = neighbours[1:] != neighbours[:-1]
        return neighbours[first], parents[first].astype(np.int32)

    @staticmethod
    def _walk(row: int, parents: np.ndarray) -> list[int]:
        chain = [row]
        while parents[chain[-1]] >= 0:
            chain.append(int(parents[chain[-1]]))
        return chain


_ARRAYS = ("ids", "names", "orcids", "keys", "works", "name_order", "row_of_offset", "prefixes",
           "prefix_rows", "prefix_first", "link_start", "link_rows", "link_weight",
           "link_first", "link_last", "id_rank", "id_hashes", "id_hash_rows")


def smallest_first(keys: np.ndarray, limit: int) -> np.ndarray:
    """The positions of the ``limit`` (≥ 1) smallest of distinct ``keys``, smallest first,
    without sorting them all."""
    if len(keys) > limit:
        top = np.argpartition(keys, limit - 1)[:limit]
        return top[np.argsort(keys[top], kind="stable")]
    return np.argsort(keys, kind="stable")


def within(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which ``values`` are in ``sorted_set`` (``np.isin`` without sorting ``values``: a
    slice asks about thousands of links against its hundred people)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _each_author_once(rows: np.ndarray, first: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each author once, flagged when any of its matching prefixes starts its key."""
    order = np.lexsort((~first, rows))
    rows, first = rows[order], first[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = rows[1:] != rows[:-1]
    return rows[keep], first[keep]


def _word_prefixes(keys: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word start of every key (a byte after a space that is not a space or '|'),
    as the next PREFIX_BYTES bytes of that key (zero-padded), sorted, with its row and
    whether it is the key's first word."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    keys = keys.cast(pa.large_string())
    bounds = np.frombuffer(keys.buffers()[1], dtype=np.int64)[keys.offset:
                                                              keys.offset + len(keys) + 1]
    data = np.frombuffer(keys.buffers()[2], dtype=np.uint8) if keys.buffers()[2] \
        else np.zeros(0, dtype=np.uint8)
    data = np.concatenate([data, np.zeros(PREFIX_BYTES + 1, dtype=np.uint8)])
    text = data[bounds[0]:bounds[-1]]
    space = text[:-1] == ord(" ")
    follows = (text[1:] != ord(" ")) & (text[1:] != ord("|"))
    starts = np.flatnonzero(space & follows) + 1 + bounds[0]
    rows = np.searchsorted(bounds, starts, side="right") - 1
    ends = bounds[rows + 1]
    window = starts[:, None] + np.arange(PREFIX_BYTES)
    chunk = data[window]
    chunk[window >= ends[:, None]] = 0
    prefixes = chunk.view(f"S{PREFIX_BYTES}").ravel()
    first = starts == bounds[rows] + 1
    order = np.argsort(prefixes, kind="stable")
    return prefixes[order], rows[order].astype(np.int32), first[order]


def _compressed_rows(edges: pa.Table, row_of_offset: np.ndarray, size: int
                     ) -> tuple[np.ndarray, ...]:
    """Both directions of every link as CSR over author rows (self-links left out), with
    each link's weight and years."""
    source = row_of_offset[np.asarray(edges.column("source").to_numpy(), dtype=np.int64)]
    target = row_of_offset[np.asarray(edges.column("target").to_numpy(), dtype=np.int64)]
    keep = (source >= 0) & (target >= 0) & (source != target)
    source, target = source[keep].astype(np.int32), target[keep].astype(np.int32)

    def column(name: str, dtype: type, missing: int) -> np.ndarray:
        values = edges.column(name).fill_null(missing).to_numpy()[keep]
        return np.tile(values.astype(dtype), 2)

    weight = column("weight", np.int32, 0)
    first = column("first_year", np.int16, NO_YEAR)
    last = column("last_year", np.int16, NO_YEAR)
    tails = np.concatenate([source, target])
    heads = np.concatenate([target, source])
    del source, target
    order = np.argsort(tails, kind="stable")
    counts = np.bincount(tails, minlength=size)
    link_start = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(counts, out=link_start[1:])
    return link_start, heads[order], weight[order], first[order], last[order]
