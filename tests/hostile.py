"""A work whose author, institution, topic and title are HTML (and one author whose id is),
for the tests that names stay text in widgets, snippets and exports. The name is the one
tests/test_browser.py writes; any script it runs sets ``window.__pwned``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask.testing import FlaskClient

from explorer.app import create_app
from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work
from explorer.settings import load_config
from explorer.store import open_store
from explorer.writer import GraphWriter
from tests.demo import load_demo

HOSTILE = '<img src=x onerror="window.__pwned=1">Eve <script>window.__pwned=2</script>'
EVE = "name:eve hostile"
HOSTILE_ID = "openalex:A1\"><svg onload='window.__pwned=3'>&amp;"
"""An author id that would break out of a quoted HTML attribute if pasted unescaped."""
PAPER = "doi:10.0/hostile"
TOPIC = "openalex:Thostile"
INSTITUTION = "ror:hostile"
KAREN = "name:karen simonyan"
LAB = "https://lab.example.org"  # a site an operator lets embed the explorer


def hostile_works() -> list[Work]:
    """Eve (hostile name, institution and topic) writes with Karen Simonyan of the demo data
    and with the author whose id is hostile."""
    return [Work(PAPER, f"A paper called {HOSTILE}", 2023, authors=(
        AuthorRef(KAREN, "Karen Simonyan"),
        AuthorRef(EVE, HOSTILE, institutions=(InstitutionRef(INSTITUTION, HOSTILE),)),
        AuthorRef(HOSTILE_ID, "Ida Quote")),
        topics=(TopicRef(TOPIC, HOSTILE),))]


def hostile_demo(path: Path) -> Path:
    """A LadybugDB file with everything `coauthor-explorer demo` loads and the hostile work."""
    with open_store(load_config({"db_path": str(path), "neo4j_uri": ""}, environ={})) as s:
        s.init_schema()
        load_demo(s)
        GraphWriter(s).write(hostile_works())
    return path


@contextmanager
def serving(db: Path, **settings: str) -> Iterator[FlaskClient]:
    """A test client of the app on ``db`` with these settings (its store closed after)."""
    app = create_app(db_path=str(db), neo4j_uri="", **settings)
    app.config["TESTING"] = True
    try:
        yield app.test_client()
    finally:
        app.extensions["coauthor_store"].close()
