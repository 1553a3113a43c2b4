"""The console API (/api/cypher) and its one code path with `coauthor-explorer query`:
answers, graphs, limits, errors with positions, downloads, and the embedded engine's worker
processes (fresh data, a crash, a query that ignores its time limit)."""

from __future__ import annotations

import time

import orjson
import pytest
from click.testing import CliRunner

from explorer.cli import cli
from explorer.console.values import result_graph
from explorer.records import AuthorRef, Work
from explorer.store.errors import QueryError
from explorer.store.guard import RefusedQuery
from explorer.store.ladybug_console import ConsolePool
from explorer.writer import GraphWriter

SIMONYAN = "name:karen simonyan"
PAIRS = "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) RETURN a, e, b LIMIT 5"


def post(client, **body):
    return client.post("/api/cypher", json=body)


def test_an_answer_has_rows_limits_and_the_graph_in_it(client):
    body = post(client, query=PAIRS).get_json()
    assert body["columns"] == ["a", "e", "b"] and body["row_count"] == len(body["rows"]) == 5
    assert body["rows"][0]["a"]["_type"] == "node" and body["rows"][0]["e"]["_label"] == \
        "COAUTHORED_WITH"
    assert (body["truncated"], body["timed_out"], body["notices"]) == (False, False, [])
    assert body["limits"] == {"timeout_ms": 5000, "max_rows": 1000}
    graph = body["graph"]
    ids = {n["id"] for n in graph["nodes"]}
    assert len(graph["edges"]) == 5 and all(e["source"] in ids and e["target"] in ids
                                            for e in graph["edges"])
    names = {row[end]["name"] for row in body["rows"] for end in ("a", "b")}
    assert {n["caption"] for n in graph["nodes"]} == names
    assert all(e["type"] == "COAUTHORED_WITH" and "weight" in e["properties"]
               for e in graph["edges"])


def test_parameters_from_json_a_form_or_the_query_string(client):
    text = "MATCH (a:Author {id: $id}) RETURN a.name AS name, $n + 1 AS next"
    expected = [{"name": "Karen Simonyan", "next": 42}]
    assert post(client, query=text, params={"id": SIMONYAN, "n": 41}).get_json()["rows"] == \
        expected
    form = client.post("/api/cypher", data={"query": text,
                                            "params": orjson.dumps({"id": SIMONYAN, "n": 41})})
    assert form.get_json()["rows"] == expected
    got = client.get("/api/cypher", query_string={
        "query": text, "params": orjson.dumps({"id": SIMONYAN, "n": 41}).decode()})
    assert got.get_json()["rows"] == expected
    missing = post(client, query=text, params={"n": 1})
    assert missing.status_code == 400
    error = missing.get_json()["error"]
    assert error["kind"] == "parameter" and error["parameters"] == ["id"]
    assert "$id" in error["message"]
    for bad, words in (({"query": ""}, "give the Cypher"),
                       ({"query": text, "params": "[1]"}, "params must be a JSON object"),
                       ({"query": text, "params": "{oops"}, "params is not valid JSON"),
                       ({"query": text, "max_rows": 0}, "max_rows must be a positive")):
        response = client.post("/api/cypher", data=bad)
        assert response.status_code == 400 and words in response.get_json()["error"]["message"]


def test_engine_errors_come_back_with_message_and_position(client):
    response = post(client, query="MATCH (a:Author)\n  WHERE a.id = 'x'\n RETRN a")
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["kind"] == "syntax"
    assert error["position"] == {"line": 3, "column": 2, "offset": 37}
    assert "RETRN" in error["excerpt"] and "Invalid input" in error["message"]
    unknown = post(client, query="MATCH (a:Author) RETURN a.nope").get_json()["error"]
    assert "nope" in unknown["message"]
    refused = post(client, query="MATCH (a)\nLOAD FROM 'x' RETURN *").get_json()["error"]
    assert refused["kind"] == "refused" and refused["position"]["line"] == 2


def test_the_row_cap_and_a_lower_limit_say_so(client):
    response = post(client, query="MATCH (a:Author) RETURN a.id AS id", max_rows=3)
    body = response.get_json()
    assert body["row_count"] == 3 and body["truncated"] and body["limits"]["max_rows"] == 3
    assert body["notices"] == ["stopped at 3 rows (the row cap); lower the rows you ask for, "
                               "or aggregate"]
    assert response.headers["X-Result-Truncated"] == "true"
    more = post(client, query="MATCH (a:Author) RETURN a.id AS id", max_rows=10**6).get_json()
    assert more["limits"]["max_rows"] == 1000 and more["row_count"] == 101


