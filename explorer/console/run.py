"""One code path for every analyst query: what was asked (:class:`ConsoleRequest`), running it
on the store, and what came back (:class:`ConsoleAnswer`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from ..errors import InvalidParameter
from ..store import GraphStore, Result
from .values import result_graph

#: Longest query text accepted, in characters.
MAX_QUERY_CHARS = 100_000


@dataclass(frozen=True)
class ConsoleRequest:
    """A query, its parameter values, and optionally a lower time limit or row cap."""

    query: str
    params: dict[str, Any] = field(default_factory=dict)
    timeout_ms: int | None = None
    max_rows: int | None = None
    name: str | None = None  # the stored query it comes from, if any

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ConsoleRequest:
        """From a JSON body or a form: ``query``, ``params`` (an object, or its JSON text),
        ``timeout_ms`` and ``max_rows``; InvalidParameter naming what is wrong."""
        query = data.get("query")
        if not isinstance(query, str) or not query.strip():
            raise InvalidParameter('give the Cypher to run as "query"')
        if len(query) > MAX_QUERY_CHARS:
            raise InvalidParameter(f"query is longer than {MAX_QUERY_CHARS:,} characters")
        return cls(query, params_value(data.get("params")),
                   limit_value(data, "timeout_ms"), limit_value(data, "max_rows"))


def params_value(raw: Any) -> dict[str, Any]:
    """Parameters as an object, from an object or its JSON text; InvalidParameter else."""
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InvalidParameter(f"params is not valid JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise InvalidParameter('params must be a JSON object such as {"name": "Ada"}')
    for name, value in raw.items():
        check_integers(str(name), value)
    return raw


INT64 = (-(1 << 63), (1 << 63) - 1)
"""The whole numbers both engines store (64-bit signed)."""


def check_integers(name: str, value: Any) -> None:
    """InvalidParameter naming the parameter when a whole number in it (or in its lists
    and maps) is outside 64 bits: the engines cannot take it."""
    if isinstance(value, int) and not isinstance(value, bool) \
            and not INT64[0] <= value <= INT64[1]:
        raise InvalidParameter(f"parameter {name} holds {value}, outside the whole numbers "
                               f"the database takes ({INT64[0]:,} to {INT64[1]:,})")
    if isinstance(value, list):
        for item in value:
            check_integers(name, item)
    elif isinstance(value, dict):
        for item in value.values():
            check_integers(name, item)


def limit_value(data: Mapping[str, Any], name: str) -> int | None:
    """A positive whole number, or None when absent; InvalidParameter else."""
    raw = data.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise InvalidParameter(f"{name} must be a positive whole number")
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be a positive whole number, not {raw!r}") \
            from None
    if value < 1:
        raise InvalidParameter(f"{name} must be a positive whole number")
    return value


@dataclass(frozen=True)
class ConsoleAnswer:
    """A result with the limits it ran under."""

    request: ConsoleRequest
    result: Result
    timeout_ms: int
    max_rows: int
    engine: str

    def notices(self) -> list[str]:
        """What cut the result short, in words."""
        said = []
        if self.result.truncated:
            said.append(f"stopped at {self.max_rows:,} rows (the row cap); lower the rows "
                        "you ask for, or aggregate")
        if self.result.timed_out:
            kept = (f"; the {len(self.result.rows):,} rows shown arrived before"
                    if self.result.rows else "")
            said.append(f"stopped at the time limit of {self.timeout_ms:,} ms{kept}")
        return said

    def payload(self, *, graph: bool = True) -> dict[str, Any]:
        """The JSON answer: columns, rows as objects, limits, what cut it, and the nodes
        and relationships in it as a graph."""
        body: dict[str, Any] = {}
        if self.request.name:
            body["name"] = self.request.name
        body.update({
            "query": self.request.query, "params": self.request.params,
            "columns": self.result.columns, "rows": self.result.records(),
            "row_count": len(self.result.rows), "truncated": self.result.truncated,
            "timed_out": self.result.timed_out, "notices": self.notices(),
            "limits": {"timeout_ms": self.timeout_ms, "max_rows": self.max_rows},
            "elapsed_ms": round(self.result.elapsed_ms, 1), "engine": self.engine,
        })
        if graph:
            body["graph"] = result_graph(self.result.rows)
        return body


def run_console(store: GraphStore, request: ConsoleRequest) -> ConsoleAnswer:
    """Run the request read-only within its limits (the store refuses what it must)."""
    timeout, cap = store.console_limits(request.timeout_ms, request.max_rows)
    result = store.cypher(request.query, request.params, timeout_ms=timeout, max_rows=cap)
    return ConsoleAnswer(request, result, timeout, cap, store.engine_name)
