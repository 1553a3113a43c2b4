"""Probes, 503s while the database is away, recovery without a restart, request logs and the
production settings, through the app itself (tests/test_production.py runs gunicorn)."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.app import create_app
from explorer.settings import SettingError, load_config
from explorer.store import open_store
from explorer.views.health import missing_schema

LOCK_HOLDER = """
import sys, ladybug
database = ladybug.Database(sys.argv[1])
print("holding", flush=True)
sys.stdin.read()
database.close()
"""


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts TCP connections and never says a word: a hung server."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)
        yield server.getsockname()[1]


def timed_get(client, url: str):
    started = time.perf_counter()
    response = client.get(url)
    return response, time.perf_counter() - started


def test_healthz_answers_without_a_database_and_readyz_says_why():
    app = create_app(neo4j_uri=f"bolt://127.0.0.1:{closed_port()}", neo4j_password="x")
    client = app.test_client()
    health = client.get("/healthz")
    assert (health.status_code, health.get_json()) == (200, {"status": "ok"})
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.headers["Cache-Control"] == "no-store"
    assert ready.get_json()["status"] == "unavailable"
    assert "cannot reach Neo4j at bolt://127.0.0.1:" in ready.get_json()["reason"]


def test_ready_on_the_demo_data_and_not_ready_without_a_table(app):
    client = app.test_client()
    answer = client.get("/readyz").get_json()
    assert answer.pop("author_index") in ("building", "ready")  # ready either way
    assert answer == {"status": "ready", "engine": "ladybug"}
    store = app.extensions["coauthor_store"].get()
    store.accelerator.index(wait=True)
    assert client.get("/readyz").get_json()["author_index"] == "ready"
    assert missing_schema(store) == []
    with store.transaction() as tx:
        tx.tx.run("DROP TABLE HAS_TOPIC")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.get_json() == {"status": "schema missing", "missing": ["HAS_TOPIC"],
                                "reason": "create it with `coauthor-explorer init`"}


def test_a_user_who_may_not_list_the_schema_is_still_served(tmp_path, monkeypatch):
    """A Neo4j role without SHOW INDEX (docs/console.md) cannot list the schema: pages are
    served all the same, and /readyz says it could not check."""
    from explorer.store import QueryError
    from explorer.views import health

    def refused(store):
        raise QueryError("Permission denied: SHOW INDEXES is not allowed for this user")

    db = str(tmp_path / "graph.lbdb")
    with open_store(load_config({"db_path": db, "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()  # as the loaders leave it
    monkeypatch.setattr(health, "missing_schema", refused)
    app = create_app(db_path=db, neo4j_uri="")
    client = app.test_client()
    assert client.get("/api/search?q=a").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json()["status"] == "unchecked"
    assert "SHOW INDEXES is not allowed" in ready.get_json()["reason"]


def unavailable_reasons(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "explorer.unavailable"]


def test_a_hung_neo4j_is_a_503_within_the_connect_timeout(silent_server, caplog):
    app = create_app(neo4j_uri=f"bolt://127.0.0.1:{silent_server}", neo4j_password="x",
                     neo4j_connect_timeout="1")
    client = app.test_client()
    for url in ("/api/stats", "/", "/api/authors/name:karen simonyan"):
        response, seconds = timed_get(client, url)
        assert response.status_code == 503 and seconds < 2.5, (url, seconds)
        assert response.headers["Retry-After"]
        assert "the database is unavailable just now" in response.text
        assert str(silent_server) not in response.text, "no address for the visitors"
    reasons = unavailable_reasons(caplog)
    assert len(reasons) == 3 and all("cannot reach Neo4j" in r for r in reasons), \
        "the reason is in the server log"


def test_a_locked_database_is_a_503_and_the_app_recovers_when_it_is_freed(app, tmp_path,
                                                                           caplog):
    """Another process holds the LadybugDB file (a running load, say): pages and API answer
    503 saying so, and once it lets go the same app answers, without a restart."""
    db = app.config["EXPLORER"].db_path
    app.extensions["coauthor_store"].close()
    fresh = create_app(app.config["EXPLORER"])
    client = fresh.test_client()
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, db], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        for url in ("/api/stats", "/", "/readyz"):
            response, seconds = timed_get(client, url)
            assert response.status_code == 503 and seconds < 2, (url, seconds)
            assert ("in use by another process" in response.text) == (url == "/readyz"), \
                "the reason in the probe for the operator, in the log for the rest"
        assert all("in use by another process" in r for r in unavailable_reasons(caplog))
    finally:
        holder.communicate("", timeout=30)
    deadline = time.monotonic() + 10
    while (response := client.get("/api/stats")).status_code == 503:
        assert time.monotonic() < deadline, "the app did not recover"
        time.sleep(0.2)
    assert response.status_code == 200 and response.get_json()["papers"] == 5
    assert client.get("/readyz").status_code == 200
    fresh.extensions["coauthor_store"].close()


def test_every_request_is_logged_once_with_its_id(client, caplog):
    caplog.set_level(logging.DEBUG, logger="explorer.request")
    answered = client.get("/api/search?q=simony", headers={"X-Request-ID": "edge-42"})
    client.get("/api/authors/name:nobody", headers={"X-Request-ID": "bad id; forged=1"})
    client.get("/healthz")
    assert answered.headers["X-Request-ID"] == "edge-42"
    records = [r for r in caplog.records if r.name == "explorer.request"]
    assert [(r.method, r.path, r.status, r.levelno) for r in records] == [
        ("GET", "/api/search", 200, logging.INFO),
        ("GET", "/api/authors/name:nobody", 404, logging.INFO),
        ("GET", "/healthz", 200, logging.DEBUG),
    ]
    assert records[0].request_id == "edge-42" and records[0].query == "q=simony"
    assert records[0].bytes > 0 and records[0].duration_ms >= 0
    assert len(records[1].request_id) == 32 and " " not in records[1].request_id


@pytest.mark.parametrize(("env", "words"), [
    ({"COAUTHOR_EXPLORER_THREADS": "0"}, "setting threads .* must be a positive whole number"),
    ({"COAUTHOR_EXPLORER_WORKERS": "two"}, "setting workers .* must be a positive whole number"),
    ({"COAUTHOR_EXPLORER_BIND": "8000"}, "setting bind .* use HOST:PORT"),
    ({"COAUTHOR_EXPLORER_BIND": "localhost:99999"}, "setting bind"),
    ({"COAUTHOR_EXPLORER_LOG_FORMAT": "xml"}, "setting log_format .* one of json, text"),
    ({"NEO4J_CONNECT_TIMEOUT": "soon"}, "setting neo4j_connect_timeout .* number of seconds"),
    ({"NEO4J_CONNECT_TIMEOUT": "0"}, "setting neo4j_connect_timeout .* more than 0"),
    ({"NEO4J_AUTH_FILE": "/nonexistent/auth"}, "neo4j_auth_file .* cannot be read"),
])
def test_bad_production_settings_name_themselves(env, words):
    with pytest.raises(SettingError, match=words):
        load_config(environ=env)


def test_production_settings_parse():
    config = load_config(environ={"COAUTHOR_EXPLORER_BIND": "[::1]:8080",
                                  "COAUTHOR_EXPLORER_WORKERS": "3",
                                  "COAUTHOR_EXPLORER_LOG_FORMAT": "TEXT",
                                  "NEO4J_CONNECT_TIMEOUT": "0.5"})
    assert (config.bind, config.workers, config.threads) == ("[::1]:8080", 3, 8)
    assert (config.log_format, config.neo4j_connect_timeout) == ("text", 0.5)
    assert load_config(environ={"COAUTHOR_EXPLORER_BIND": "unix:/run/x.sock"}).bind \
        == "unix:/run/x.sock"


def test_the_neo4j_auth_file_gives_user_and_password(tmp_path: Path):
    secret = tmp_path / "neo4j_auth"
    secret.write_text("reader/pa/ss word\n", encoding="utf-8")
    config = load_config(environ={"NEO4J_AUTH_FILE": str(secret)})
    assert (config.neo4j_user, config.neo4j_password) == ("reader", "pa/ss word")
    explicit = load_config({"neo4j_password": "given"}, environ={"NEO4J_AUTH_FILE": str(secret)})
    assert (explicit.neo4j_user, explicit.neo4j_password) == ("reader", "given")
    with pytest.raises(SettingError, match="NEO4J_PASSWORD is set too"):
        load_config(environ={"NEO4J_AUTH_FILE": str(secret), "NEO4J_PASSWORD": "other"})
    secret.write_text("no separator", encoding="utf-8")
    with pytest.raises(SettingError, match="must hold one line `user/password`"):
        load_config(environ={"NEO4J_AUTH_FILE": str(secret)})


def test_closing_the_store_frees_its_file_for_another_process(app):
    """LadybugDB keeps its file locked while any connection is open: close() closes every
    thread's connection, so a stopped worker or a finished command lets a load in."""
    from concurrent.futures import ThreadPoolExecutor

    holder = app.extensions["coauthor_store"]
    store = holder.get()
    with ThreadPoolExecutor(4) as pool:  # connections on several threads
        list(pool.map(lambda _: store.query("graph_stats"), range(8)))
    holder.close()
    opened = subprocess.run(
        [sys.executable, "-c", "import sys, ladybug; ladybug.Database(sys.argv[1]).close()",
         app.config["EXPLORER"].db_path], capture_output=True, text=True, timeout=60)
    assert opened.returncode == 0, opened.stderr


