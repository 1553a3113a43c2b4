"""How Neo4j's answers become store errors, checked with the driver's own error objects
(built as the driver builds them from a server's failure message). The contract suite runs
the same paths against a real server when NEO4J_URI is set."""

from __future__ import annotations

import pytest
from neo4j.exceptions import Neo4jError

from explorer.console.problems import problem
from explorer.store import QueryError, QueryTimeout, ReadOnlyViolation, StoreUnavailable
from explorer.store.neo4j_engine import Neo4jEngine, _query_error, _without_explain


def server_error(code: str, message: str) -> Neo4jError:
    return Neo4jError._hydrate_neo4j(code=code, message=message)


@pytest.mark.parametrize(("code", "kind"), [
    ("Neo.ClientError.Statement.AccessMode", ReadOnlyViolation),
    ("Neo.ClientError.General.ForbiddenOnReadOnlyDatabase", ReadOnlyViolation),
    ("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", QueryTimeout),
    ("Neo.ClientError.Transaction.TransactionTimedOut", QueryTimeout),
    ("Neo.ClientError.Schema.ConstraintValidationFailed", QueryError),
    ("Neo.ClientError.Transaction.TransactionMarkedAsFailed", QueryError),  # not a timeout
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


def test_an_unreachable_server_is_a_one_line_message():
    with pytest.raises(StoreUnavailable, match=r"cannot reach Neo4j at bolt://127\.0\.0\.1:1 "):
        Neo4jEngine("bolt://127.0.0.1:1", "neo4j", "secret")


def test_a_malformed_uri_is_a_one_line_message():
    with pytest.raises(StoreUnavailable, match="is not usable"):
        Neo4jEngine("http://127.0.0.1:7474", "neo4j", "secret")
