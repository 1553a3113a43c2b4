"""Bulk import into an empty graph builds exactly what the incremental writer builds."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.generate import generate_works
from explorer.bulk import BulkImporter, GraphNotEmpty
from explorer.cli import DEMO_FILE
from explorer.loading import bulk_by_default, load_paths
from explorer.records import AuthorRef, Work
from explorer.store.copy_marker import marker_path
from explorer.store.errors import QueryError, StoreUnavailable
from explorer.store.file_marks import database_files
from explorer.store.ladybug_console import _Database as _ConsoleDatabase
from explorer.store.ladybug_engine import LadybugEngine
from explorer.writer import GraphWriter
from tests.conftest import fresh_store

OPENALEX = Path(__file__).parent / "data" / "openalex"
QUERIES = [
    "MATCH (a:Author) RETURN a.id, a.name, a.name_variants, a.search_key, a.paper_count, "
    "a.orcid, a.name_key",
    "MATCH (p:Paper) RETURN p.id, p.title, p.year, p.venue, p.author_count, p.fingerprint, "
    "p.search_key",
    "MATCH (t:Topic) RETURN t.id, t.name, t.search_key",
    "MATCH (i:Institution) RETURN i.id, i.name, i.country, i.ror, i.search_key",
    "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.id, p.id, r.position",
    "MATCH (p:Paper)-[r:HAS_TOPIC]->(t:Topic) RETURN p.id, t.id, r.score",
    "MATCH (a:Author)-[r:AFFILIATED_WITH]->(i:Institution) RETURN a.id, i.id, r.first_year, "
    "r.last_year",
    "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) RETURN a.id, b.id, e.weight, "
    "e.first_year, e.last_year",
]


def snapshot(store) -> list[list]:
    return [sorted(tuple(map(repr, row)) for row in store.engine.read(q, {}).rows)
            for q in QUERIES]


def corpus() -> list[Work]:
    works = list(generate_works(3000, seed=5))
    extra = (AuthorRef("openalex:A1", "Another Spelling"),)
    works.append(Work(works[0].id, "Replaced", 1999, authors=works[0].authors[:2] + extra))
    works.append(Work("doi:none", "No year", None, authors=works[1].authors))
    return works


def test_bulk_and_incremental_build_the_same_graph(tmp_path):
    """Two databases side by side: LadybugDB (a Neo4j server gives the tests one database,
    and there the bulk path is the writer itself)."""
    works = corpus()
    assert any(len(w.authors) > 20 for w in works), "the corpus exercises the threshold"
    with fresh_store("ladybug", tmp_path / "a", coauthor_max_authors=20) as incremental, \
            fresh_store("ladybug", tmp_path / "b", coauthor_max_authors=20) as bulk:
        writer = GraphWriter(incremental)
        for start in range(0, len(works), 250):
            writer.write(works[start:start + 250])
        importer = BulkImporter(bulk)
        importer.add(works)
        importer.finish()
        assert snapshot(bulk) == snapshot(incremental)
        again = GraphWriter(bulk).write(works[-300:])
        assert again.papers_created == again.papers_updated == 0


def test_bulk_import_refuses_a_graph_with_data(store):
    assert bulk_by_default(store) == (store.engine.name == "ladybug"), "a first load"
    GraphWriter(store).write([Work("doi:1", "A", 2000, authors=(AuthorRef("name:a", "A"),))])
    assert not bulk_by_default(store), "the graph holds data: batched transactions"
    with pytest.raises(GraphNotEmpty):
        load_paths(store, "bibtex", [DEMO_FILE], progress=False, bulk=True)


def test_engines_without_bulk_copy_get_the_same_graph_through_transactions(tmp_path):
    files = sorted(OPENALEX.glob("*.jsonl"))
    distinct = {json.loads(line)["id"] for f in files for line in f.read_text().splitlines()}
    with fresh_store("ladybug", tmp_path / "a") as copied, \
            fresh_store("ladybug", tmp_path / "b") as written:
        written.engine.can_copy_tables = False  # as on Neo4j
        for store in (copied, written):
            report = load_paths(store, "openalex", files, progress=False, bulk=True)
            assert report.written.papers_created == len(distinct)
        assert snapshot(copied) == snapshot(written)


PUBMED = Path(__file__).parent / "data" / "pubmed" / "pubmed20n0014-extract.xml.gz"


def test_bulk_and_incremental_resolve_name_only_authors_alike(tmp_path):
    """PubMed bylines carry no author ids: the resolver asks the importer, not the store,
    about earlier batches, and must decide exactly as it does against the store."""
    with fresh_store("ladybug", tmp_path / "a") as incremental, \
            fresh_store("ladybug", tmp_path / "b") as bulk:
        written = load_paths(incremental, "pubmed", [PUBMED], progress=False, batch_size=50)
        copied = load_paths(bulk, "pubmed", [PUBMED], progress=False, bulk=True)
        assert written.identity.lines() == copied.identity.lines()
        assert copied.written.papers_created == written.written.papers_created > 100
        assert snapshot(bulk) == snapshot(incremental)


def test_a_load_pauses_the_cycle_collector_and_restores_it(tmp_path, monkeypatch):
    """Full collections walked every person the resolver holds (7 of 26 s of a PubMed bulk
    load): loads run without them, and leave the collector as they found it."""
    import explorer.loading

    seen = []
    write = explorer.loading.write_records

    def observed(*args, **kwargs):
        seen.append(gc.isenabled())
        return write(*args, **kwargs)

    monkeypatch.setattr(explorer.loading, "write_records", observed)
    assert gc.isenabled()
    with fresh_store("ladybug", tmp_path / "a") as store:
        report = load_paths(store, "pubmed", [PUBMED], progress=False, bulk=True)
        assert report.written.papers_created > 100
        assert seen == [False] and gc.isenabled()
        gc.disable()
        try:
            load_paths(store, "pubmed", [PUBMED], progress=False)
            assert seen == [False, False] and not gc.isenabled()
        finally:
            gc.enable()


def test_a_failed_copy_leaves_the_graph_empty_and_loadable(tmp_path, monkeypatch):
    """Each file is copied in its own transaction (memory); when one fails, the tables
    copied before it are dropped and made again, so the graph is as empty as before."""
    works = list(generate_works(2000, seed=3))

    def dangling(self, author_ids, alive):
        table = pa.table({"from": ["openalex:nobody"], "to": [author_ids[0].as_py()],
                          "weight": [1], "first_year": [2000], "last_year": [2000]})
        pq.write_table(table, self._tmp / "dangling.parquet")
        return [self._tmp / "dangling.parquet"], 1

    with fresh_store("ladybug", tmp_path / "db") as store:
        with monkeypatch.context() as patch:
            patch.setattr(BulkImporter, "_coauthor_file", dangling)
            importer = BulkImporter(store)
            importer.add(works)
            with pytest.raises(QueryError):
                importer.finish()
        assert all(row["total"] == 0 for row in store.query("graph_stats"))
        assert not list(tmp_path.glob("coauthor-bulk-*")), "temporary files removed"
        assert not marker_path(store.engine.path).exists(), "the undone copy is not marked"
        importer = BulkImporter(store)
        importer.add(works)
        assert importer.finish().authorships == 2000


_DIES_AT_THE_COAUTHOR_COPY = """
import os, sys, ladybug
execute = ladybug.Connection.execute
def dying(self, query, *args, **kwargs):
    if isinstance(query, str) and query.startswith("COPY COAUTHORED_WITH"):
        os._exit(9)  # as when the engine crashed at this COPY (bench/RESULTS.md)
    return execute(self, query, *args, **kwargs)