def test_downloads_are_attachments_from_the_server(client):
    text = "MATCH (a:Author) RETURN a.id AS id, a.name_variants AS names ORDER BY id LIMIT 2"
    response = client.get("/api/cypher", query_string={"query": text, "format": "csv"})
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="query.csv"'
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "id,names" and len(lines) == 3 and lines[1].startswith("name:")
    assert '["' in lines[1], "lists are JSON in a cell"
    as_json = client.post("/api/cypher", data={"query": text, "format": "json",
                                               "download": "1"})
    assert as_json.headers["Content-Disposition"] == 'attachment; filename="query.json"'
    assert len(orjson.loads(as_json.data)["rows"]) == 2
    for said in ("1", True):  # in a JSON body too
        from_json = client.post("/api/cypher", json={"query": text, "download": said})
        assert from_json.headers["Content-Disposition"] == 'attachment; filename="query.json"'
    assert "Content-Disposition" not in client.post("/api/cypher", json={"query": text}).headers


def test_infinite_and_nan_floats_in_csv_and_json(client):
    text = "RETURN 1e308 * 10 AS big, -1e308 * 10 AS small, 0.0 / 0.0 AS nan, null AS nothing"
    lines = client.get("/api/cypher", query_string={"query": text, "format": "csv"}) \
        .get_data(as_text=True).splitlines()
    assert lines == ["big,small,nan,nothing", "Infinity,-Infinity,NaN,"]
    assert client.post("/api/cypher", json={"query": text}).get_json()["rows"] == [
        {"big": None, "small": None, "nan": None, "nothing": None}], "JSON has no such numbers"


def test_parameters_outside_64_bits_are_named(client):
    for params in ({"x": 10**30}, {"x": [1, {"y": -(2**63) - 1}]}):
        response = client.post("/api/cypher", json={"query": "RETURN $x AS x", "params": params})
        assert response.status_code == 400
        assert response.get_json()["error"]["message"].startswith("parameter x holds ")
    assert client.post("/api/cypher", json={"query": "RETURN $x AS x",
                                            "params": {"x": 2**63 - 1}}).status_code == 200


def test_a_crash_of_the_engine_is_an_error_and_the_server_carries_on(client):
    """LadybugDB 0.22 kills its process on this query: only the worker dies."""
    response = post(client, query=open_query("author_works"),
                    params={"id": SIMONYAN, "skip": 9000, "limit": 50})
    error = response.get_json()["error"]
    assert response.status_code == 500 and error["kind"] == "engine_crashed"
    assert "SIGSEGV" in error["message"] and "server is unharmed" in error["message"]
    assert post(client, query="RETURN 1 AS one").get_json()["rows"] == [{"one": 1}]


def open_query(name: str) -> str:
    from explorer.queries import QueryLibrary

    return QueryLibrary("ladybug")[name].text


def test_console_queries_see_data_written_since_they_started(store):
    """Workers reopen the file when it changes (LadybugDB); Neo4j reads the server."""
    count = "MATCH (a:Author) RETURN count(a) AS n"
    assert store.cypher(count).rows == [[0]]
    GraphWriter(store).write([Work("doi:1", "A", 2000, authors=(AuthorRef("name:a", "A"),))])
    assert store.cypher(count).rows == [[1]]
    GraphWriter(store).write([Work("doi:2", "B", 2001, authors=(AuthorRef("name:b", "B"),))])
    assert store.cypher(count).rows == [[2]]


def test_results_become_graphs_on_both_engines(demo_store):
    result = demo_store.cypher("MATCH p = (a:Author {id: $id})-[:COAUTHORED_WITH]-(b:Author) "
                               "RETURN p LIMIT 3", {"id": SIMONYAN})
    graph = result_graph(result.rows)
    assert len(graph["edges"]) == 3 and len(graph["nodes"]) == 4
    assert SIMONYAN in {n["properties"].get("id") for n in graph["nodes"]}
    lone = result_graph(demo_store.cypher("MATCH ()-[e:COAUTHORED_WITH]->() RETURN e LIMIT 1")
                        .rows)
    assert len(lone["edges"]) == 1 and all(n.get("placeholder") for n in lone["nodes"])


