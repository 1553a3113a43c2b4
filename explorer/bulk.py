"""First load into an empty graph: chunks of works streamed to files, then bulk-copied.

The incremental :class:`~explorer.writer.GraphWriter` asks the database about what is
stored before each batch; an empty graph has nothing stored, so this path derives exactly
what the writer would — ``COAUTHORED_WITH`` weights and years, ``paper_count``,
``author_count``, name variants, search keys, fingerprints, affiliation spans — from
compact state, and the engine copies the result from Parquet files, a table per
transaction (a failure drops what was copied: the graph is empty again).

Memory grows with the distinct authors and papers, not with the records: works arrive as
columnar chunks (explorer.bulk_chunks); per author the id, first spelling and name key are
kept, per authorship a few integers; paper rows go to a Parquet file as they arrive;
co-author pairs go to bucket files on disk and are counted one bucket at a time
(explorer.bulk_pairs). Tests check that this path and the writer build the same graph.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .bulk_chunks import PAPER_SCHEMA, Chunk, chunk_from_works
from .bulk_files import (
    PLAIN,
    SLICE,
    Parts,
    node_schema,
    node_table,
    optional_years,
    rel_schema,
)
from .bulk_pairs import NO_YEAR, PairBuckets, year_span
from .bulk_state import Authors, PaperIds, grow
from .model import NODE_PROPERTIES, RELATIONSHIPS
from .names import search_key
from .neo4j_import import write_csv
from .records import Work
from .store.base import GraphStore
from .writer import WriteSummary


class GraphNotEmpty(RuntimeError):
    """Bulk import only starts from an empty graph."""


def graph_is_empty(store: GraphStore) -> bool:
    return not any(row["total"] for row in store.query("graph_stats"))


def require_empty_graph(store: GraphStore) -> None:
    if not graph_is_empty(store):
        raise GraphNotEmpty("bulk import needs an empty graph; this one holds data")


@dataclass
class _Links:
    """Integer columns that grow chunk by chunk (kept as a list of arrays)."""

    parts: dict[str, list[np.ndarray]] = field(default_factory=dict)

    def add(self, **columns: np.ndarray) -> None:
        for name, values in columns.items():
            self.parts.setdefault(name, []).append(values)

    def column(self, name: str, dtype: type) -> np.ndarray:
        parts = self.parts.get(name, [])
        return np.concatenate(parts) if parts else np.zeros(0, dtype)

    def take(self, name: str, dtype: type) -> np.ndarray:
        """The whole column, leaving nothing behind (memory: one copy, not two)."""
        column = self.column(name, dtype)
        self.parts.pop(name, None)
        return column


class BulkImporter:
    """Collects chunks of resolved works, then writes the whole graph at once.

    ``workdir`` holds the temporary files (default: next to the database for LadybugDB,
    so that they are on the same disk; else the system's temporary directory).
    """

    def __init__(self, store: GraphStore, *, workdir: Path | None = None,
                 buckets: int = 16) -> None:
        if not store.engine.can_copy_tables:
            raise ValueError(f"{store.engine_name} has no bulk copy; write through GraphWriter")
        require_empty_graph(store)
        self.store = store
        self.max_authors = store.coauthor_max_authors
        base = workdir or getattr(store.engine, "path", None)
        parent = Path(base).parent if base is not None and workdir is None else workdir
        if parent is not None:
            parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix="coauthor-bulk-", dir=parent))
        self.authors = Authors()
        self.papers = PaperIds()
        self.paper_year = np.zeros(0, np.int16)
        self.author_count = np.zeros(0, np.int32)
        self.dead: set[int] = set()
        self.authorships = _Links()
        self.topic_links = _Links()
        self.affiliations = _Links()
        self.topic_index: dict[str, int] = {}
        self.topic_names: list[str] = []
        self.inst_index: dict[str, int] = {}
        self.institutions: list[tuple[str, str | None, str | None]] = []
        self.pairs = PairBuckets(self._tmp / "pairs", buckets)
        self._paper_file = self._tmp / "Paper.parquet"
        self._paper_writer: pq.ParquetWriter | None = None
        self.deleted = 0
        self.phases: dict[str, float] = {}  # seconds per phase, for benchmarks
        self.peaks: dict[str, float] = {}   # peak RSS (MiB) at the end of each phase
        self._clock = time.perf_counter()

    # -- ingest ---------------------------------------------------------------------------

    def add(self, works: Iterable[Work]) -> None:
        batch = list(works)
        if batch:
            self.add_chunk(chunk_from_works(batch))

    def add_chunk(self, chunk: Chunk) -> None:
        """Take in a chunk of resolved works (file order: a later record of a paper id
        replaces the earlier one)."""
        if not chunk.size:
            return
        base = self.papers.count
        for seq in self.papers.add(chunk.papers, chunk.paper_hashes):
            self.dead.add(seq)  # replaced by a record of this chunk
        self._write_papers(chunk.papers)
        years = chunk.papers.column("year").fill_null(NO_YEAR).to_numpy().astype(np.int16)
        self.paper_year = grow(self.paper_year, years)
        self.author_count = grow(self.author_count,
                                 chunk.papers.column("author_count").to_numpy().astype(np.int32))
        mapping = self.authors.add(chunk.authors, chunk.bylines)
        by = chunk.bylines
        position = by.column("position").to_numpy()
        unique = position > 0
        paper = by.column("paper").to_numpy()[unique].astype(np.int64)
        author = mapping[by.column("author").to_numpy()[unique]]
        self.authorships.add(author=author, paper=(paper + base).astype(np.int32),
                             position=position[unique].astype(np.int32))
        counts = chunk.papers.column("author_count").to_numpy()
        self.pairs.add(author, counts, years, base, self.max_authors)
        self._add_topics(chunk, base)
        self._add_affiliations(chunk, mapping, base)

    def _write_papers(self, papers: pa.Table) -> None:
        if self._paper_writer is None:
            self._paper_writer = pq.ParquetWriter(self._paper_file, PAPER_SCHEMA, **PLAIN)
        self._paper_writer.write_table(papers)

    def _add_topics(self, chunk: Chunk, base: int) -> None:
        for topic_id, name in chunk.topics.items():
            index = self.topic_index.setdefault(topic_id, len(self.topic_names))
            if index == len(self.topic_names):
                self.topic_names.append(name)
            self.topic_names[index] = name
        links = chunk.topic_links
        if links.num_rows:
            order = np.array([self.topic_index[t] for t in chunk.topics], np.int32)
            local = pc.index_in(links.column("topic"), pa.array(list(chunk.topics))).to_numpy()
            score = links.column("score").fill_null(np.nan).to_numpy()
            self.topic_links.add(paper=links.column("paper").to_numpy() + np.int32(base),
                                 topic=order[local], score=score)

    def _add_affiliations(self, chunk: Chunk, mapping: np.ndarray, base: int) -> None:
        for inst_id, values in chunk.institutions.items():
            index = self.inst_index.setdefault(inst_id, len(self.institutions))
            if index == len(self.institutions):
                self.institutions.append(values)
            self.institutions[index] = values
        aff = chunk.affiliations
        if aff.num_rows:
            order = np.array([self.inst_index[i] for i in chunk.institutions], np.int32)
            local = pc.index_in(aff.column("institution"),
                                pa.array(list(chunk.institutions))).to_numpy()
            self.affiliations.add(author=mapping[aff.column("author").to_numpy()],
                                  institution=order[local],
                                  paper=aff.column("paper").to_numpy() + np.int32(base))

    def delete(self, paper_ids: Iterable[str]) -> None:
        """Forget papers read earlier (a later record retracts them; ``pmid:`` ids also
        find papers read under their DOI)."""
        for paper_id in paper_ids:
            found = self.papers.find(paper_id, self.dead)
            self.deleted += bool(found)
            self.dead.update(found)

    # -- finish ---------------------------------------------------------------------------

    def finish(self) -> WriteSummary:
        """Derive every table, write it to Parquet, copy the files (all or nothing)."""
        try:
            self._phase("read and collect")
            files = self._write_tables()
            self._release()
            self._phase("derive tables")
            try:
                self.store.engine.copy_files([(name, paths) for name, (paths, _) in
                                              files.items()])
            except BaseException:
                self._undo_copy()
                raise
            self._phase("copy")
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
        return self._summary({name: rows for name, (_, rows) in files.items()})

    def export_neo4j_csv(self, out: Path) -> tuple[dict[str, Path], WriteSummary]:
        """Write the tables as CSV for `neo4j-admin database import` instead of copying
        them (explorer.neo4j_import); the files by table, and what they hold."""
        out.mkdir(parents=True, exist_ok=True)
        try:
            self._phase("read and collect")
            tables = self._write_tables()
            self._phase("derive tables")
            files = {name: write_csv(name, paths, out) for name, (paths, _) in tables.items()
                     if paths}  # a table with no rows (no topics in the files) is left out
            self._phase("write CSV")
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)
        return files, self._summary({name: rows for name, (_, rows) in tables.items()})

    def _undo_copy(self) -> None:
        """After a failed copy, empty the graph again (it was empty before): drop the
        tables and create them anew."""
        tables = [*RELATIONSHIPS, *(label for label in NODE_PROPERTIES if label != "Alias")]
        self.store.engine.drop_tables(tables)
        self.store.init_schema()

    def _release(self) -> None:
        """Give back the memory of the collected state before the engine's COPY needs its
        own (the tables are in files now)."""
        self.authors, self.papers = Authors(), PaperIds()
        self.authorships, self.topic_links, self.affiliations = _Links(), _Links(), _Links()
        self.paper_year, self.author_count = self.paper_year[:0], self.author_count[:0]
        pa.default_memory_pool().release_unused()

    def _summary(self, counts: dict[str, int]) -> WriteSummary:
        return WriteSummary(
            papers_created=counts["Paper"], authors_created=counts["Author"],
            authorships=counts["AUTHORED"], topics_created=counts["Topic"],
            institutions_created=counts["Institution"],
            coauthor_pairs_created=counts["COAUTHORED_WITH"], papers_deleted=self.deleted,
        )

    def _phase(self, name: str) -> None:
        """Record how long the phase that just ended took, and the peak memory so far."""
        now = time.perf_counter()
        self.phases[name] = now - self._clock
        self.peaks[name] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self._clock = now

    def abandon(self) -> None:
        """Remove the temporary files of a load that stops before :meth:`finish`."""
        if self._paper_writer is not None:
            self._paper_writer.close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def alive(self) -> np.ndarray:
        mask = np.ones(self.papers.count, dtype=bool)
        if self.dead:
            mask[np.fromiter(self.dead, np.int64)] = False
        return mask

    def _write_tables(self) -> dict[str, tuple[list[Path], int]]:
        if self._paper_writer is not None:
            self._paper_writer.close()
            self._paper_writer = None
        alive = self.alive()
        author = self.authorships.take("author", np.int32)
        paper = self.authorships.take("paper", np.int32)
        position = self.authorships.take("position", np.int32)
        keep = alive[paper]
        if not keep.all():
            author, paper, position = author[keep], paper[keep], position[keep]
        paper_count = np.bincount(author, minlength=self.authors.count)
        author_ids = self.authors.ids()
        paper_ids = self.papers.ids()
        files: dict[str, tuple[list[Path], int]] = {}
        files["Author"] = self._save("Author", self._author_table(paper_count))
        files["Paper"] = self._paper_table(alive)
        # Topics and institutions of live papers only: a record replaced in the same
        # batch never reaches the writer either.
        topics = self._used(self.topic_links, "topic", len(self.topic_names), alive)
        files["Topic"] = self._save("Topic", node_table("Topic", {
            "id": [t for t, used in zip(self.topic_index, topics, strict=True) if used],
            "name": [n for n, used in zip(self.topic_names, topics, strict=True) if used],
            "search_key": [search_key([n]) for n, used in
                           zip(self.topic_names, topics, strict=True) if used]}))
        places = self._used(self.affiliations, "institution", len(self.institutions), alive)
        kept = [(i, v) for i, v, used in zip(self.inst_index, self.institutions, places,
                                             strict=True) if used]
        files["Institution"] = self._save("Institution", node_table("Institution", {
            "id": [i for i, _ in kept], "name": [v[0] for _, v in kept],
            "country": [v[1] for _, v in kept], "ror": [v[2] for _, v in kept],
            "search_key": [search_key([v[0]]) for _, v in kept]}))
        files["AUTHORED"] = self._save_slices("AUTHORED", len(author), lambda s: pa.table({
            "from": author_ids.take(pa.array(author[s])),
            "to": paper_ids.take(pa.array(paper[s])),
            "position": pa.array(position[s], pa.int64())}))
        files["HAS_TOPIC"] = self._topic_table(paper_ids, alive)
        files["AFFILIATED_WITH"] = self._affiliation_table(author_ids, alive)
        files["COAUTHORED_WITH"] = self._coauthor_file(author_ids, alive)
        return files

    @staticmethod
    def _used(links: _Links, column: str, size: int, alive: np.ndarray) -> list[bool]:
        """Which topics (institutions) a live paper links to."""
        paper = links.column("paper", np.int32)
        used = np.zeros(size, bool)
        used[links.column(column, np.int32)[alive[paper]]] = True
        return used.tolist()

    def _save(self, name: str, table: pa.Table) -> tuple[list[Path], int]:
        path = self._tmp / f"{name}.parquet"
        pq.write_table(table, path, **PLAIN)
        return [path], table.num_rows

    def _save_slices(self, name: str, rows: int, make) -> tuple[list[Path], int]:
        """A relationship table written a slice of rows at a time (bounded memory)."""
        with Parts(self._tmp, name, rel_schema(name)) as out:
            for start in range(0, rows, SLICE):
                out.write(make(slice(start, start + SLICE)))
        return out.paths, out.rows

    def _author_table(self, paper_count: np.ndarray) -> pa.Table:
        a = self.authors
        table = pa.table({
            "id": a.ids(), "name": a.display_names(), "orcid": a.orcids(),
            "name_variants": a.variant_lists(), "search_key": a.search_keys(),
            "paper_count": pa.array(paper_count, pa.int64()), "name_key": a.keys(),
        }).cast(node_schema("Author"))
        # An author seen only on records that a later record replaced or deleted is gone,
        # as the writer deletes authors left without papers.
        return table.filter(pa.array(paper_count > 0))

    def _paper_table(self, alive: np.ndarray) -> tuple[list[Path], int]:
        if not self._paper_file.exists():
            return self._save("Paper", pa.table({n: pa.array([], f.type) for n, f in
                                                 zip(PAPER_SCHEMA.names, PAPER_SCHEMA,
                                                     strict=True)}))
        if alive.all():
            return [self._paper_file], len(alive)
        kept = self._tmp / "Paper-kept.parquet"
        source = pq.ParquetFile(self._paper_file)
        start = 0
        with pq.ParquetWriter(kept, PAPER_SCHEMA, **PLAIN) as out:
            for group in range(source.num_row_groups):
                table = source.read_row_group(group)
                out.write_table(table.filter(pa.array(alive[start:start + table.num_rows])))
                start += table.num_rows
        return [kept], int(alive.sum())

    def _topic_table(self, paper_ids: pa.Array, alive: np.ndarray) -> tuple[list[Path], int]:
        paper = self.topic_links.take("paper", np.int32)
        topic = self.topic_links.take("topic", np.int32)
        score = self.topic_links.take("score", np.float64)
        keep = alive[paper]
        paper, topic, score = paper[keep], topic[keep], score[keep]
        topic_ids = pa.array(list(self.topic_index), pa.string())
        return self._save_slices("HAS_TOPIC", len(paper), lambda s: pa.table({
            "from": paper_ids.take(pa.array(paper[s])),
            "to": topic_ids.take(pa.array(topic[s])),
            "score": pa.array(score[s], pa.float64(), mask=np.isnan(score[s]))}))

    def _affiliation_table(self, author_ids: pa.Array,
                           alive: np.ndarray) -> tuple[list[Path], int]:
        """One edge per (author, institution), spanning the years of the works showing it;
        counted for one slice of the authors at a time (bounded memory)."""
        author = self.affiliations.take("author", np.int32)
        inst = self.affiliations.take("institution", np.int32)
        paper = self.affiliations.take("paper", np.int32)
        keep = alive[paper]
        author, inst, paper = author[keep], inst[keep], paper[keep]
        inst_ids = pa.array(list(self.inst_index), pa.string())
        slices = max(1, len(author) // 2_000_000)
        with Parts(self._tmp, "AFFILIATED_WITH", rel_schema("AFFILIATED_WITH")) as out:
            for part in range(slices):
                rows = np.flatnonzero(author % slices == part)
                if not len(rows):
                    continue
                code = (author[rows].astype(np.int64) << 32) | inst[rows]
                year = self.paper_year[paper[rows]]
                order = np.argsort(code)
                code, year = code[order], year[order]
                starts = np.flatnonzero(np.concatenate(([True], code[1:] != code[:-1])))
                lowest, highest = year_span(year, starts)
                unique = code[starts]
                out.write(pa.table({
                    "from": author_ids.take(pa.array(unique >> 32)),
                    "to": inst_ids.take(pa.array(unique & 0xFFFFFFFF)),
                    "first_year": optional_years(lowest),
                    "last_year": optional_years(highest)}))
        return out.paths, out.rows

    def _coauthor_file(self, author_ids: pa.Array,
                       alive: np.ndarray) -> tuple[list[Path], int]:
        """Pairs counted bucket by bucket, each edge from the smaller id to the larger."""
        rank = np.empty(len(author_ids), np.int32)
        rank[pc.sort_indices(author_ids).to_numpy()] = np.arange(len(author_ids),
                                                                 dtype=np.int32)
        with Parts(self._tmp, "COAUTHORED_WITH", rel_schema("COAUTHORED_WITH")) as out:
            for a, b, weight, lowest, highest in self.pairs.counted(alive):
                swap = rank[a] > rank[b]
                a, b = np.where(swap, b, a), np.where(swap, a, b)
                out.write(pa.table({
                    "from": author_ids.take(pa.array(a)), "to": author_ids.take(pa.array(b)),
                    "weight": pa.array(weight, pa.int64()),
                    "first_year": optional_years(lowest),
                    "last_year": optional_years(highest)}))
        return out.paths, out.rows
