"""The author index saved beside its database (explorer.store.index_files): a read-only
store builds and saves it once per state of the file, others map it and answer the same;
a write makes it stale; a damaged or unwritable save only costs a build; workers waiting for
another process's build can be closed."""

from __future__ import annotations

import errno
import json
import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from bench.generate import generate_works
from explorer.bulk import BulkImporter
from explorer.names import search_needle
from explorer.store import GraphStore, accelerator, index_files, open_store
from explorer.store.author_index import AuthorIndex
from explorer.store.file_marks import file_marks
from tests.conftest import engine_config, fresh_store, hold_the_lock, settle

ACCELERATOR = "explorer.store.accelerator"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database of 3,000 generated authorships."""
    folder = tmp_path_factory.mktemp("saved-index")
    with fresh_store("ladybug", folder) as store:
        importer = BulkImporter(store)
        importer.add(generate_works(3000, seed=5))
        importer.finish()
    return folder / "graph.lbdb"


@pytest.fixture
def db(corpus_db: Path, tmp_path: Path) -> Path:
    """A copy of the corpus database, without a saved index, last written an hour ago."""
    copy = tmp_path / "graph.lbdb"
    copy.write_bytes(corpus_db.read_bytes())
    return settle(copy)


def opened(db: Path, *, read_only: bool = True) -> GraphStore:
    return open_store(engine_config("ladybug", db.parent, db_path=str(db)),
                      read_only=read_only)


def ready_index(store: GraphStore) -> AuthorIndex:
    index = store.accelerator.index(wait=True)
    assert index is not None
    return index


def how_it_came(caplog: pytest.LogCaptureFixture) -> list[str]:
    """What each index build of the test said it did ("built and saved", "mapped", ...)."""
    return [r.getMessage().partition(":")[0] for r in caplog.records if r.name == ACCELERATOR]


def answers(store: GraphStore) -> list:
    """Answers of every kind the index gives: searches, paths, slices, topics, titles."""
    ids = [r["id"] for r in store.engine.read(
        "MATCH (a:Author) RETURN a.id AS id ORDER BY a.id LIMIT 40", {}).records()]
    topic = store.engine.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY t.id LIMIT 1",
                              {}).records()[0]["id"]
    filters = {"min_weight": 1, "year_from": 0, "year_to": 3000}
    return [
        [store.search_authors(search_needle(text), 20) for text in ("a", "mü", "sm", "de l")],
        [store.search_papers(search_needle(text), 20) for text in ("a", "learning", "zzz")],
        [store.shortest_path(a, b) for a, b in zip(ids[:10], ids[10:20], strict=True)],
        [store.query("author_neighbours", id=a, limit=50, exclude=[], **filters)
         for a in ids],
        sorted({(*sorted([e["source"], e["target"]]), e["weight"], e["first_year"],
                 e["last_year"])  # each edge once, either way round
                for e in store.links_from("links_of", ids[:10], ids, **filters)}),
        [store.query("author_topics", id=a, limit=5) for a in ids],
        store.query("topic_authors", id=topic, limit=20),
    ]


def cypher_answers(store: GraphStore) -> list:
    """``answers`` from the named Cypher queries alone, without the index."""
    accelerator, store.accelerator = store.accelerator, None
    try:
        return answers(store)
    finally:
        store.accelerator = accelerator


def test_a_read_only_store_saves_the_index_and_the_next_maps_it(db, caplog):
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with opened(db) as first:
        ready_index(first)
        first_answers, cypher = answers(first), cypher_answers(first)
        paths = 2  # among equally short chains the index may choose another (as tested
        assert [len(p["ids"]) if p else 0 for p in first_answers[paths]] == [  # elsewhere)
            len(p["ids"]) if p else 0 for p in cypher[paths]]
        del first_answers[paths][:], cypher[paths][:]
        assert first_answers == cypher
    saved = [p for p in index_files.index_dir(db).iterdir() if p.is_dir()]
    assert [p.name for p in saved] == [index_files.state_name(file_marks(db))]
    with opened(db) as second:
        mapped = ready_index(second)
        assert isinstance(mapped.link_rows.base, np.memmap)  # from the file, not a copy
        second_answers = answers(second)
        del second_answers[paths][:]
        assert second_answers == first_answers
        built = AuthorIndex.read(lambda name: second.engine.read_arrow(
            second.queries[name].text, {}))  # built afresh, in memory
        assert set(built.arrays()) == set(mapped.arrays())
        for name, value in built.arrays().items():
            again = mapped.arrays()[name]
            assert value.equals(again) if isinstance(value, pa.Array) \
                else np.array_equal(value, again) and value.dtype == again.dtype, name
    assert how_it_came(caplog) == ["built and saved the author index",
                                   "mapped the saved author index"]
    assert len(first_answers[0][0]) == 20 and first_answers[3] and first_answers[-1]


def test_a_write_makes_the_saved_index_stale(db, caplog):
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with opened(db) as reader:
        ready_index(reader)
    old = index_files.state_name(file_marks(db))
    with opened(db, read_only=False) as writer:  # unwritten: it may map the saved index
        ready_index(writer)
        with writer.engine.transaction() as tx:
            tx.run("CREATE (:Author {id: 'author:new', name: 'Zyxwv Newcomer', "
                   "search_key: ' zyxwv newcomer |', paper_count: 1})")
        assert writer.search_authors(search_needle("zyxwv"), 5)[0]["id"] == "author:new"
    assert how_it_came(caplog) == ["built and saved the author index",
                                   "mapped the saved author index",
                                   "built the author index"]  # after its write: not saved
    assert [p.name for p in index_files.index_dir(db).iterdir() if p.is_dir()] == [old]
    with opened(settle(db)) as reader:
        assert reader.search_authors(search_needle("zyxwv"), 5)[0]["id"] == "author:new"
    assert how_it_came(caplog)[-1] == "built and saved the author index"
    assert [p.name for p in index_files.index_dir(db).iterdir() if p.is_dir()] == [
        index_files.state_name(file_marks(db))] != [old]  # the stale one is gone


def test_a_file_written_moments_ago_has_no_index_saved(db, caplog):
    """Its marks could be those of a write in the same tick of the file system's clock."""
    os.utime(db)  # written now
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with opened(db) as store:
        assert store.engine.content_marks() is None
        ready_index(store)
    assert how_it_came(caplog) == ["built the author index"]
    assert not index_files.index_dir(db).exists()


