"""The analytics JSON API and its GraphML/GEXF exports, through the Flask app on the demo
data: answers agree with the functions behind them, errors are 400/404 with a message, and
names stay text in the exports."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from explorer.app import create_app
from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter

SIMONYAN = "name:karen simonyan"
HOSTILE = '<script>alert("x")</script> & Eve \u2018O\u2019Brien'


def test_analysis_answer(client):
    answer = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=40&min_size=2&top=3"
                        "&resolution=1.5&seed=3").get_json()
    assert answer["centre"] == SIMONYAN and len(answer["nodes"]) == 40
    assert answer["options"] | {"limit": 40, "min_size": 2, "top": 3, "resolution": 1.5,
                                "seed": 3} == answer["options"]
    assert set(answer["attributes"]) == {n["id"] for n in answer["nodes"]}
    assert set(answer["attributes"][SIMONYAN]) == {
        "community", "degree", "weighted_degree", "betweenness", "pagerank",
        "participation", "avg_year", "first_year"}
    assert answer["attributes"][SIMONYAN]["degree"] == 39
    members = [m for c in answer["communities"] for m in c["members"]]
    assert sorted(members + answer["unclustered"]) == sorted(answer["attributes"])
    assert all(len(c["top_members"]) <= 3 for c in answer["communities"])
    assert answer["summary"]["nodes"] == 40 and answer["summary"]["betweenness"] == "exact"
    assert answer["summary"]["years"] == {"first": 2021, "last": 2022}
    low, high = answer["summary"]["ranges"]["pagerank"]
    assert low <= answer["attributes"][SIMONYAN]["pagerank"] <= high
    again = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=40&min_size=2&top=3"
                       "&resolution=1.5&seed=3").get_json()
    assert again == answer


def test_group_slices_are_analysed_too(client):
    """A paper's slice: its authors and their links; the centre is no person, so every
    author may be a broker."""
    paper = client.get("/api/search?q=gopher&kind=papers").get_json()[0]["id"]
    answer = client.get(f"/api/papers/{paper}/analysis?limit=30").get_json()
    assert answer["kind"] == "paper" and answer["centre"] == paper
    assert set(answer["attributes"]) == {n["id"] for n in answer["nodes"]}
    assert paper not in answer["attributes"] and len(answer["nodes"]) == 30
    assert sum(c["size"] for c in answer["communities"]) + len(answer["unclustered"]) == 30
    assert client.get("/api/papers/doi:nothing/analysis").status_code == 404
    assert client.get("/api/topics/topic:nothing/analysis").status_code == 404
    assert client.get(f"/api/papers/{paper}/analysis?format=graphml").status_code == 200


def test_timeline_and_overview(client):
    timeline = client.get(f"/api/authors/{SIMONYAN}/timeline").get_json()
    assert timeline["years"] == [2021, 2022] and timeline["works"] == [1, 4]
    assert timeline["totals"] == {"works": 5, "coauthors": 100, "topics": 0}
    assert sum(timeline["new_coauthors"]) == 100
    view = client.get("/api/overview?top=3").get_json()
    assert view["counts"]["authors"] == 101 and len(view["top_pairs"]) == 3
    assert view["components"]["largest"] == 101
    assert view["top_pairs"][0]["weight"] == 5
    assert client.get("/api/overview?top=3&refresh=1").get_json() == view


def test_bad_parameters_are_400_with_a_message(client):
    for url, words in (
        (f"/api/authors/{SIMONYAN}/analysis?resolution=abc", "resolution must be a number"),
        (f"/api/authors/{SIMONYAN}/analysis?resolution=nan", "resolution must be a finite"),
        (f"/api/authors/{SIMONYAN}/analysis?resolution=0", "resolution must be greater"),
        (f"/api/authors/{SIMONYAN}/analysis?min_size=0", "min_size must be between 1 and"),
        (f"/api/authors/{SIMONYAN}/analysis?seed=-1", "seed must be between"),
        (f"/api/authors/{SIMONYAN}/analysis?depth=3", "depth must be between 1 and 2"),
        (f"/api/authors/{SIMONYAN}/analysis?format=xls", "must be one of json, csv, graphml"),
        (f"/api/authors/{SIMONYAN}/timeline?topics=51", "topics must be between 1 and 50"),
        ("/api/overview?top=0", "top must be between 1 and 100"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert words in response.get_json()["error"]["message"], url


def test_unknown_authors_are_404(client):
    for url in ("/api/authors/name:nobody/analysis", "/api/authors/name:nobody/timeline",
                "/api/authors/name:nobody/analysis?format=gexf"):
        response = client.get(url)
        assert response.status_code == 404 and "name:nobody" in \
            response.get_json()["error"]["message"]


def test_exports_carry_the_measures(client):
    answer = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=30").get_json()
    graphml = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=30&format=graphml")
    assert graphml.mimetype == "application/graphml+xml"
    assert 'filename="name-karen-simonyan.graphml"' in graphml.headers["Content-Disposition"]
    gexf = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=30&format=gexf")
    for graph in (nx.read_graphml(io.BytesIO(graphml.data)),
                  nx.read_gexf(io.BytesIO(gexf.data))):
        assert set(graph) == set(answer["attributes"])
        assert graph.number_of_edges() == len(answer["edges"])
        for node, attributes in answer["attributes"].items():
            data = graph.nodes[node]
            assert data["label"] == next(n["name"] for n in answer["nodes"]
                                         if n["id"] == node)
            for name, value in attributes.items():
                if value is None:
                    assert name not in data
                else:
                    assert data[name] == pytest.approx(value), name
        edge = answer["edges"][0]
        assert graph.edges[edge["source"], edge["target"]]["weight"] == edge["weight"]


def test_exports_keep_hostile_names_as_text(tmp_path):
    from explorer.settings import load_config
    from explorer.store import open_store

    db = tmp_path / "hostile.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as s:
        s.init_schema()
        GraphWriter(s).write([Work("doi:10.0/h", "Hostile", 2020, authors=(
            AuthorRef("name:a", "Ann Author"), AuthorRef("name:eve", HOSTILE),
            AuthorRef("name:b", "Bo Author")))])
    app = create_app(db_path=str(db), neo4j_uri="")
    try:
        client = app.test_client()
        for fmt in ("graphml", "gexf"):
            document = client.get(f"/api/authors/name:a/analysis?format={fmt}").data
            assert b"<script>" not in document
            ET.fromstring(document)  # well-formed
            graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(
                io.BytesIO(document))
            assert graph.nodes["name:eve"]["label"] == HOSTILE
    finally:
        app.extensions["coauthor_store"].close()


def test_every_key_of_the_answers_is_documented(client):
    """docs/analytics.md explains every key the analytics endpoints answer with."""
    docs = (Path(__file__).resolve().parent.parent / "docs" / "analytics.md").read_text(
        encoding="utf-8")
    analysis = client.get(f"/api/authors/{SIMONYAN}/analysis").get_json()
    timeline = client.get(f"/api/authors/{SIMONYAN}/timeline").get_json()
    view = client.get("/api/overview").get_json()
    keys = {*analysis, *analysis["attributes"][SIMONYAN], *analysis["communities"][0],
            *analysis["summary"], *analysis["summary"]["ranges"], *analysis["brokers"][0],
            *timeline, *timeline["totals"], *view, *view["degree_distribution"],
            *view["components"], *view["top_pairs"][0]}
    missing = sorted(k for k in keys if f'"{k}"' not in docs)
    assert not missing, f"docs/analytics.md must describe {missing}"
