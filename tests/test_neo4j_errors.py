"""How Neo4j's answers become store errors, checked with the driver's own error objects
(built as the driver builds them from a server's failure message). The contract suite runs
the same paths against a real server when NEO4J_URI is set."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from neo4j.exceptions import Neo4jError

from explorer.console.problems import problem
from explorer.settings import load_config
from explorer.store import (
    GraphStore,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreUnavailable,
    open_store,
)
from explorer.store.errors import TransientFailure
from explorer.store.neo4j_engine import Neo4jEngine, _query_error, _without_explain
from explorer.views.health import missing_schema
from tests.conftest import NEO4J_SKIP, fresh_store


def server_error(code: str, message: str) -> Neo4jError:
    return Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(("code", "kind"), [
    ("Neo.ClientError.Statement.AccessMode", ReadOnlyViolation),
    ("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase", ReadOnlyViolation),
    ("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", QueryTimeout),
    ("Neo.ClientError.Transaction.TransactionTimedOut", QueryTimeout),
    ("Neo.ClientError.Schema.ConstraintValidationFailed", QueryError),
    ("Neo.ClientError.Transaction.TransactionMarkedAsFailed", QueryError),  # not a timeout
    ("Neo.TransientError.Transaction.DeadlockDetected", TransientFailure),  # run again
    # stopped on purpose (terminated): the driver says not to run it again
    ("Neo.TransientError.Transaction.LockClientStopped", QueryError),
])
def test_server_errors_map_to_store_errors(code, kind):
    error = _query_error(server_error(code, "the server's words"))
    assert type(error) is kind


def test_syntax_errors_keep_message_and_position():
    error = _query_error(server_error(
        "Neo.ClientError.Statement.SyntaxError",
        "Invalid input 'RETURN': expected a graph pattern (line 1, column 17 (offset: 16))\n"
        "\"MATCH (a:Author RETURN a\"\n                 ^"))
    assert "line 1, column 17" in str(error)
    assert error.position and error.position.endswith("^")


def explained(message: str) -> QueryError:
    """A syntax error as the console's EXPLAIN step receives it."""
    return _without_explain(_query_error(server_error("Neo.ClientError.Statement.SyntaxError",
                                                      message)))


def test_console_errors_are_placed_in_the_query_not_in_its_explain_prefix():
    """The console asks for the plan of ``EXPLAIN <query>``: Neo4j's position and excerpt
    count the prefix, the analyst's editor must not."""
    text = "MATCH (a:Author RETURN a"
    error = explained("Invalid input 'RETURN': expected a graph pattern "
                      "(line 1, column 25 (offset: 24))\n"
                      "\"EXPLAIN MATCH (a:Author RETURN a\"\n" + " " * 25 + "^")
    assert problem(error, text)["position"] == {"line": 1, "column": 17, "offset": 16}
    assert error.position == "\"MATCH (a:Author RETURN a\"\n" + " " * 17 + "^"
    text = "MATCH (a:Author)\nRETRN a"
    error = explained("Invalid input 'RETRN' (line 2, column 1 (offset: 25))\n\"RETRN a\"\n ^")
    assert problem(error, text)["position"] == {"line": 2, "column": 1,
                                                "offset": text.index("RETRN")}
    assert error.position == "\"RETRN a\"\n ^", "another line's excerpt is unchanged"


class ScriptedSession:
    """A driver session whose statements first fail as scripted, then run."""

    def __init__(self, failures: dict[str, list[Neo4jError]]) -> None:
        self.failures, self.ran = failures, []

    def __enter__(self) -> ScriptedSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, statement: str) -> SimpleNamespace:
        self.ran.append(statement)
        if self.failures.get(statement):
            raise self.failures[statement].pop(0)
        return SimpleNamespace(consume=lambda: None)


def schema_applied(failures: dict[str, list[Neo4jError]]) -> list[str]:
    """The statements a Neo4j engine ran to apply a two-statement schema."""
    engine = object.__new__(Neo4jEngine)
    engine.uri, engine.database, engine.bookmarks = "bolt://test", "neo4j", None
    session = ScriptedSession(failures)
    engine.driver = SimpleNamespace(session=lambda database, bookmark_manager: session)
    engine.apply_schema(["CREATE CONSTRAINT a", "CREATE INDEX b"])
    return session.ran


def test_schema_made_meanwhile_by_another_worker_is_there():
    """Two gunicorn workers on a new database create the schema at once: IF NOT EXISTS
    then fails with EquivalentSchemaRuleAlreadyExists, and a deadlock is tried again."""
    same = server_error("Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists", "exists")
    deadlock = server_error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock")
    assert schema_applied({"CREATE CONSTRAINT a": [same], "CREATE INDEX b": [deadlock]}) == [
        "CREATE CONSTRAINT a", "CREATE INDEX b", "CREATE INDEX b"]
    with pytest.raises(QueryError, match="deadlock"):
        schema_applied({"CREATE INDEX b": [deadlock] * 3})
    with pytest.raises(QueryError, match="bad"):
        schema_applied({"CREATE CONSTRAINT a": [
            server_error("Neo.ClientError.Statement.SyntaxError", "bad")]})


def test_an_unreachable_server_is_a_one_line_message():
    with pytest.raises(StoreUnavailable, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1 "):
        Neo4jEngine("bolt://127.0.0.1:1", "neo4j", "secret")


def test_a_malformed_uri_is_a_one_line_message():
    with pytest.raises(StoreUnavailable, match="is not usable"):
        Neo4jEngine("http://127.0.0.1:7474", "neo4j", "secret")


def test_workers_making_a_new_databases_schema_at_once_both_succeed(tmp_path):
    """The race itself, on a real server: two stores (two workers) make the schema at once."""
    if not os.environ.get("NEO4J_URI"):
        pytest.skip(NEO4J_SKIP)
    with fresh_store("neo4j", tmp_path) as store:
        read = store.engine.read
        store.engine.apply_schema([f"DROP CONSTRAINT `{name}`" for name, in read(
            "SHOW CONSTRAINTS YIELD name RETURN name", {}).rows])
        store.engine.apply_schema([f"DROP INDEX `{name}`" for name, in read(
            "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name", {}).rows])
        assert missing_schema(store)
    stores = [open_store(load_config({})) for _ in range(2)]
    start = threading.Barrier(2)

    def make(store: GraphStore) -> None:
        start.wait()
        store.init_schema()

    try:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(make, stores))
        assert missing_schema(stores[0]) == []
    finally:
        for store in stores:
            store.close()


def test_readers_need_not_make_what_only_writers_use():
    """An app whose Neo4j user may only read opens a database made before the WriteLock
    constraint: readiness does not ask for it (the next load makes it)."""
    from explorer.queries import QueryLibrary
    from explorer.store.schema_check import _SCHEMA_OBJECT, WRITERS_ONLY

    names = {m[1] for s in QueryLibrary("neo4j")["schema"].statements()
             if (m := _SCHEMA_OBJECT.match(s))}
    assert WRITERS_ONLY and names >= WRITERS_ONLY