@pytest.mark.parametrize("damage", ["a file cut short", "an array one short"])
def test_a_damaged_save_is_built_again(db, caplog, damage):
    with opened(db) as first:
        expected = answers(first)
    folder = index_files.index_dir(db) / index_files.state_name(file_marks(db))
    manifest = json.loads((folder / index_files.MANIFEST).read_text())["arrays"]
    victim = folder / manifest["link_rows"]
    if damage == "a file cut short":
        victim.write_bytes(victim.read_bytes()[:40])
    else:  # a whole file, but not of this index: the arrays no longer fit together
        np.save(victim, np.load(victim)[:-1])
    caplog.set_level(logging.INFO)
    with opened(db) as second:
        assert answers(second) == expected
    assert any("cannot be read" in r.getMessage() and str(folder) in r.getMessage()
               for r in caplog.records if r.levelno == logging.WARNING)
    assert how_it_came(caplog) == ["built and saved the author index"]
    with opened(db) as third:  # the save that replaced it is whole
        assert answers(third) == expected
    assert how_it_came(caplog)[-1] == "mapped the saved author index"


def test_where_it_cannot_be_saved_the_index_is_built_in_memory(db, caplog):
    index_files.index_dir(db).write_text("not a folder")
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with opened(db) as store:
        assert ready_index(store).size > 100
    assert how_it_came(caplog) == ["built the author index"]
    assert index_files.index_dir(db).read_text() == "not a folder"


def test_stores_building_at_once_build_once(db, caplog):
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    stores = [opened(db) for _ in range(3)]
    try:
        for store in stores:
            store.warm()
        indexes = [ready_index(store) for store in stores]
        assert len({index.size for index in indexes}) == 1
    finally:
        for store in stores:
            store.close()
    assert sorted(how_it_came(caplog)) == ["built and saved the author index",
                                           "mapped the saved author index",
                                           "mapped the saved author index"]


def test_a_store_waiting_for_another_processs_build_closes_at_once(db):
    with hold_the_lock(db):
        store = opened(db)
        try:
            store.warm()
            time.sleep(0.5)
            assert store.accelerator.state() == "building"
            closing = threading.Thread(target=store.close, daemon=True)
            closing.start()
            closing.join(10)
            assert not closing.is_alive(), "close() waited for the other process's build"
            assert store.accelerator.state() == "not built"
        finally:
            store.close()


def test_a_saved_index_finds_ids_in_another_process(db):
    """Ids are found through stable digests, not ``hash()``, which each process salts."""
    code = ("import sys; from tests.test_author_index_files import opened, ready_index; "
            "from pathlib import Path; store = opened(Path(sys.argv[1])); "
            "ready_index(store); store.close()")
    subprocess.run([sys.executable, "-c", code, str(db)], check=True, timeout=120,
                   env={**os.environ, "PYTHONHASHSEED": "12345"},
                   cwd=Path(__file__).resolve().parent.parent)
    with opened(db) as store:
        index = ready_index(store)
        assert isinstance(index.id_hashes.base, np.memmap)
        ids = index.ids.to_pylist()
        assert index.rows_of(ids).tolist() == list(range(len(ids)))
        assert index.rows_of(["no such id", ids[7]]).tolist() == [-1, 7]


