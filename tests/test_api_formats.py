"""Every page's data as JSON and CSV, pagination with next links, and one error shape for
every /api route."""

from __future__ import annotations

import csv
import io

import pytest

SIMONYAN = "name:karen simonyan"


def table(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_lists_are_one_row_per_item(client):
    hits = table(client.get("/api/search?q=simonyan&format=csv"))
    assert [h["id"] for h in hits] == [SIMONYAN]
    works = client.get(f"/api/authors/{SIMONYAN}/works").get_json()
    rows = table(client.get(f"/api/authors/{SIMONYAN}/works?format=csv"))
    assert [r["id"] for r in rows] == [w["id"] for w in works]
    assert rows[0]["authors"] == "; ".join(a["name"] for a in works[0]["authors"]), \
        "lists of named things become their names"
    stats = table(client.get("/api/stats?format=csv"))
    assert {r["what"]: int(r["total"]) for r in stats} == client.get("/api/stats").get_json()


def test_an_object_is_one_row_and_a_slice_its_nodes_or_edges(client):
    profile = client.get(f"/api/authors/{SIMONYAN}").get_json()
    [row] = table(client.get(f"/api/authors/{SIMONYAN}?format=csv"))
    assert row["name"] == "Karen Simonyan" and int(row["works"]) == profile["works"]
    assert row["collaborators"].split("; ")[:3] == [c["name"] for c in
                                                     profile["collaborators"][:3]]
    piece = client.get(f"/api/authors/{SIMONYAN}/slice?limit=10").get_json()
    nodes = table(client.get(f"/api/authors/{SIMONYAN}/slice?limit=10&format=csv"))
    edges = table(client.get(f"/api/authors/{SIMONYAN}/slice?limit=10&format=csv&part=edges"))
    assert [n["id"] for n in nodes] == [n["id"] for n in piece["nodes"]]
    assert len(edges) == len(piece["edges"]) and set(edges[0]) >= {"source", "target",
                                                                   "weight"}
    analysed = table(client.get(f"/api/authors/{SIMONYAN}/analysis?limit=10&format=csv"))
    assert {"id", "name", "community", "betweenness", "pagerank"} <= set(analysed[0])
    path = table(client.get("/api/path?from=name:jean baptiste alayrac&to=name:jack w rae"
                            "&format=csv"))
    assert [r["step"] for r in path] == ["1", "2"] and path[0]["papers"]
    years = table(client.get(f"/api/authors/{SIMONYAN}/timeline?format=csv"))
    assert {"year", "works", "new_coauthors"} <= set(years[0])
    for name in ("counts", "degree_distribution", "top_pairs", "top_authors"):
        assert table(client.get(f"/api/overview?format=csv&table={name}")), name


def test_long_lists_come_in_pages_with_a_next_link(client):
    first = client.get(f"/api/authors/{SIMONYAN}/collaborators?limit=40")
    assert len(first.get_json()) == 40
    link = first.headers["Link"]
    assert link.endswith('>; rel="next"') and "offset=40" in link and "%20" in link
    url = link[1:link.index(">")]
    second = client.get(url).get_json()
    assert len(second) == 40
    assert not {c["id"] for c in first.get_json()} & {c["id"] for c in second}
    third = client.get(client.get(url).headers["Link"].split(">")[0][1:])
    assert len(third.get_json()) == 100 - 80 and "Link" not in third.headers
    works = client.get(f"/api/authors/{SIMONYAN}/works?limit=2")
    assert works.headers["X-Total-Count"] == "5" and "offset=2" in works.headers["Link"]
    assert client.get(f"/api/authors/{SIMONYAN}/works?offset=4&limit=2").headers.get(
        "Link") is None
    assert client.get(f"/api/authors/{SIMONYAN}/works?skip=9000").get_json() == []
    hits = client.get("/api/search?q=a&limit=3").get_json()
    page_two = client.get("/api/search?q=a&limit=3&offset=3").get_json()
    assert hits and page_two and not {h["id"] for h in hits} & {h["id"] for h in page_two}


def test_no_next_link_to_a_page_past_the_largest_offset(app):
    from explorer.views.formats import next_link, page_args
    with app.test_request_context("/api/search?q=a&offset=900&limit=100"):
        offset, limit = page_args(limit=20, most=100, max_offset=1000)
        assert next_link(offset, limit, more=True)["Link"] == \
            '</api/search?q=a&offset=1000&limit=100>; rel="next"'
    with app.test_request_context("/api/search?q=a&offset=950&limit=100"):
        offset, limit = page_args(limit=20, most=100, max_offset=1000)
        assert next_link(offset, limit, more=True) == {}, "offset 1050 would answer 400"


def test_topic_and_institution_lists(tmp_path):
    from explorer.app import create_app
    from tests.conftest import fresh_store
    from tests.demo import load_demo

    with fresh_store("ladybug", tmp_path) as store:
        load_demo(store)
    app = create_app(db_path=str(tmp_path / "graph.lbdb"), neo4j_uri="")
    try:
        client = app.test_client()
        topic = client.get("/api/overview").get_json()["top_topics"][0]["id"]
        authors = client.get(f"/api/topics/{topic}/authors?limit=2")
        assert len(authors.get_json()) == 2 and 'rel="next"' in authors.headers["Link"]
        assert table(client.get(f"/api/topics/{topic}/papers?format=csv"))
        place = client.get("/api/search?q=google&kind=institutions").get_json()[0]["id"]
        people = client.get(f"/api/institutions/{place}/people").get_json()
        assert people and {"id", "name", "works"} <= set(people[0])
        assert client.get("/api/topics/openalex:Tnone/authors").status_code == 404
    finally:
        app.extensions["coauthor_store"].close()


@pytest.mark.parametrize(("method", "url", "status"), [
    ("get", "/api/nothing", 404),
    ("get", "/api/authors/name:nobody/collaborators", 404),
    ("get", "/api/search?q=a&format=xml", 400),
    ("get", "/api/search?q=a&offset=-1", 400),
    ("delete", "/api/stats", 405),
    ("post", "/api/cypher", 400),
    ("get", "/api/queries/nope", 404),
])
def test_every_error_has_the_same_shape(client, method, url, status):
    response = getattr(client, method)(url, data="{broken" if method == "post" else None,
                                       content_type="application/json")
    assert response.status_code == status
    error = response.get_json()["error"]
    assert error["status"] == status and error["message"]


def test_csv_text_that_starts_like_a_formula_is_written_as_text(tmp_path):
    """A title or a name from the data that a spreadsheet would run as a formula gets a
    leading apostrophe in every CSV (the API's, the console's, the CLI's); JSON keeps the
    text as loaded, and numbers stay numbers."""
    from click.testing import CliRunner

    from explorer.cli import cli
    from explorer.records import AuthorRef, Work
    from explorer.settings import load_config
    from explorer.store import open_store
    from explorer.writer import GraphWriter
    from tests.hostile import serving

    title, name = '=1+2+cmd|" /C calc"!A0', '@SUM(1+1)*cmd|" /C calc"!A0'
    db = tmp_path / "formulas.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        GraphWriter(store).write([Work("doi:10.0/formula", title, 2020, authors=(
            AuthorRef("name:ann jones", "Ann Jones"), AuthorRef("name:x", name)))])
    with serving(db) as client:
        works = client.get("/api/authors/name:ann jones/works").get_json()
        assert works[0]["title"] == title, "JSON is the data as loaded"
        [row] = table(client.get("/api/authors/name:ann jones/works?format=csv"))
        assert row["title"] == "'" + title and row["year"] == "2020"
        people = table(client.get("/api/authors/name:ann jones/collaborators?format=csv"))
        assert [p["name"] for p in people] == ["'" + name]
        response = client.post("/api/cypher?format=csv", json={
            "query": "MATCH (p:Paper) RETURN p.title AS `=t`, -3 AS n"})
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows == [["'=t", "n"], ["'" + title, "-3"]]
    result = CliRunner().invoke(cli, ["--db", str(db), "query", "--format", "csv",
                                      "MATCH (p:Paper) RETURN p.title AS t"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1].startswith("\"'=1+2"), result.output
