"""Several gunicorn workers on one embedded LadybugDB file, for real (`coauthor-explorer
gunicorn` as a separate process): each worker opens the file read-only and serves; the
arbiter creates a missing database first; a `coauthor-explorer load` made while the server
runs becomes visible within seconds, with no failed request meanwhile; one worker still
holds the file for writing."""

from __future__ import annotations

import http.client
import json
import shutil
import threading
import time
from collections import Counter
from pathlib import Path

import ladybug
import pytest

from explorer.cli import DEMO_OPENALEX_FILE
from explorer.store.file_marks import file_marks
from tests.conftest import settle
from tests.test_production import SIMONYAN, gunicorn, run_command

SLICE = f"/api/authors/{SIMONYAN}/slice?limit=10"


@pytest.fixture
def demo_copy(demo_db: str, tmp_path: Path) -> str:
    """A copy of the demo database this test may change."""
    return str(shutil.copy(demo_db, tmp_path / "demo.lbdb"))


def request_lines(server) -> list[dict]:
    return [line for line in server.log_lines() if line["logger"] == "explorer.request"]


def messages(server, start: str) -> list[dict]:
    return [line for line in server.log_lines() if line["message"].startswith(start)]


def test_two_workers_each_open_the_file_read_only_and_serve_slices(demo_copy, tmp_path):
    with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_copy,
                  COAUTHOR_EXPLORER_WORKERS="2") as server:
        status, _, body = server.get(SLICE)
        assert status == 200
        expected = json.loads(body)
        assert expected["nodes"][0]["name"] == "Karen Simonyan" and expected["edges"]
        answers = []

        def client(_: int) -> None:  # a new connection each time: either worker accepts it
            for _ in range(25):
                status, _, body = server.get(SLICE)
                answers.append((status, json.loads(body) == expected))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert answers.count((200, True)) == 200
        ready = json.loads(server.get("/readyz")[2])
        assert ready["status"] == "ready" and ready["data"] == "current"
        assert server.stop() == 0
    serving = messages(server, "serving LadybugDB")
    assert len(serving) == 2 and all(line["message"].endswith("(read-only)")
                                     for line in serving)
    by_worker = Counter(line["pid"] for line in request_lines(server)
                        if line["path"].endswith("/slice"))
    assert len(by_worker) == 2, f"one worker answered every slice: {by_worker}"
    assert not [line for line in server.log_lines() if line["level"] in ("ERROR", "CRITICAL")]
    ladybug.Database(demo_copy).close()  # the stopped server let go of the file


def test_workers_build_the_author_index_once_and_a_restart_maps_it(demo_copy, tmp_path):
    """At the first start one worker builds and saves the author index while the other
    waits for it and maps it; after a restart both map it: the arbiter's check of the
    schema left the file as it was."""
    settle(Path(demo_copy))  # a file written long ago (else nothing is saved for it)
    marks = file_marks(Path(demo_copy))
    said = []
    for _ in range(2):
        with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_copy,
                      COAUTHOR_EXPLORER_WORKERS="2") as server:
            deadline = time.monotonic() + 60
            while len(index_lines := [line["message"].partition(":")[0]
                                      for line in server.log_lines()
                                      if line["logger"] == "explorer.store.accelerator"]) < 2:
                assert time.monotonic() < deadline, server.log.read_text()
                time.sleep(0.2)
            assert server.get(SLICE)[0] == 200
            assert server.stop() == 0
        said.append(sorted(index_lines))
    assert said == [["built and saved the author index", "mapped the saved author index"],
                    ["mapped the saved author index"] * 2]
    assert file_marks(Path(demo_copy)) == marks


def test_the_arbiter_creates_a_missing_database_before_the_read_only_workers(tmp_path):
    db = tmp_path / "new" / "graph.lbdb"
    with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=str(db), COAUTHOR_EXPLORER_WORKERS="2") \
            as server:
        ready = server.get("/readyz")
        assert ready[0] == 200, ready[2]
        assert json.loads(server.get("/api/stats")[2])["papers"] == 0
        assert server.stop() == 0
    assert messages(server, "created the schema")


def test_a_load_while_two_workers_serve_becomes_visible_without_a_failed_request(
        demo_copy, tmp_path):
    with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_copy,
                  COAUTHOR_EXPLORER_WORKERS="2") as server:
        assert json.loads(server.get("/api/stats")[2])["papers"] == 5
        stop = threading.Event()
        answers: list[tuple[str, int]] = []

        def client() -> None:
            """Keep-alive requests for as long as the load and the reopening take."""
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            while not stop.is_set():
                for url in ("/api/stats", SLICE, "/api/search?q=simony", "/readyz"):
                    connection.request("GET", url)
                    response = connection.getresponse()
                    response.read()
                    answers.append((url, response.status))
            connection.close()

        clients = [threading.Thread(target=client) for _ in range(4)]
        for thread in clients:
            thread.start()
        try:
            loaded = run_command("--db", demo_copy, "load", "openalex", str(DEMO_OPENALEX_FILE))
            assert loaded.returncode == 0, loaded.stderr
            loaded_at = time.monotonic()

            def everyone_sees_it() -> bool:  # 20 new connections: both workers answer
                return all(json.loads(server.get("/api/stats")[2])["papers"] == 105
                           for _ in range(20))

            while not everyone_sees_it():
                assert time.monotonic() - loaded_at < 10, "the load is not visible"
                time.sleep(0.2)
            print(f"visible {time.monotonic() - loaded_at:.1f} s after the load ended")
        finally:
            stop.set()
            for thread in clients:
                thread.join()
        failed = [answer for answer in answers if answer[1] != 200]
        assert answers and not failed, f"{len(failed)} of {len(answers)} failed: {failed[:5]}"
        assert server.stop() == 0
    assert len({line["pid"] for line in messages(server, "reopened the database")}) == 2
    assert not [line for line in server.log_lines() if line["level"] in ("ERROR", "CRITICAL")]


def test_one_worker_keeps_the_file_open_for_reading_and_writing(demo_copy, tmp_path):
    """workers=1 is as before: the worker holds the file for writing, so a load waits for
    the server to stop (and says why)."""
    with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_copy, COAUTHOR_EXPLORER_WORKERS="1") \
            as server:
        assert server.get(SLICE)[0] == 200
        assert "data" not in json.loads(server.get("/readyz")[2])
        loaded = run_command("--db", demo_copy, "load", "openalex", str(DEMO_OPENALEX_FILE))
        assert loaded.returncode == 1 and "in use by another process" in loaded.stderr
        assert server.stop() == 0
    serving = messages(server, "serving LadybugDB")
    assert len(serving) == 1 and not serving[0]["message"].endswith("(read-only)")
