"""Data that is text but not plain: control characters, escape sequences, a right-to-left
override left open, an "ORCID" that is a path and a "ROR" that is another site. Each stays
data wherever it is shown: the XML exports stay well-formed, the terminal is not driven,
the page keeps every name in its own direction, and links go where they say."""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import orjson
import pytest
from click.testing import CliRunner
from lxml import html

from explorer.app import create_app
from explorer.cli import cli
from explorer.loading import load_paths
from explorer.settings import load_config
from explorer.store import open_store

BELL = "Ctrl\x07Bell \x01Person"
ESCAPES = "\x1b[2J\x1b]0;PWNED\x07\x1b[31mFake Admin\x1b[0m"
OVERRIDE = "Eve \u202e Mallory"
PLAIN = "Dan Jones"
TRAVELLER = "Trav Ersal"


def authorship(number: int, name: str, **author: str) -> dict:
    return {"author": {"id": f"https://openalex.org/A{number}", "display_name": name, **author},
            "institutions": [{"id": f"https://openalex.org/I{number}", "display_name": "Lab",
                              "ror": "https://evil.example/x"}]}


WORK = {
    "id": "https://openalex.org/W9200", "title": "Odd names", "publication_year": 2022,
    "authorships": [
        authorship(1, BELL), authorship(2, ESCAPES), authorship(3, OVERRIDE),
        authorship(4, PLAIN),
        authorship(5, TRAVELLER, orcid="https://orcid.org/../../../overview"),
    ],
}


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("odd")
    source = folder / "odd.jsonl"
    source.write_bytes(orjson.dumps(WORK) + b"\n")
    db = folder / "graph.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        load_paths(store, "openalex", [source], progress=False)
    return db


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"NEO4J_URI": ""})


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_control_characters_keep_the_xml_exports_well_formed(odd_db, tmp_path, fmt, read):
    target = tmp_path / f"odd.{fmt}"
    result = run(odd_db, "export", "author", "openalex:A4", "--format", fmt, "-o", str(target))
    assert result.exit_code == 0, result.output
    labels = {data["label"] for _, data in read(target).nodes(data=True)}
    assert "Ctrl\ufffdBell \ufffdPerson" in labels  # XML 1.0 has no BEL or SOH
    assert "\ufffd[2J\ufffd]0;PWNED\ufffd\ufffd[31mFake Admin\ufffd[0m" in labels
    assert {PLAIN, OVERRIDE} <= labels, "text XML allows is kept as it is"
    app = create_app(db_path=str(odd_db), neo4j_uri="")
    download = app.test_client().get(f"/export/author/openalex:A4?format={fmt}")
    app.extensions["coauthor_store"].close()
    assert download.status_code == 200
    assert len(read(io.BytesIO(download.data))) == 5


def test_the_terminal_is_shown_escape_sequences_not_driven_by_them(odd_db):
    result = run(odd_db, "query", "MATCH (a:Author) RETURN a.name AS name ORDER BY name")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "\\x1b[2J\\x1b]0;PWNED\\x07\\x1b[31mFake Admin\\x1b[0m" in result.output
    assert "Ctrl\\x07Bell \\x01Person" in result.output
    analysed = run(odd_db, "analyze", "author", "openalex:A4")
    assert analysed.exit_code == 0, analysed.output
    assert "\x1b" not in analysed.output and "\\x1b[31mFake Admin" in analysed.output
    as_json = run(odd_db, "query", "MATCH (a:Author {id: 'openalex:A2'}) RETURN a.name AS n",
                  "--format", "json")
    assert orjson.loads(as_json.output)["rows"] == [{"n": ESCAPES}], "JSON keeps it exact"


def test_identifiers_that_are_not_what_they_claim_are_not_used(odd_db):
    app = create_app(db_path=str(odd_db), neo4j_uri="")
    client = app.test_client()
    try:
        paper = html.fromstring(client.get("/papers/openalex:W9200").data)
        links = {a.text_content(): a.get("href") for a in paper.iter("a")}
        # not an ORCID iD: the person is known by the OpenAlex id, and no link leaves
        # the profile's path
        assert links[TRAVELLER] == "/authors/openalex:A5"
        assert client.get(links[TRAVELLER]).status_code == 200
        institution = html.fromstring(client.get("/institutions/openalex:I1").data)
        assert "ROR" not in [a.text_content() for a in institution.iter("a")]
    finally:
        app.extensions["coauthor_store"].close()


def test_links_to_ids_with_slashes_stay_in_one_path_segment(tmp_path):
    app = create_app(db_path=str(tmp_path / "empty.lbdb"), neo4j_uri="")
    with app.test_request_context():
        from flask import url_for

        assert url_for("pages.author", author_id="orcid:../../../overview") == \
            "/authors/orcid:..%2F..%2F..%2Foverview"
        assert url_for("pages.paper", paper_id="doi:10.1/x y") == "/papers/doi:10.1%2Fx%20y"
    app.extensions["coauthor_store"].close()


def test_names_keep_their_own_direction_on_the_page(odd_db):
    app = create_app(db_path=str(odd_db), neo4j_uri="")
    try:
        page = app.test_client().get("/authors/openalex:A4").get_data(as_text=True)
        css = app.test_client().get("/static/explorer.css").get_data(as_text=True)
    finally:
        app.extensions["coauthor_store"].close()
    byline = html.fromstring(page).find_class("byline")[0]
    names = [a for a in byline.iter("a")]
    assert OVERRIDE in [a.text_content() for a in names], "each name is a link of its own"
    assert "a, bdi { unicode-bidi: isolate; }" in css


def test_a_rejected_record_is_reported_without_its_escape_sequences(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_bytes(orjson.dumps({"DOI": "10.1/\u001b]0;PWNED\u0007x", "title": []}) + b"\n")
    result = run(tmp_path / "g.lbdb", "load", "crossref", str(source), "--rejects",
                 str(tmp_path / "rejects.txt"))
    assert "\x1b" not in result.output and "\\x1b]0;pwned\\x07x" in result.output, \
        result.output
    assert "\x1b]0;pwned\x07x" in (tmp_path / "rejects.txt").read_text(), \
        "the rejects file keeps the record's text exact"
