"""Stored queries: every read query of cypher/ with its description and a form, runnable at
a stable URL as JSON and CSV, typed parameters with clear 400s, and the operator's own from
a directory (setting stored_queries_dir)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from markupsafe import escape

from explorer.app import create_app
from explorer.queries import QueryLibrary
from explorer.settings import SettingError

SIMONYAN = "name:karen simonyan"
HOSTILE = '<img src=x onerror="window.__pwned=1">'


def test_every_read_query_is_listed_with_its_description_and_parameters(client):
    listed = {q["name"]: q for q in client.get("/api/queries").get_json()}
    library = QueryLibrary("ladybug")
    assert set(listed) == {q.name for q in library.read_queries()}
    works = listed["author_works"]
    assert works["description"] == library["author_works"].description and \
        works["origin"] == "app"
    assert [p["name"] for p in works["params"]] == ["id", "skip", "limit"]
    csv = client.get("/api/queries?format=csv").get_data(as_text=True).splitlines()
    assert csv[0] == "name,description,origin,params"
    page = client.get("/queries").get_data(as_text=True)
    assert all(f'href="/queries/{name}"' in page for name in listed)


def test_a_stored_query_runs_from_its_stable_url_in_json_and_csv(client):
    body = client.get(f"/api/queries/author_profile?id={SIMONYAN}").get_json()
    assert body["name"] == "author_profile" and body["rows"][0]["name"] == "Karen Simonyan"
    assert body["params"] == {"id": SIMONYAN}
    for url in (f"/api/queries/author_profile.csv?id={SIMONYAN}",
                f"/api/queries/author_profile?id={SIMONYAN}&format=csv"):
        response = client.get(url)
        assert response.mimetype == "text/csv", url
        assert response.headers["Content-Disposition"] == \
            'attachment; filename="author_profile.csv"'
        lines = response.get_data(as_text=True).splitlines()
        assert lines[0].startswith("id,name,") and lines[1].startswith(SIMONYAN)
    as_json = client.get(f"/api/queries/author_profile.json?id={SIMONYAN}").get_json()
    assert as_json["rows"] == body["rows"]


def test_parameters_are_typed_and_bad_or_missing_ones_are_named(client):
    works = client.get(f"/api/queries/author_works?id={SIMONYAN}&skip=0&limit=2").get_json()
    assert works["params"] == {"id": SIMONYAN, "skip": 0, "limit": 2}
    assert works["row_count"] == 2
    ids = ["name:arthur mensch", "name:oriol vinyals"]
    for query_string in ([("ids", i) for i in ids], [("ids", orjson.dumps(ids).decode())]):
        edges = client.get("/api/queries/slice_edges", query_string=[
            ("id", SIMONYAN), ("min_weight", "1"), ("year_from", "0"), ("year_to", "9999"),
            *query_string])
        assert edges.status_code == 200, edges.get_json()
        assert edges.get_json()["params"]["ids"] == ids
        assert {r["target"] for r in edges.get_json()["rows"]} <= set(ids)
    for url, words in (
        ("/api/queries/author_profile", "missing parameter id (string: author id)"),
        (f"/api/queries/author_works?id={SIMONYAN}&skip=0&limit=ten",
         "parameter limit must be a whole number (64-bit), not 'ten'"),
        (f"/api/queries/author_works?id={SIMONYAN}&skip=0&limit=99999999999999999999",
         "parameter limit must be a whole number (64-bit), not '99999999999999999999'"),
        (f"/api/queries/author_works?id={SIMONYAN}&skip=-1&limit=2",
         "parameter skip must be 0 or more"),
        ("/api/queries/slice_edges?id=x&min_weight=1&year_from=0&year_to=9999"
         "&ids=[18446744073709551615]", "parameter ids holds 18446744073709551615, outside"),
        (f"/api/queries/author_works?id={SIMONYAN}&skip=0", "missing parameter limit"),
        (f"/api/queries/author_profile.csv?id={SIMONYAN}&format=json", "disagree"),
        (f"/api/queries/author_profile?id={SIMONYAN}&max_rows=0", "max_rows must be"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert words in response.get_json()["error"]["message"], url
    unknown = client.get("/api/queries/no_such_query")
    assert unknown.status_code == 404
    assert "no stored query is named 'no_such_query'" in unknown.get_json()["error"]["message"]
    assert client.get("/queries/no_such_query").status_code == 404


def test_a_stored_query_page_shows_its_form_description_and_text(client):
    page = client.get("/queries/author_works").get_data(as_text=True)
    library = QueryLibrary("ladybug")["author_works"]
    assert escape(library.description) in page
    assert 'name="id"' in page and 'name="skip"' in page and 'data-type="integer"' in page
    assert escape("MATCH (a:Author {id: $id})") in page
    assert 'href="/api/queries/author_works?format=csv"' in page


def write_query(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.cypher"
    path.write_text(text, encoding="utf-8")
    return path


def operator_app(tmp_path: Path, app_db: str, folder: Path):
    application = create_app(db_path=app_db, neo4j_uri="", stored_queries_dir=str(folder))
    application.config["TESTING"] = True
    return application


def test_operators_add_stored_queries_from_a_directory(app, tmp_path):
    folder = tmp_path / "mine"
    (folder / "ladybug").mkdir(parents=True)
    write_query(folder, "busiest_authors",
                f"// The busiest authors {HOSTILE}, most works first.\n"
                "// @param n: integer = 3  how many\n"
                "MATCH (a:Author) RETURN a.name AS name, a.paper_count AS works\n"
                "ORDER BY works DESC, name LIMIT $n\n")
    write_query(folder / "ladybug", "tables", "// Tables of the embedded database.\n"
                "CALL show_tables() RETURN name ORDER BY name\n")
    application = operator_app(tmp_path, app.config["EXPLORER"].db_path, folder)
    try:
        client = application.test_client()
        listed = {q["name"]: q for q in client.get("/api/queries").get_json()}
        assert listed["busiest_authors"]["origin"] == "operator"
        assert listed["busiest_authors"]["params"][0] == {
            "name": "n", "type": "integer", "description": "how many", "required": False,
            "default": "3"}
        assert "tables" in listed and "author_profile" in listed
        default = client.get("/api/queries/busiest_authors").get_json()
        assert default["params"] == {"n": 3} and default["row_count"] == 3
        assert client.get("/api/queries/busiest_authors?n=5").get_json()["row_count"] == 5
        page = client.get("/queries/busiest_authors").get_data(as_text=True)
        assert HOSTILE not in page and "&lt;img src=x" in page
        assert "this site's" in client.get("/queries").get_data(as_text=True)
    finally:
        application.extensions["coauthor_store"].close()


@pytest.mark.parametrize(("name", "text", "words"), [
    ("author_profile", "// Mine.\nRETURN 1 AS one\n", "like one of the app's queries"),
    ("undeclared", "// Uses a parameter it does not declare.\nRETURN $x AS x\n",
     "do not match the parameters used"),
    ("reserved", "// Takes format.\n// @param format: string  a format\nRETURN $format\n",
     "a name the API keeps for itself"),
])
def test_a_bad_operator_query_stops_the_app_with_its_file_named(app, tmp_path, name, text,
                                                                 words):
    folder = tmp_path / "mine"
    folder.mkdir()
    write_query(folder, name, text)
    with pytest.raises(SettingError, match=words) as caught:
        operator_app(tmp_path, app.config["EXPLORER"].db_path, folder)
    assert "stored_queries_dir" in str(caught.value) and name in str(caught.value)
    with pytest.raises(SettingError, match="is not a directory"):
        operator_app(tmp_path, app.config["EXPLORER"].db_path, tmp_path / "missing")
