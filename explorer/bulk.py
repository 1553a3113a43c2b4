"""First load into an empty graph: every derived value computed in one pass, then bulk-copied.

The incremental :class:`~explorer.writer.GraphWriter` asks the database about what is
stored before each batch; an empty graph has nothing stored, so this path keeps the batch
state in memory (integer arrays, not objects), derives exactly what the writer would —
``COAUTHORED_WITH`` weights and years, ``paper_count``, ``author_count``, name variants,
search keys, fingerprints, affiliation spans — and hands Arrow tables to the engine's bulk
copy in one transaction. On engines without one (Neo4j), explorer.loading writes the same
works through the writer. Tests check that both paths build the same graph.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from .identity import name_key
from .model import NODE_PROPERTIES, RELATIONSHIPS
from .names import search_key
from .records import Work
from .store.base import GraphStore
from .writer import WriteSummary, fingerprint, unique_authors

NO_YEAR = -1


class GraphNotEmpty(RuntimeError):
    """Bulk import only starts from an empty graph."""


def require_empty_graph(store: GraphStore) -> None:
    if any(row["total"] for row in store.query("graph_stats")):
        raise GraphNotEmpty("bulk import needs an empty graph; this one holds data")


_PAPER_TEXT = ("id", "title", "doi", "arxiv_id", "pmid", "venue", "type", "source",
               "search_key", "fingerprint")
_CHUNK = 50_000


@dataclass
class _Collected:
    """Everything read so far, as compact columns indexed by integer ids: paper properties
    go to Arrow record batches every _CHUNK papers, links to integer arrays."""

    author_index: dict[str, int] = field(default_factory=dict)
    author_names: list[list[str]] = field(default_factory=list)
    author_orcid: dict[int, str] = field(default_factory=dict)
    author_keys: list[str] = field(default_factory=list)
    pmid_papers: dict[str, set[str]] = field(default_factory=dict)  # 'pmid:1' -> ids
    paper_index: dict[str, int] = field(default_factory=dict)
    replaced: set[int] = field(default_factory=set)
    paper_batches: list[pa.RecordBatch] = field(default_factory=list)
    pending: dict[str, list] = field(default_factory=lambda: {k: [] for k in _PAPER_TEXT})
    paper_year: array = field(default_factory=lambda: array("i"))
    auth_author: array = field(default_factory=lambda: array("i"))
    auth_paper: array = field(default_factory=lambda: array("i"))
    auth_position: array = field(default_factory=lambda: array("i"))
    topic_index: dict[str, int] = field(default_factory=dict)
    topic_names: list[str] = field(default_factory=list)
    link_paper: array = field(default_factory=lambda: array("i"))
    link_topic: array = field(default_factory=lambda: array("i"))
    link_score: array = field(default_factory=lambda: array("d"))
    institutions: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    inst_index: dict[str, int] = field(default_factory=dict)
    aff_author: array = field(default_factory=lambda: array("i"))
    aff_inst: array = field(default_factory=lambda: array("i"))
    aff_paper: array = field(default_factory=lambda: array("i"))

    @property
    def papers(self) -> int:
        return len(self.paper_year)

    def add(self, work: Work) -> None:
        if work.id in self.paper_index:  # a later record of the same id wins
            self.replaced.add(self.paper_index[work.id])
        paper = self.papers
        self.paper_index[work.id] = paper
        if work.pmid and not work.id.startswith("pmid:"):
            self.pmid_papers.setdefault(f"pmid:{work.pmid}", set()).add(work.id)
        self.paper_year.append(NO_YEAR if work.year is None else work.year)
        values = (work.id, work.title, work.doi, work.arxiv_id, work.pmid, work.venue,
                  work.type, work.source, search_key([work.title]), fingerprint(work))
        for name, value in zip(_PAPER_TEXT, values, strict=True):
            self.pending[name].append(value)
        if len(self.pending["id"]) >= _CHUNK:
            self.flush()
        for position, author in enumerate(unique_authors(work), start=1):
            index = self.author_index.setdefault(author.id, len(self.author_names))
            if index == len(self.author_names):
                self.author_names.append([])
                self.author_keys.append(name_key(author))
            names = self.author_names[index]
            if author.name and author.name not in names:
                names.append(author.name)
            if author.orcid and index not in self.author_orcid:
                self.author_orcid[index] = author.orcid
            self.auth_author.append(index)
            self.auth_paper.append(paper)
            self.auth_position.append(position)
        for topic in {t.id: t for t in work.topics}.values():
            index = self.topic_index.setdefault(topic.id, len(self.topic_names))
            if index == len(self.topic_names):
                self.topic_names.append(topic.name)
            self.topic_names[index] = topic.name
            self.link_paper.append(paper)
            self.link_topic.append(index)
            self.link_score.append(np.nan if topic.score is None else topic.score)
        for author in work.authors:
            for inst in author.institutions:
                self.institutions[inst.id] = (inst.name, inst.country, inst.ror)
                self.aff_author.append(self.author_index[author.id])
                self.aff_inst.append(self.inst_index.setdefault(inst.id, len(self.inst_index)))
                self.aff_paper.append(paper)

    def delete(self, paper_id: str) -> bool:
        """Forget a paper read earlier (a later record retracts it; ``pmid:`` ids also find
        a paper read under its DOI)."""
        ids = {paper_id, *self.pmid_papers.pop(paper_id, ())}
        found = [self.paper_index.pop(i) for i in ids if i in self.paper_index]
        self.replaced.update(found)
        return bool(found)

    def flush(self) -> None:
        if self.pending["id"]:
            self.paper_batches.append(pa.record_batch(
                [pa.array(self.pending[k], pa.string()) for k in _PAPER_TEXT],
                names=list(_PAPER_TEXT)))
            self.pending = {k: [] for k in _PAPER_TEXT}

    def alive(self) -> np.ndarray:
        mask = np.ones(self.papers, dtype=bool)
        mask[list(self.replaced)] = False
        return mask


def _ints(values: array) -> np.ndarray:
    return np.frombuffer(values, dtype=np.int32).astype(np.int64) if len(values) else \
        np.zeros(0, dtype=np.int64)


def _optional_years(values: np.ndarray) -> list[int | None]:
    return [None if v == NO_YEAR else v for v in values.tolist()]


def _year_span(year: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest known year of each run of rows beginning at ``starts``
    (NO_YEAR where a run has none)."""
    if not len(starts):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    known = year != NO_YEAR
    big = np.iinfo(np.int64).max
    lowest = np.minimum.reduceat(np.where(known, year, big), starts)
    highest = np.maximum.reduceat(np.where(known, year, NO_YEAR), starts)
    lowest[lowest == big] = NO_YEAR
    return lowest, highest


