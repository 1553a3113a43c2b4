"""What went wrong with an analyst query, for people and programs: an HTTP status, a kind,
the engine's message, and where in the query (line and column) when the engine says."""

from __future__ import annotations

import re
from typing import Any

from ..store import QueryError, QueryTimeout, ReadOnlyViolation
from ..store.errors import EngineCrashed, TooExpensive
from ..store.guard import EmptyQuery, MissingParameter, RefusedQuery

# Neo4j: "(line 1, column 17 (offset: 16))"; LadybugDB: "(line: 3, offset: 1)" where the
# offset counts from the start of the line, from 0.
_NEO4J_POSITION = re.compile(r"line (\d+), column (\d+) \(offset: (\d+)\)")
_LADYBUG_POSITION = re.compile(r"\(line: (\d+), offset: (\d+)\)")
_GUARD_POSITION = re.compile(r"\bline (\d+), column (\d+)\b")

#: Kinds of problem, with the HTTP status each answers.
STATUSES = {
    "syntax": 400, "parameter": 400, "empty": 400, "resources": 400,
    "refused": 403, "read_only": 403, "timeout": 408, "engine_crashed": 500,
}


def kind_of(error: QueryError) -> str:
    """``refused`` (the console does not run it), ``read_only`` (the engine refused a
    write), ``parameter``, ``empty``, ``timeout``, ``resources``, ``engine_crashed`` or
    ``syntax`` (anything else the engine rejected)."""
    for cls, kind in ((RefusedQuery, "refused"), (ReadOnlyViolation, "read_only"),
                      (MissingParameter, "parameter"), (EmptyQuery, "empty"),
                      (QueryTimeout, "timeout"), (TooExpensive, "resources"),
                      (EngineCrashed, "engine_crashed")):
        if isinstance(error, cls):
            return kind
    return "syntax"


def position(error: QueryError, text: str) -> dict[str, int] | None:
    """Line and column (from 1) and offset (from 0) in ``text`` that the message names."""
    message = str(error)
    if match := _NEO4J_POSITION.search(message):
        line, column, offset = (int(g) for g in match.groups())
        return {"line": line, "column": column, "offset": offset}
    if match := _LADYBUG_POSITION.search(message):
        line, column = int(match[1]), int(match[2]) + 1
    elif match := _GUARD_POSITION.search(message):
        line, column = int(match[1]), int(match[2])
    else:
        return None
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return {"line": line, "column": column, "offset": -1}
    offset = sum(len(x) + 1 for x in lines[:line - 1]) + column - 1
    return {"line": line, "column": column, "offset": offset}


def problem(error: QueryError, text: str) -> dict[str, Any]:
    """The ``error`` member of an API answer for a failed query."""
    kind = kind_of(error)
    body: dict[str, Any] = {"status": STATUSES[kind], "kind": kind, "message": str(error)}
    where = position(error, text)
    if where:
        body["position"] = where
    if error.position:
        body["excerpt"] = error.position
    if isinstance(error, MissingParameter):
        body["parameters"] = error.names
    return body
