"""Fixtures: a store on each engine (Neo4j only when NEO4J_URI is set), the demo data,
the Flask app, its client and its CLI runner, and headless Chromium for browser tests."""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pytest
from flask import Flask
from werkzeug.serving import make_server

from explorer.app import create_app
from explorer.cli import DEMO_FILE
from explorer.loading import load_paths
from explorer.settings import load_config
from explorer.store import GraphStore, index_files, open_store
from explorer.store.file_marks import database_files
from tests.demo import load_demo
from tests.hostile import LAB, hostile_demo, serving

ENGINES = ["ladybug", "neo4j"]
NEO4J_SKIP = "set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j 5 server to run the Neo4j contract"


def engine_config(engine: str, tmp_path: Path, **overrides):
    if engine == "neo4j":
        if not os.environ.get("NEO4J_URI"):
            pytest.skip(NEO4J_SKIP)
        return load_config(overrides)
    return load_config({"db_path": str(tmp_path / "graph.lbdb"), "neo4j_uri": "", **overrides},
                       environ={})


def fresh_store(engine: str, tmp_path: Path, **overrides) -> GraphStore:
    store = open_store(engine_config(engine, tmp_path, **overrides))
    if engine == "neo4j":  # a shared server: start each test from an empty graph
        with store.transaction() as tx:
            tx.tx.run("MATCH (n) DETACH DELETE n")
    store.init_schema()
    return store


def settle(db: Path) -> Path:
    """Date the database's files an hour back, as a file written long ago (one written in
    the last SETTLE_SECONDS has marks a later state could share: nothing is saved for it)."""
    back = time.time() - 3600
    for file in database_files(db):
        if file.exists():
            os.utime(file, (back, back))
    return db


def hold_the_lock(db: Path) -> IO[str]:
    """The lock of the database's saved author index (explorer.store.index_files), held as
    by a build in another process until the returned file is closed."""
    folder = index_files.index_dir(db)
    folder.mkdir(exist_ok=True)
    held = (folder / index_files.LOCK).open("a")
    fcntl.flock(held, fcntl.LOCK_EX)
    return held


@contextmanager
def live_server(app: Flask) -> Iterator[str]:
    """The app over HTTP on a free loopback port (werkzeug, threaded), for a real browser;
    its store closed afterwards."""
    http = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{http.server_port}"
    finally:
        http.shutdown()
        app.extensions["coauthor_store"].close()


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def store(engine: str, tmp_path: Path) -> Iterator[GraphStore]:
    with fresh_store(engine, tmp_path) as s:
        yield s


@pytest.fixture
def demo_store(engine: str, tmp_path: Path) -> Iterator[GraphStore]:
    """The bundled demo data, loaded for each test: on Neo4j every test shares one database,
    which the ``store`` fixture empties, so nothing may outlive a test."""
    with fresh_store(engine, tmp_path) as s:
        load_paths(s, "bibtex", [DEMO_FILE], progress=False)
        yield s


@pytest.fixture
def full_demo_store(engine: str, tmp_path: Path) -> Iterator[GraphStore]:
    """Everything `coauthor-explorer demo` loads: seed 003's papers and 100 OpenAlex works
    with topics and institutions."""
    with fresh_store(engine, tmp_path) as s:
        load_demo(s)
        yield s


@pytest.fixture
def app(tmp_path: Path):
    db = tmp_path / "app.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as s:
        s.init_schema()
        load_paths(s, "bibtex", [DEMO_FILE], progress=False)
    application = create_app(db_path=str(db), neo4j_uri="")
    application.config["TESTING"] = True
    yield application
    application.extensions["coauthor_store"].close()


@pytest.fixture
def client(app):
    return app.test_client()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
NO_BROWSER = "needs Debian's chromium and chromium-driver (.ci/run installs them)"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Chromium through Selenium, shared by a module's browser tests."""
    if not (CHROMIUM and CHROMEDRIVER):  # CI installs them: there, missing is a failure
        (pytest.fail if os.environ.get("CI") else pytest.skip)(NO_BROWSER)
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LadybugDB file with the demo data and the hostile work (tests/hostile.py), one per
    test module."""
    return hostile_demo(tmp_path_factory.mktemp("hostile") / "graph.lbdb")


@pytest.fixture(scope="module")
def lab(hostile_db: Path) -> Iterator:
    """The app on ``hostile_db`` allowing one lab site and every subdomain of a
    department's to embed it."""
    with serving(hostile_db, embed_origins=f"{LAB}, https://*.dept.example.edu") as client:
        yield client


@pytest.fixture(scope="module")
def closed(hostile_db: Path) -> Iterator:
    """The app on ``hostile_db`` as installed: no other site may embed it."""
    with serving(hostile_db) as client:
        yield client


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A LadybugDB file holding the bundled BibTeX demo, one per test module (for servers
    started as processes)."""
    db = tmp_path_factory.mktemp("demo") / "demo.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        load_paths(store, "bibtex", [DEMO_FILE], progress=False)
    return str(db)