class BulkImporter:
    """Collects works, then writes the whole graph at once."""

    def __init__(self, store: GraphStore) -> None:
        if not store.engine.can_copy_tables:
            raise ValueError(f"{store.engine_name} has no bulk copy; write through GraphWriter")
        require_empty_graph(store)
        self.store = store
        self.data = _Collected()
        self.deleted = 0

    def add(self, works: Iterable[Work]) -> None:
        for work in works:
            self.data.add(work)

    def delete(self, paper_ids: Iterable[str]) -> None:
        self.deleted += sum(self.data.delete(i) for i in paper_ids)

    def finish(self) -> WriteSummary:
        tables = self._tables()
        self.store.engine.copy_tables(tables)
        counts = {name: table.num_rows for name, table in tables}
        return WriteSummary(
            papers_created=counts["Paper"], authors_created=counts["Author"],
            authorships=counts["AUTHORED"], topics_created=counts["Topic"],
            institutions_created=counts["Institution"],
            coauthor_pairs_created=counts["COAUTHORED_WITH"], papers_deleted=self.deleted,
        )

    def _tables(self) -> list[tuple[str, pa.Table]]:
        d = self.data
        d.flush()
        author_ids = list(d.author_index)
        author_array = pa.array(author_ids, pa.string())
        # Integer ids ordered like the id strings, so pair (a, b) with a < b points from the
        # smaller id string to the larger, as the writer does.
        as_objects = np.array(author_ids, dtype=object)
        order = np.argsort(as_objects, kind="stable")
        rank = np.empty(len(author_ids), dtype=np.int64)
        rank[order] = np.arange(len(author_ids))

        alive = d.alive()
        auth_author, auth_paper = _ints(d.auth_author), _ints(d.auth_paper)
        auth_position = _ints(d.auth_position)
        keep = alive[auth_paper]
        auth_author, auth_paper, auth_position = (
            auth_author[keep], auth_paper[keep], auth_position[keep])
        paper_count = np.bincount(auth_author, minlength=len(author_ids))
        author_count = np.bincount(auth_paper, minlength=d.papers)
        years = _ints(d.paper_year)
        papers = pa.Table.from_batches(d.paper_batches) if d.paper_batches else None
        paper_ids = papers.column("id") if papers is not None else pa.array([], pa.string())

        return [
            ("Author", self._author_table(author_ids, paper_count)),
            ("Paper", self._paper_table(papers, years, author_count, alive)),
            ("Topic", _node_table("Topic", {
                "id": list(d.topic_index), "name": d.topic_names,
                "search_key": [search_key([n]) for n in d.topic_names]})),
            ("Institution", _node_table("Institution", {
                "id": list(d.institutions),
                "name": [v[0] for v in d.institutions.values()],
                "country": [v[1] for v in d.institutions.values()],
                "ror": [v[2] for v in d.institutions.values()],
                "search_key": [search_key([v[0]]) for v in d.institutions.values()]})),
            ("AUTHORED", pa.table({
                "from": author_array.take(pa.array(auth_author)),
                "to": paper_ids.take(pa.array(auth_paper)),
                "position": pa.array(auth_position, pa.int64())})),
            ("HAS_TOPIC", self._topic_links(paper_ids, alive)),
            ("AFFILIATED_WITH", self._affiliations(author_array, years, alive)),
            ("COAUTHORED_WITH", self._coauthor_edges(
                as_objects[order], rank, auth_author, auth_paper, years, author_count)),
        ]

    def _author_table(self, author_ids: list[str], paper_count: np.ndarray) -> pa.Table:
        d = self.data
        names = d.author_names
        table = _node_table("Author", {
            "id": author_ids,
            "name": [n[0] if n else None for n in names],
            "orcid": [d.author_orcid.get(i) for i in range(len(author_ids))],
            "name_variants": names,
            "search_key": [search_key(n) for n in names],
            "paper_count": paper_count.tolist(),
            "name_key": d.author_keys,
        })
        # An author seen only on records that a later record replaced or deleted is gone,
        # as the writer deletes authors left without papers.
        return table.filter(pa.array(paper_count > 0))

    def _paper_table(self, papers: pa.Table | None, years: np.ndarray,
                     author_count: np.ndarray, alive: np.ndarray) -> pa.Table:
        if papers is None:
            return _node_table("Paper", {k: [] for k in NODE_PROPERTIES["Paper"]})
        papers = papers.append_column("year", pa.array(_optional_years(years), pa.int64()))
        papers = papers.append_column("author_count", pa.array(author_count, pa.int64()))
        return papers.filter(pa.array(alive)).select(list(NODE_PROPERTIES["Paper"]))

    def _topic_links(self, paper_ids: pa.Array, alive: np.ndarray) -> pa.Table:
        d = self.data
        paper, topic = _ints(d.link_paper), _ints(d.link_topic)
        score = np.frombuffer(d.link_score, dtype=np.float64) if len(d.link_score) else \
            np.zeros(0)
        keep = alive[paper]
        return pa.table({
            "from": paper_ids.take(pa.array(paper[keep])),
            "to": pa.array(list(d.topic_index), pa.string()).take(pa.array(topic[keep])),
            "score": pa.array(score[keep], pa.float64(), mask=np.isnan(score[keep])),
        })

    def _affiliations(self, author_array: pa.Array, years: np.ndarray,
                      alive: np.ndarray) -> pa.Table:
        """One edge per (author, institution), spanning the years of the works showing it."""
        d = self.data
        author, inst, paper = _ints(d.aff_author), _ints(d.aff_inst), _ints(d.aff_paper)
        keep = alive[paper]
        author, inst, year = author[keep], inst[keep], years[paper[keep]]
        stride = max(len(d.inst_index), 1)
        code = author * stride + inst
        order = np.argsort(code, kind="stable")
        code, year = code[order], year[order]
        unique, first_index = np.unique(code, return_index=True)
        lowest, highest = _year_span(year, first_index)
        inst_ids = pa.array(list(d.inst_index), pa.string())
        return pa.table({
            "from": author_array.take(pa.array(unique // stride)),
            "to": inst_ids.take(pa.array(unique % stride)),
            "first_year": pa.array(_optional_years(lowest), pa.int64()),
            "last_year": pa.array(_optional_years(highest), pa.int64()),
        })

    def _coauthor_edges(self, ids_by_rank: np.ndarray, rank: np.ndarray,
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
        size = np.int64(len(ids_by_rank))
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
            return _empty_rel_table("COAUTHORED_WITH")
        code = np.concatenate(codes)
        year = np.concatenate(pair_years)
        order = np.argsort(code, kind="stable")
        code, year = code[order], year[order]
        unique, first_index, weight = np.unique(code, return_index=True, return_counts=True)
        lowest, highest = _year_span(year, first_index)
        return pa.table({
            "from": pa.array(ids_by_rank[unique // size].tolist(), pa.string()),
            "to": pa.array(ids_by_rank[unique % size].tolist(), pa.string()),
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


def _empty_rel_table(rel: str) -> pa.Table:
    properties = RELATIONSHIPS[rel][2]
    return pa.table({"from": pa.array([], pa.string()), "to": pa.array([], pa.string()),
                     **{name: pa.array([], _ARROW_TYPES[kind])
                        for name, kind in properties.items()}})