ladybug.Connection.execute = dying
from explorer.cli import main
sys.argv = ["coauthor-explorer", "--db", sys.argv[1], "load", "--bulk", "bibtex", sys.argv[2]]
main()
"""


def _explorer(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          text=True, env={**os.environ, "NEO4J_URI": ""}, timeout=120)


def test_a_load_that_dies_while_copying_leaves_a_database_that_is_not_served(tmp_path):
    """Tables are copied one transaction each, so a process that dies between two leaves
    part of a load committed; such a database is refused, with what to do, until it is
    deleted and loaded again."""
    db = tmp_path / "half.lbdb"
    died = subprocess.run([sys.executable, "-c", _DIES_AT_THE_COAUTHOR_COPY, str(db),
                           str(DEMO_FILE)], capture_output=True, text=True,
                          env={**os.environ, "NEO4J_URI": ""}, timeout=120)
    assert died.returncode == 9, died.stderr[-2000:]
    assert marker_path(db).exists()

    stats = _explorer("--db", str(db), "stats")
    assert stats.returncode == 1 and "Traceback" not in stats.stderr
    assert f"the database {db} holds only part of a bulk load" in stats.stderr
    assert "delete the database" in stats.stderr
    with pytest.raises(StoreUnavailable, match="holds only part of a bulk load"):
        LadybugEngine(db, read_only=True)

    copying = subprocess.Popen(  # a load that is copying holds the marker's lock
        [sys.executable, "-c", "import sys, time; from pathlib import Path; "
         "from explorer.store.copy_marker import copying\n"
         "with copying(Path(sys.argv[1])):\n    print('copying', flush=True); time.sleep(60)",
         str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert copying.stdout.readline().strip() == "copying"
        with pytest.raises(StoreUnavailable, match=f"process {copying.pid} on .* is copying"):
            LadybugEngine(db)
    finally:
        copying.kill()
        copying.wait()
    with pytest.raises(StoreUnavailable, match="holds only part"):  # killed: lock released
        LadybugEngine(db, read_only=True)
    with pytest.raises(StoreUnavailable, match="holds only part"):  # nor the console's
        _ConsoleDatabase(db, 256).connection()

    for leftover in database_files(db):  # the database, not the marker: it then goes
        leftover.unlink(missing_ok=True)
    again = _explorer("--db", str(db), "load", "--bulk", "bibtex", str(DEMO_FILE))
    assert again.returncode == 0 and "5 created" in again.stdout, again.stderr[-2000:]
    assert not marker_path(db).exists()
    stats = json.loads(_explorer("--db", str(db), "stats", "--format", "json").stdout)
    assert stats["papers"] == 5 and stats["coauthor_pairs"] > 0
