"""First load into an empty graph: every derived value computed in one pass, then bulk-copied.

The incremental :class:`~explorer.writer.GraphWriter` asks the database about what is
stored before each batch; an empty graph has nothing stored, so this path keeps the batch
state in memory (integer arrays, not objects), derives exactly what the writer would —
``COAUTHORED_WITH`` weights and years, ``paper_count``, ``author_count``, name variants,
search keys, fingerprints, affiliation spans — and hands Arrow tables to the engine's bulk
copy in one transaction. Engines without one (Neo4j) get the same works through the writer.
Tests check that both paths build the same graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from .model import NODE_PROPERTIES, RELATIONSHIPS
from .names import search_key
from .records import Work
from .store.base import GraphStore
from .writer import GraphWriter, WriteSummary, fingerprint, unique_authors

NO_YEAR = -1


class GraphNotEmpty(RuntimeError):
    """Bulk import only starts from an empty graph."""


@dataclass
class _Collected:
    """Everything read so far, as compact columns indexed by integer ids."""

    author_index: dict[str, int] = field(default_factory=dict)
    author_names: list[list[str]] = field(default_factory=list)
    author_orcid: dict[int, str] = field(default_factory=dict)
    paper_index: dict[str, int] = field(default_factory=dict)
    paper_rows: list[Work | None] = field(default_factory=list)
    paper_year: array = field(default_factory=lambda: array("i"))
    auth_author: array = field(default_factory=lambda: array("i"))
    auth_paper: array = field(default_factory=lambda: array("i"))
    auth_position: array = field(default_factory=lambda: array("i"))
    topics: dict[str, str] = field(default_factory=dict)
    institutions: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    replaced_papers: int = 0

    def add(self, work: Work) -> None:
        if work.id in self.paper_index:  # a later record of the same id wins
            self.paper_rows[self.paper_index[work.id]] = None
            self.replaced_papers += 1
        paper = len(self.paper_rows)
        self.paper_index[work.id] = paper
        self.paper_rows.append(work)
        self.paper_year.append(NO_YEAR if work.year is None else work.year)
        for position, author in enumerate(unique_authors(work), start=1):
            index = self.author_index.setdefault(author.id, len(self.author_names))
            if index == len(self.author_names):
                self.author_names.append([])
            names = self.author_names[index]
            if author.name and author.name not in names:
                names.append(author.name)
            if author.orcid and index not in self.author_orcid:
                self.author_orcid[index] = author.orcid
            self.auth_author.append(index)
            self.auth_paper.append(paper)
            self.auth_position.append(position)
        for topic in work.topics:
            self.topics[topic.id] = topic.name
        for author in work.authors:
            for inst in author.institutions:
                self.institutions[inst.id] = (inst.name, inst.country, inst.ror)


def _optional_years(values: np.ndarray) -> list[int | None]:
    return [None if v == NO_YEAR else int(v) for v in values]


class BulkImporter:
    """Collects works, then writes the whole graph at once."""

    def __init__(self, store: GraphStore) -> None:
        stats = store.query("graph_stats")[0]
        if any(stats.values()):
            raise GraphNotEmpty("bulk import needs an empty graph; this one holds data")
        self.store = store
        self.data = _Collected()

    def add(self, works: Iterable[Work]) -> None:
        for work in works:
            self.data.add(work)

    def finish(self) -> WriteSummary:
        live = [w for w in self.data.paper_rows if w is not None]
        tables = self._tables()
        if not self.store.engine.copy_tables(tables):
            summary = WriteSummary()
            writer = GraphWriter(self.store)
            for start in range(0, len(live), 2000):
                summary.add(writer.write(live[start:start + 2000]))
            return summary
        counts = {name: table.num_rows for name, table in tables}
        return WriteSummary(
            papers_created=counts["Paper"], authors_created=counts["Author"],
            authorships=counts["AUTHORED"], topics_created=counts["Topic"],
            institutions_created=counts["Institution"],
            coauthor_pairs_created=counts["COAUTHORED_WITH"],
        )

    def _tables(self) -> list[tuple[str, pa.Table]]:
        d = self.data
        author_ids = list(d.author_index)
        # Integer ids ordered like the id strings, so pair (a, b) with a < b points from the
        # smaller id string to the larger, as the writer does.
        order = np.argsort(np.array(author_ids, dtype=object), kind="stable")
        rank = np.empty(len(author_ids), dtype=np.int64)
        rank[order] = np.arange(len(author_ids))

        papers_alive = np.array([w is not None for w in d.paper_rows], dtype=bool)
        auth_author = np.frombuffer(d.auth_author, dtype=np.int32).astype(np.int64)
        auth_paper = np.frombuffer(d.auth_paper, dtype=np.int32).astype(np.int64)
        auth_position = np.frombuffer(d.auth_position, dtype=np.int32)
        keep = papers_alive[auth_paper] if len(auth_paper) else np.zeros(0, dtype=bool)
        auth_author, auth_paper, auth_position = (
            auth_author[keep], auth_paper[keep], auth_position[keep])

        paper_count = np.bincount(auth_author, minlength=len(author_ids))
        paper_ids = [w.id if w is not None else "" for w in d.paper_rows]
        years = np.frombuffer(d.paper_year, dtype=np.int32).astype(np.int64)
        author_count = np.bincount(auth_paper, minlength=len(paper_ids))

        tables: list[tuple[str, pa.Table]] = [
            ("Author", self._author_table(author_ids, paper_count)),
            ("Paper", self._paper_table(author_count)),
            ("Topic", _node_table("Topic", {
                "id": list(d.topics), "name": list(d.topics.values()),
                "search_key": [search_key([n]) for n in d.topics.values()]})),
            ("Institution", _node_table("Institution", {
                "id": list(d.institutions),
                "name": [v[0] for v in d.institutions.values()],
                "country": [v[1] for v in d.institutions.values()],
                "ror": [v[2] for v in d.institutions.values()],
                "search_key": [search_key([v[0]]) for v in d.institutions.values()]})),
            ("AUTHORED", pa.table({
                "from": pa.array(author_ids, pa.string()).take(pa.array(auth_author)),
                "to": pa.array(paper_ids, pa.string()).take(pa.array(auth_paper)),
                "position": pa.array(auth_position, pa.int64())})),
            ("HAS_TOPIC", self._topic_links()),
            ("AFFILIATED_WITH", self._affiliations()),
            ("COAUTHORED_WITH", self._coauthor_edges(
                author_ids, rank, auth_author, auth_paper, years, author_count)),
        ]
        return tables

    def _author_table(self, author_ids: list[str], paper_count: np.ndarray) -> pa.Table:
        d = self.data
        names = d.author_names
        return _node_table("Author", {
            "id": author_ids,
            "name": [n[0] if n else None for n in names],
            "orcid": [d.author_orcid.get(i) for i in range(len(author_ids))],
            "name_variants": names,
            "search_key": [search_key(n) for n in names],
            "paper_count": paper_count.tolist(),
        })

    def _paper_table(self, author_count: np.ndarray) -> pa.Table:
        rows = [(i, w) for i, w in enumerate(self.data.paper_rows) if w is not None]
        return _node_table("Paper", {
            "id": [w.id for _, w in rows], "title": [w.title for _, w in rows],
            "year": [w.year for _, w in rows], "doi": [w.doi for _, w in rows],
            "arxiv_id": [w.arxiv_id for _, w in rows], "pmid": [w.pmid for _, w in rows],
            "venue": [w.venue for _, w in rows], "type": [w.type for _, w in rows],
            "source": [w.source for _, w in rows],
            "author_count": [int(author_count[i]) for i, _ in rows],
            "search_key": [search_key([w.title]) for _, w in rows],
            "fingerprint": [fingerprint(w) for _, w in rows],
        })

    def _live_works(self) -> Iterator[Work]:
        return (w for w in self.data.paper_rows if w is not None)

    def _topic_links(self) -> pa.Table:
        links = [(w.id, t.id, t.score) for w in self._live_works()
                 for t in {t.id: t for t in w.topics}.values()]
        return _rel_table("HAS_TOPIC", links)

    def _affiliations(self) -> pa.Table:
        spans: dict[tuple[str, str], list[int]] = {}
        for work in self._live_works():
            for author in work.authors:
                for inst in author.institutions:
                    span = spans.setdefault((author.id, inst.id), [])
                    if work.year is not None:
                        span.append(work.year)
        return _rel_table("AFFILIATED_WITH", [
            (a, i, min(y) if y else None, max(y) if y else None)
            for (a, i), y in spans.items()])

    def _coauthor_edges(self, author_ids: list[str], rank: np.ndarray,
                        auth_author: np.ndarray, auth_paper: np.ndarray, years: np.ndarray,
                        author_count: np.ndarray) -> pa.Table:
        """Every pair of every paper with 2..max authors, counted with numpy: papers of the
        same size n form a matrix of n author columns, and each column pair gives pairs."""
        max_authors = self.store.coauthor_max_authors
        by_paper = np.lexsort((auth_author, auth_paper))
        sorted_author = rank[auth_author[by_paper]]
        starts = np.zeros(len(author_count) + 1, dtype=np.int64)
        np.cumsum(author_count, out=starts[1:])
        codes, pair_years = [], []
        size = np.int64(len(author_ids))
        for n in np.unique(author_count):
            if n < 2 or n > max_authors:
                continue
            papers = np.flatnonzero(author_count == n)
            members = sorted_author[starts[papers][:, None] + np.arange(n)]
            left, right = np.triu_indices(int(n), 1)
            a = np.minimum(members[:, left], members[:, right]).ravel()
            b = np.maximum(members[:, left], members[:, right]).ravel()
            codes.append(a * size + b)
            pair_years.append(np.repeat(years[papers], len(left)))
        if not codes:
            return _rel_table("COAUTHORED_WITH", [])
        code = np.concatenate(codes)
        year = np.concatenate(pair_years)
        order = np.argsort(code, kind="stable")
        code, year = code[order], year[order]
        unique, first_index, weight = np.unique(code, return_index=True, return_counts=True)
        known = year != NO_YEAR
        lowest = np.minimum.reduceat(np.where(known, year, np.iinfo(np.int64).max), first_index)
        highest = np.maximum.reduceat(np.where(known, year, NO_YEAR), first_index)
        lowest[lowest == np.iinfo(np.int64).max] = NO_YEAR
        by_rank = np.array(author_ids, dtype=object)[np.argsort(rank)]
        return pa.table({
            "from": pa.array(by_rank[unique // size].tolist(), pa.string()),
            "to": pa.array(by_rank[unique % size].tolist(), pa.string()),
            "weight": pa.array(weight, pa.int64()),
            "first_year": pa.array(_optional_years(lowest), pa.int64()),
            "last_year": pa.array(_optional_years(highest), pa.int64()),
        })


_ARROW_TYPES = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
                "STRING[]": pa.list_(pa.string())}


def _node_table(label: str, columns: dict[str, list]) -> pa.Table:
    """Columns in the schema's order and types."""
    schema = NODE_PROPERTIES[label]
    return pa.table({name: pa.array(columns[name], _ARROW_TYPES[kind])
                     for name, kind in schema.items()})


def _rel_table(rel: str, rows: list[tuple]) -> pa.Table:
    properties = RELATIONSHIPS[rel][2]
    names = ["from", "to", *properties]
    types = [pa.string(), pa.string(), *(_ARROW_TYPES[t] for t in properties.values())]
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(list(c), t) for n, c, t in zip(names, columns, types,
                                                               strict=True)})