def test_a_read_write_store_that_wrote_does_not_use_or_save_one(db, caplog):
    with opened(db) as reader:
        ready_index(reader)
    saved = sorted(index_files.index_dir(db).iterdir())
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with opened(db, read_only=False) as store:
        assert store.engine.content_marks() == file_marks(db)
        with store.engine.transaction() as tx:
            tx.run("MATCH (a:Author) WITH a ORDER BY a.id LIMIT 1 "
                   "SET a.name = 'Qwxzy Renamed', a.search_key = ' qwxzy renamed |'")
        assert store.engine.content_marks() is None
        assert store.search_authors(search_needle("qwxzy"), 5)[0]["name"] == "Qwxzy Renamed"
    assert how_it_came(caplog)[-1] == "built the author index"
    assert sorted(index_files.index_dir(db).iterdir()) == saved


def test_a_build_waits_for_another_processs_lock_only_so_long(db, caplog, monkeypatch):
    monkeypatch.setattr(accelerator, "LOCK_WAIT_SECONDS", 1.0)
    caplog.set_level(logging.INFO)
    with hold_the_lock(db), opened(db) as store:
        started = time.perf_counter()
        index = ready_index(store)
        assert 1.0 <= time.perf_counter() - started < 30 and index.size > 100
    assert how_it_came(caplog) == ["built the author index"]  # not saved: not its lock
    assert any("waited 1 s for another process" in r.getMessage() for r in caplog.records)
    assert [p.name for p in index_files.index_dir(db).iterdir()] == [index_files.LOCK]


def test_a_request_on_a_small_graph_does_not_wait_long_for_another_process(db, monkeypatch):
    monkeypatch.setattr(accelerator, "SMALL_GRAPH_WAIT_SECONDS", 0.5)
    with hold_the_lock(db), opened(db) as store:
        found: list = []
        asking = threading.Thread(target=lambda: found.extend(  # by Cypher meanwhile
            store.search_authors(search_needle("a"), 5)), daemon=True)
        asking.start()
        asking.join(5)
        assert not asking.is_alive(), "the request waited for the other process's build"
        assert len(found) == 5 and store.accelerator.state() == "building"


def test_a_save_keeps_what_was_saved_for_later_states(db):
    with opened(db) as store:
        index = ready_index(store)
    ino, size, mtime = file_marks(db)[0]
    later, earlier = ((ino, size, mtime + 10**9),), ((ino, size, mtime - 10**9),)
    folder = index_files.index_dir(db)
    assert index_files.save(db, later, index) and index_files.save(db, earlier, index)
    names = {index_files.state_name(m) for m in (later, earlier)}
    assert names <= {p.name for p in folder.iterdir()}  # a late saver deletes nothing newer
    assert index_files.save(db, ((ino, size, mtime + 2 * 10**9),), index)
    assert not names & {p.name for p in folder.iterdir()}  # the newest save replaces them


def test_where_files_cannot_be_locked_the_index_is_built_in_memory(db, caplog, monkeypatch):
    def no_locks(handle, operation):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(index_files.fcntl, "flock", no_locks)
    caplog.set_level(logging.INFO)
    with opened(db) as store:
        assert ready_index(store).size > 100 and store.accelerator.state() == "ready"
    assert how_it_came(caplog) == ["built the author index"]
    assert any("cannot lock" in r.getMessage() for r in caplog.records)


def test_requests_on_a_small_graph_wait_for_a_stuck_build_once(db, monkeypatch):
    monkeypatch.setattr(accelerator, "SMALL_GRAPH_WAIT_SECONDS", 1.0)
    with hold_the_lock(db), opened(db) as store:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            assert len(store.search_authors(search_needle("a"), 5)) == 5
            times.append(time.perf_counter() - started)
        assert times[0] >= 1.0 and max(times[1:]) < 0.9, times


def test_after_a_failed_save_others_build_at_once(db, caplog, monkeypatch):
    def disk_full(stem, value):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(accelerator, "LOCK_WAIT_SECONDS", 8.0)  # a wait fails, not hangs
    caplog.set_level(logging.INFO, logger=ACCELERATOR)
    with monkeypatch.context() as patched:
        patched.setattr(index_files, "_write", disk_full)
        with opened(db) as first:
            ready_index(first)
    assert how_it_came(caplog) == ["built the author index"]
    with hold_the_lock(db), opened(db) as second:  # as another worker building: no wait
        started = time.perf_counter()
        ready_index(second)
        assert time.perf_counter() - started < 5
    monkeypatch.setattr(index_files, "FAILED_SAVE_SECONDS", 0.0)  # the failure is old
    with opened(db) as third:
        ready_index(third)
    assert how_it_came(caplog)[-1] == "built and saved the author index"
    assert not list(index_files.index_dir(db).glob(index_files.FAILURE_NOTE + "*"))
