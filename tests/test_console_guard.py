"""The console's guard: what it refuses, what it lets through (every stored query of the app,
on both dialects), and the lexical corners where a keyword could hide."""

from __future__ import annotations

import pytest

from explorer.queries import ENGINES, QueryLibrary
from explorer.store.guard import (
    EmptyQuery,
    RefusedQuery,
    check_console_query,
    parameter_names,
    tokens,
)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_stored_query_of_the_app_passes(engine):
    for query in QueryLibrary(engine).read_queries():
        check_console_query(query.text, engine)


@pytest.mark.parametrize("text", [
    "MATCH (a:Author) RETURN a.name AS load",  # an alias: refused, the hint says backticks
    "MATCH (n) RETURN n.x; ",
])
def test_refusals_name_the_word_and_where(text):
    if text.endswith("; "):
        assert check_console_query(text, "ladybug") == "MATCH (n) RETURN n.x"
        return
    with pytest.raises(RefusedQuery, match=r"LOAD at line 1, column 35: .*backticks"):
        check_console_query(text, "neo4j")


NEO4J_ONLY = ("CALL db.labels() YIELD label RETURN label", "SHOW INDEXES YIELD name RETURN name",
              "SHOW RANGE INDEXES")
LADYBUG_ONLY = ("CALL show_tables() RETURN *",)


@pytest.mark.parametrize("text", [
    "MATCH (a:Author) RETURN a.name AS `load`",
    "MATCH (a:Author) WHERE a.name CONTAINS 'LOAD CSV FROM' RETURN a.name",
    'MATCH (a:Author) WHERE a.name = "copy \\" EXPORT" RETURN a // load from comment',
    "MATCH (a:Author) /* USE system; CALL dbms.x() */ RETURN a.use, a.copy",
    "MATCH (n:`LOAD`)-[r:LOAD]->(m) RETURN n, r, m",
    "MATCH (a:Author) RETURN $load, $`copy me`",
    "CALL db.labels() YIELD label RETURN label",
    "CALL show_tables() RETURN *",
    "SHOW INDEXES YIELD name RETURN name",
    "SHOW RANGE INDEXES",
    "RETURN date.truncate('month', date()) AS d, apoc.text.join(['a'], ',') AS t",
    "MATCH p = (a:Author)-[:COAUTHORED_WITH* SHORTEST 1..8]-(b:Author) RETURN p",
    "CALL { MATCH (a:Author) RETURN a } RETURN count(a)",
])
def test_reads_pass(text):
    for engine in ENGINES:
        if text not in (NEO4J_ONLY if engine == "ladybug" else LADYBUG_ONLY):
            check_console_query(text, engine)


@pytest.mark.parametrize(("text", "words"), [
    ("MATCH (a) RETURN a\nLOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
     "LOAD at line 2, column 1"),
    ("RETURN 'it\\'s' AS x LOAD FROM '/etc/passwd' RETURN *", "LOAD"),
    ("RETURN \"a\\\\\" AS x COPY A TO '/tmp/x'", "COPY"),
    ("RETURN 1 // x\u2028LOAD FROM 'f' RETURN *", "LOAD"),
    ("RETURN 1 // x\x85LOAD FROM 'f' RETURN *", "LOAD"),
    ("RETURN 1 /* a */ LOAD FROM 'f' RETURN * /* b */", "LOAD"),
    ("RETURN a²LOAD FROM 'f'", "LOAD"),
    ("RETURN 1 AS x\u00a0LOAD\u00a0FROM 'f'", "LOAD"),
    ("CALL `db`.`labels`() YIELD label CALL apoc.export.csv.all('x', {}) YIELD file RETURN 1",
     "CALL (db.labels|apoc.export.csv.all) at"),
    ("CALL dbms.components() YIELD name CALL dbms.killQuery('x') RETURN 1",
     "CALL dbms.(components|killquery) at"),
    ("RETURN `apoc`.cypher.run('MATCH (n) RETURN n', {})", "apoc.cypher.run"),
    ("RETURN gds.util.asNode(1)", "gds.util.asnode"),
    ("CALL timeout=1000", "CALL timeout"),
    ("RETURN 1; RETURN 2", "one statement at a time"),
    ("MATCH (a) RETURN a /* never closed", "never closed"),
    ("MATCH (a) WHERE a.name = 'never closed RETURN a", "never closed"),
    ("CYPHER runtime=slotted MATCH (n) RETURN n", "CYPHER"),
    ("PROFILE MATCH (n) RETURN n", "PROFILE"),
    ("SHOW SETTINGS", "SHOW"),
    ("SHOW ALL USERS", "SHOW"),
])
def test_hostile_text_is_refused(text, words):
    for engine in ENGINES:
        with pytest.raises(RefusedQuery, match=words):
            check_console_query(text, engine)


def test_empty_queries_and_parameters():
    for text in ("", "   ", "// only a comment", "/* nothing */"):
        with pytest.raises(EmptyQuery):
            check_console_query(text, "ladybug")
    assert parameter_names("MATCH (a {id: $id}) WHERE a.x IN $`my list` OR a.id = $id "
                           "RETURN '$not' // $nor") == ["id", "my list"]


def test_strings_comments_and_names_are_blanked_in_the_code():
    found, code = tokens("RETURN 'LOAD' AS `COPY`, 1 // USE\n/* ATTACH */ + 2")
    assert [t.kind for t in found] == ["word", "string", "word", "name", "symbol", "number",
                                       "symbol", "number"]
    assert "LOAD" not in code and "COPY" not in code and "USE" not in code
    assert "ATTACH" not in code and len(code) == len(
        "RETURN 'LOAD' AS `COPY`, 1 // USE\n/* ATTACH */ + 2")
