"""LadybugDB write queries take their rows as Arrow tables (``LOAD WITH HEADERS ... FROM
$rows``), typed by the query's header list: explorer.store.row_tables."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from explorer.paths import CYPHER_DIR
from explorer.queries import QueryLibrary
from explorer.store.row_tables import row_schemas, with_row_tables
from tests.conftest import fresh_store

LOADS = ("LOAD WITH HEADERS (author STRING, year INT64,\n"
         "    score DOUBLE, names STRING[]) FROM $rows")
SAMPLE = {"string": "x:1", "int64": 1, "double": 0.5}
UNWOUND_ON_LADYBUG = {"write/recount_coauthor_pairs"}
"""Faster as a list of maps (see the file)."""
_UNWIND = re.compile(r"UNWIND \$(\w+) AS (\w+)")


def test_the_header_list_types_the_table():
    schema = row_schemas(LOADS)["rows"]
    assert schema.names == ["author", "year", "score", "names"]
    assert schema.types == [pa.string(), pa.int64(), pa.float64(), pa.list_(pa.string())]

    table = with_row_tables(LOADS, {"rows": [
        {"names": ["A"], "score": 1, "year": None, "author": "a:1", "other": "left out"},
        {"names": None, "score": 0.5, "year": None, "author": "a:2"},
    ], "ids": ["x"]})
    assert table["ids"] == ["x"], "other parameters are passed as they are"
    rows = table["rows"]
    assert rows.schema == schema, "header order, and a column of nulls keeps its type"
    assert rows.to_pylist() == [
        {"author": "a:1", "year": None, "score": 1.0, "names": ["A"]},
        {"author": "a:2", "year": None, "score": 0.5, "names": None},
    ]


def test_rows_that_do_not_fit_the_header_list_are_refused():
    with pytest.raises(ValueError, match=r"\$rows have no year, score"):
        with_row_tables(LOADS, {"rows": [{"author": "a:1", "names": []}]})
    with pytest.raises(ValueError, match=r"\$rows do not fit"):
        with_row_tables(LOADS, {"rows": [{"author": "a:1", "year": "1999", "score": 1.0,
                                          "names": []}]})
    with pytest.raises(ValueError, match=r"cannot type 'when DATE'"):
        row_schemas("LOAD WITH HEADERS (id STRING, when DATE) FROM $rows RETURN id")


def _portable_fields(text: str) -> dict[str, set[str]]:
    """For each list a portable query unwinds, the fields it reads from its rows."""
    return {param: set(re.findall(rf"\b{alias}\.(\w+)", text))
            for param, alias in _UNWIND.findall(text)}


def test_every_list_of_rows_is_loaded_as_a_table_on_ladybug():
    """A portable write query that unwinds a list of maps has a LadybugDB file that loads
    the same parameters with the same columns (and a list of ids stays a list)."""
    portable, ladybug = QueryLibrary("neo4j"), QueryLibrary("ladybug")
    loaded = set()
    for name in portable.names():
        fields = {p: f for p, f in _portable_fields(portable[name].text).items() if f}
        if not fields or name in UNWOUND_ON_LADYBUG:
            continue
        assert (CYPHER_DIR / "ladybug" / f"{name}.cypher").exists(), name
        query = ladybug[name]
        schemas = row_schemas(query.text)
        assert {p: set(s.names) for p, s in schemas.items()} == fields, name
        assert [p.name for p in query.params] == [p.name for p in portable[name].params]
        loaded.add(name)
    specific = {p.relative_to(CYPHER_DIR / "ladybug").with_suffix("").as_posix()
                for p in (CYPHER_DIR / "ladybug" / "write").glob("*.cypher")}
    assert specific == loaded, "LadybugDB-only write files are those that load rows"
    assert "write/create_authorships" in loaded and "write/coauthor_edges_between" in loaded


def _plan(store, text: str, params: dict) -> list[str]:
    connection = store.engine._connection()
    plan = connection.execute("EXPLAIN " + text, with_row_tables(text, params)).get_all()
    return re.findall(r"([A-Z_]{4,})\[\d+\]", plan[0][0])


def test_loaded_rows_look_up_their_keys(tmp_path):
    """Each row's ids are found by primary-key lookup, not by joining the loaded table
    with a scan of the nodes (a `WITH` between LOAD and MATCH gave a cross product of
    every author with every author)."""
    library = QueryLibrary("ladybug")
    with fresh_store("ladybug", tmp_path) as store:
        for name in library.names():
            query = library[name]
            schemas = row_schemas(query.text)
            if not schemas:
                continue
            params = {p.name: (["x:2"] if p.type == "list" else 1) for p in query.params}
            for param, schema in schemas.items():
                params[param] = [{f.name: SAMPLE.get(str(f.type), ["x"]) for f in schema}] * 2
            operators = _plan(store, query.text, params)
            assert "CROSS_PRODUCT" not in operators, name
            if re.search(r"MATCH \(\w+:\w+ \{id: \w+\}\)", query.text):
                assert "QUERY_PRIMARY_KEY_LOOKUP" in operators, name


def test_a_write_transaction_keeps_none_of_its_row_tables(tmp_path):
    """The ladybug package caches a prepared statement, holding its Arrow table, for each
    table it is given, until the connection closes: each write transaction has its own
    connection, so a load's batches do not pile up in memory."""
    rows = [{"id": f"topic:{i}", "name": f"Topic number {i} " + "x" * 200,
             "search_key": "t"} for i in range(20_000)]
    with fresh_store("ladybug", tmp_path) as store:
        before = pa.total_allocated_bytes()
        for start in range(0, len(rows), 5_000):
            with store.transaction() as tx:
                tx.run("write/create_topics", rows=rows[start:start + 5_000])
        held = pa.total_allocated_bytes() - before
        assert held < 1_000_000, f"{held:,} bytes of Arrow tables still held"
        with store.transaction() as tx:
            stored = tx.tx.run("MATCH (t:Topic) RETURN count(t) AS n")
        assert stored == [{"n": 20_000}]


def test_only_transactions_that_gave_tables_close_their_connection(tmp_path):
    """Lookups keep the thread's connection and the statements it has prepared."""
    with fresh_store("ladybug", tmp_path) as store:
        first = store.engine._connection()
        with store.transaction() as tx:
            tx.run("write/existing_authors", ids=["name:nobody"])
        assert store.engine._connection() is first
        with store.transaction() as tx:
            tx.run("write/create_topics", rows=[{"id": "topic:1", "name": "T",
                                                 "search_key": "t"}])
        assert store.engine._connection() is not first
        assert store.query("search_topics", needle="t", limit=5)