def test_a_failed_neo4j_open_closes_its_driver(monkeypatch):
    """The app retries a failed open every second while Neo4j is away: no attempt may leave
    a driver (and its connection pool) behind."""
    from neo4j import GraphDatabase

    from explorer.store import StoreUnavailable
    from explorer.store.neo4j_engine import Neo4jEngine

    drivers = []
    real_driver = GraphDatabase.driver

    def recorded_driver(*args, **kwargs):
        drivers.append(real_driver(*args, **kwargs))
        return drivers[-1]

    monkeypatch.setattr(GraphDatabase, "driver", recorded_driver)
    for _ in range(3):
        with pytest.raises(StoreUnavailable):
            Neo4jEngine(f"bolt://127.0.0.1:{closed_port()}", "neo4j", "secret")
    assert len(drivers) == 3 and all(driver._closed for driver in drivers)


def test_a_worker_whose_database_cannot_be_prepared_still_starts(app, caplog, monkeypatch):
    """gunicorn's post_worker_init hook: a store error other than an unreachable database
    (a schema another worker is making) is logged, and the worker serves."""
    from types import SimpleNamespace

    from explorer import wsgi
    from explorer.store import QueryError

    def refused():
        raise QueryError("an equivalent index already exists")

    monkeypatch.setattr(app.extensions["coauthor_store"], "get", refused)
    with caplog.at_level(logging.WARNING):
        wsgi._open_store_early(SimpleNamespace(wsgi=app))
    assert "could not be prepared: an equivalent index already exists" in caplog.text
