"""Read-only workers that follow their LadybugDB file (explorer/following.py), in process:
a real `coauthor-explorer load` in another process while the store is open read-only, the
swap to a fresh store, the old one closed only when the last request using it ends, and
/readyz saying which state it answers from. tests/test_production_workers.py runs the same
through gunicorn."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.app import create_app
from explorer.cli import DEMO_FILE, DEMO_OPENALEX_FILE
from explorer.following import FollowingStoreHolder
from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.settings import load_config
from explorer.store import ReadOnlyViolation, open_store
from explorer.store.file_marks import file_marks
from tests.conftest import hold_the_lock


def demo_database(path: Path) -> Path:
    with open_store(load_config({"db_path": str(path), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        load_paths(store, "bibtex", [DEMO_FILE], progress=False)
    return path


def load_in_another_process(db: Path) -> subprocess.CompletedProcess:
    """`coauthor-explorer load` of the 100 OpenAlex demo works, as an operator runs it."""
    return subprocess.run([sys.executable, "-m", "explorer", "--db", str(db), "load",
                           "openalex", str(DEMO_OPENALEX_FILE)],
                          capture_output=True, text=True, timeout=120)


def following_app(db: Path, check_seconds: float = 0.2):
    config = load_config({"db_path": str(db), "neo4j_uri": "",
                          "reopen_check_seconds": check_seconds}, environ={})
    holder = FollowingStoreHolder(config)
    return create_app(config, store_holder=holder), holder


def wait_for(condition: Callable[[], bool], seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time allowed"
        time.sleep(0.05)


def papers(store) -> int:
    return Graph(store).stats()["papers"]


def test_a_load_runs_while_the_file_is_open_read_only_and_a_fresh_open_sees_it(tmp_path):
    db = demo_database(tmp_path / "graph.lbdb")
    config = load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})
    with open_store(config, read_only=True) as reader:
        assert papers(reader) == 5
        loaded = load_in_another_process(db)
        assert loaded.returncode == 0, loaded.stderr
        assert papers(reader) == 5  # a read-only open keeps the state it opened
        with pytest.raises(ReadOnlyViolation), reader.transaction():
            pass
        with open_store(config, read_only=True) as fresh:
            assert papers(fresh) == 105


def test_a_worker_follows_a_load_made_by_another_process(tmp_path):
    db = demo_database(tmp_path / "graph.lbdb")
    app, holder = following_app(db)
    client = app.test_client()
    try:
        assert client.get("/api/stats").get_json()["papers"] == 5
        first = holder.get()
        assert "(read-only)" in first.engine.describe()
        authors = len(first.accelerator.index(wait=True).ids)
        assert client.get("/api/search?q=gopher&kind=papers").status_code == 200
        loaded = load_in_another_process(db)
        assert loaded.returncode == 0, loaded.stderr
        wait_for(lambda: client.get("/api/stats").get_json()["papers"] == 105)
        assert holder.reopened == 1
        fresh = holder.get()
        assert fresh is not first and first.closed and not fresh.closed
        assert fresh.accelerator.state() == "ready"  # swapped in with its index built
        assert len(fresh.accelerator.index().ids) > authors
        time.sleep(1)  # the files stay as they are: no further reopening
        assert holder.reopened == 1
    finally:
        holder.close()


def test_the_swap_closes_the_old_store_only_after_the_requests_using_it(tmp_path):
    db = demo_database(tmp_path / "graph.lbdb")
    app, holder = following_app(db)
    try:
        with app.test_request_context("/api/stats"):  # a request that is still running
            old = holder.get()
            assert papers(old) == 5
            assert load_in_another_process(db).returncode == 0
            wait_for(lambda: holder.reopened == 1)
            assert not old.closed, "closed under a running request"
            assert holder.get() is old  # the request keeps the store it started with
            assert papers(old) == 5  # and it still answers
            answers: list[int] = []  # a request that starts now, on its own thread
            other = threading.Thread(target=lambda: answers.append(
                app.test_client().get("/api/stats").get_json()["papers"]))
            other.start()
            other.join()
            assert answers == [105]
            assert not old.closed
        wait_for(lambda: old.closed)  # the last request using it has ended: closed aside
        assert not holder.get().closed
    finally:
        holder.close()


def test_readyz_says_whether_answers_come_from_the_files_present_state(tmp_path):
    db = demo_database(tmp_path / "graph.lbdb")
    app, holder = following_app(db, check_seconds=3600)  # no reopening in this test
    client = app.test_client()
    try:
        ready = client.get("/readyz")
        assert ready.status_code == 200 and ready.get_json()["data"] == "current"
        marks = file_marks(db)
        assert load_in_another_process(db).returncode == 0
        assert file_marks(db) != marks
        ready = client.get("/readyz")
        assert ready.status_code == 200  # it answers, from the state it opened
        assert ready.get_json()["data"] == "reopening"
        assert client.get("/api/stats").get_json()["papers"] == 5
    finally:
        holder.close()


def test_a_database_that_cannot_be_reopened_is_served_as_it_was_and_readyz_says_so(tmp_path):
    db = demo_database(tmp_path / "graph.lbdb")
    app, holder = following_app(db)
    client = app.test_client()
    try:
        assert client.get("/api/stats").status_code == 200
        moved = db.rename(tmp_path / "elsewhere.lbdb")
        wait_for(lambda: client.get("/readyz").get_json()["data"] == "stale")
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert f"no database at {db}" in ready.get_json()["data_problem"]
        assert client.get("/api/stats").get_json()["papers"] == 5
        moved.rename(db)  # back: the same files as the open store's, nothing to reopen
        wait_for(lambda: client.get("/readyz").get_json()["data"] == "current")
        assert holder.reopened == 0
    finally:
        holder.close()


def test_closing_stops_a_reopen_that_waits_for_another_processs_index(tmp_path):
    """A worker exiting while its reopen waits for another process's build of the author
    index (explorer.store.index_files) stops the wait, and the store being opened is closed
    (not left open, waiting, while the worker exits)."""
    db = demo_database(tmp_path / "graph.lbdb")
    app, holder = following_app(db)
    with hold_the_lock(db):
        app.test_client().get("/api/stats")
        assert load_in_another_process(db).returncode == 0
        wait_for(lambda: holder._opening is not None)  # the reopen waits for the lock
        time.sleep(0.5)
        opening = holder._opening
        assert opening is not None and holder.reopened == 0 and not opening.closed
        closing = threading.Thread(target=holder.close, daemon=True)
        closing.start()
        closing.join(10)
        assert not closing.is_alive(), "close() waited for the other process's build"
        wait_for(lambda: opening.closed, 10)
        assert holder._opening is None and holder.reopened == 0