def test_syntax_errors_have_positions_on_both_engines(demo_store):
    from explorer.console.problems import problem

    text = "MATCH (a:Author)\nRETRN a"
    with pytest.raises(QueryError) as caught:
        demo_store.cypher(text)
    body = problem(caught.value, text)
    assert body["kind"] == "syntax" and body["position"]["line"] == 2
    assert body["position"]["offset"] == text.index("RETRN")
    text = "MATCH (a:Author RETURN a"  # on the first line, where Neo4j counts "EXPLAIN " too
    with pytest.raises(QueryError) as caught:
        demo_store.cypher(text)
    where = problem(caught.value, text)["position"]
    assert where["line"] == 1 and where["offset"] == where["column"] - 1 == text.index("RETURN")


def test_the_worker_checks_the_plan_even_without_the_guard(tmp_path, demo_store):
    """A LOAD FROM that reached LadybugDB would show as READ_CSV in its plan: refused, and
    the file's content never comes back."""
    if demo_store.engine_name != "ladybug":
        pytest.skip("LadybugDB's worker processes")
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b\n1,top secret\n", encoding="utf-8")
    pool = ConsolePool(demo_store.engine.path, workers=1)
    try:
        with pytest.raises(RefusedQuery, match="READ_CSV") as caught:
            pool.run(f"LOAD FROM '{secret}' RETURN *", {}, timeout_ms=2000, max_rows=10)
        assert "top secret" not in str(caught.value)
        with pytest.raises(QueryError, match="read-only"):
            pool.run("CREATE (:Author {id: 'x'})", {}, timeout_ms=2000, max_rows=10)
        assert pool.run("MATCH (a:Author) RETURN count(a)", {}, timeout_ms=2000,
                        max_rows=10).rows == [[101]]
    finally:
        pool.close()


def test_a_query_that_ignores_its_time_limit_is_killed(demo_store):
    """LadybugDB evaluates range() without looking at the clock: the worker is killed at
    the time limit plus the grace period, and the next query gets a new one."""
    if demo_store.engine_name != "ladybug":
        pytest.skip("LadybugDB's worker processes")
    pool = ConsolePool(demo_store.engine.path, workers=1, memory_mb=4096)
    try:
        started = time.perf_counter()
        result = pool.run("UNWIND range(1, 60000000) AS x RETURN x", {}, timeout_ms=300,
                          max_rows=5)
        elapsed = time.perf_counter() - started
        assert result.timed_out and elapsed < 0.3 + 1.5 + 1.5
        assert pool.run("RETURN 2 AS two", {}, timeout_ms=2000, max_rows=5).rows == [[2]]
    finally:
        pool.close()


# -- the same code path from the command line ------------------------------------------------


@pytest.fixture
def cli_db(app):
    return app.config["EXPLORER"].db_path


def run_cli(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), *args], env={"NEO4J_URI": ""})


def test_query_runs_stored_queries_and_says_what_cut_it(cli_db):
    stored = run_cli(cli_db, "query", "--stored", "author_profile", "-p", f"id={SIMONYAN}",
                     "--format", "json")
    assert stored.exit_code == 0, stored.output
    answer = orjson.loads(stored.output)
    assert answer["name"] == "author_profile" and answer["rows"][0]["works"] == 5
    missing = run_cli(cli_db, "query", "--stored", "author_profile")
    assert missing.exit_code == 1 and "missing parameter id" in missing.output
    unknown = run_cli(cli_db, "query", "--stored", "nope")
    assert unknown.exit_code == 1 and "no stored query is named 'nope'" in unknown.output
    slow = run_cli(cli_db, "query", "UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y "
                   "UNWIND range(1, 3000) AS z WITH x + y + z AS s WHERE s % 7 = 1 "
                   "RETURN count(*)", "--timeout-ms", "200")
    assert slow.exit_code == 1 and "stopped at the time limit of 200 ms" in slow.output
    refused = run_cli(cli_db, "query", "LOAD FROM '/etc/passwd' RETURN *")
    assert refused.exit_code == 1 and "LOAD at line 1" in refused.output
    assert "Traceback" not in refused.output and "root:" not in refused.output


def test_queries_lists_the_stored_queries(cli_db):
    listing = run_cli(cli_db, "queries")
    assert listing.exit_code == 0
    assert "author_profile  id:string" in listing.output
    assert not any(line.startswith("write/") for line in listing.output.splitlines())
    as_json = orjson.loads(run_cli(cli_db, "queries", "--format", "json").output)
    assert {"name": "id", "type": "string", "description": "author id", "required": True,
            "default": None} in next(q for q in as_json if q["name"] == "author_profile")[
                "params"]
