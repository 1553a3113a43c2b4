"""Answers in JSON or CSV (``?format=csv``), tables made from the API's objects, and
pagination (``offset``/``limit`` with a ``Link: <…>; rel="next"`` header).

How an answer becomes a table is documented in docs/api.md: a list is one row per item; one
object (a profile, a paper) is one row; lists inside a row become the names of their items
joined by "; " (or JSON when they have no names); a slice is its ``nodes`` or, with
``part=edges``, its ``edges``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote, urlencode

from flask import Response, g, request

from ..console.values import csv_text, json_bytes
from ..errors import InvalidParameter

Table = tuple[list[str], list[list[Any]]]


def requested_format(*others: str) -> str:
    """``json`` (default), ``csv``, or one of ``others``; a 400 for anything else."""
    fmt = request.args.get("format", "json").lower() or "json"
    allowed = ("json", "csv", *others)
    if fmt not in allowed:
        raise InvalidParameter(f"format must be one of {', '.join(allowed)}")
    return fmt


def _name_of(item: Any) -> str | None:
    if isinstance(item, Mapping):
        for key in ("name", "title", "id"):
            if isinstance(item.get(key), str):
                return item[key]
    return None


def flat(value: Any) -> Any:
    """A value for one CSV cell: lists of named things as their names joined by "; ", a
    named object as its name, scalars as they are (other values become JSON)."""
    if isinstance(value, list) and value and all(_name_of(v) is not None for v in value):
        return "; ".join(_name_of(v) or "" for v in value)
    if isinstance(value, Mapping) and _name_of(value) is not None:
        return _name_of(value)
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        return "; ".join(str(v) for v in value)
    return value


def records_table(records: Iterable[Mapping[str, Any]]) -> Table:
    """Rows of flattened values; the columns are every key, in order of first appearance."""
    items = list(records)
    columns: list[str] = []
    for item in items:
        columns.extend(k for k in item if k not in columns)
    return columns, [[flat(item.get(c)) for c in columns] for item in items]


def object_table(data: Mapping[str, Any]) -> Table:
    """One object as a single flattened row."""
    return records_table([data])


def slice_table(piece: Mapping[str, Any]) -> Table:
    """A graph slice's people (``part=nodes``, with their measures when analysed) or its
    links (``part=edges``)."""
    part = request.args.get("part", "nodes")
    if part == "edges":
        return records_table(piece.get("edges", []))
    if part != "nodes":
        raise InvalidParameter("part must be nodes or edges")
    measures = piece.get("attributes") or {}
    return records_table({**node, **measures.get(node.get("id"), {})}
                         for node in piece.get("nodes", []))


def attachment(filename: str, extension: str) -> str:
    """A Content-Disposition header value with a file name made safe (ASCII letters, digits,
    ``-``, ``_`` and ``.`` only)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in filename)
    return f'attachment; filename="{safe.strip("-.") or "data"}.{extension}"'


def csv_response(table: Table, filename: str, *,
                 headers: Mapping[str, str] | None = None) -> Response:
    columns, rows = table
    return Response(csv_text(columns, rows), mimetype="text/csv", headers={
        "Content-Disposition": attachment(filename, "csv"), **(headers or {})})


def json_response(payload: Any, *, status: int = 200,
                  headers: Mapping[str, str] | None = None) -> Response:
    """JSON written by orjson: dates as ISO 8601, large integers and odd values as text."""
    return Response(json_bytes(payload), status=status, mimetype="application/json",
                    headers=dict(headers or {}))


def answer(data: Any, table: Callable[[Any], Table] | None = None, filename: str = "data",
           *, headers: Mapping[str, str] | None = None) -> Response:
    """``data`` as JSON, or as CSV (``?format=csv``) through ``table`` (a list of objects
    becomes one row each, an object one row, by default)."""
    if requested_format() == "csv":
        if table is None:
            table = records_table if isinstance(data, list) else object_table
        return csv_response(table(data), filename, headers=headers)
    return json_response(data, headers=headers)


# -- pagination -------------------------------------------------------------------------------


def page_args(*, limit: int, most: int, max_offset: int = 10_000,
              offset_aliases: tuple[str, ...] = ()) -> tuple[int, int]:
    """``offset`` (or an older name for it) and ``limit`` from the query string."""
    from .api import int_arg

    offset = 0
    for name in ("offset", *offset_aliases):
        if request.args.get(name):
            offset = int_arg(name, 0, low=0, high=max_offset)
            break
    g.max_offset = max_offset  # no next link past it
    return offset, int_arg("limit", limit, low=1, high=most)


def next_link(offset: int, limit: int, more: bool) -> dict[str, str]:
    """The ``Link`` header to the next page (RFC 8288) when there is one that the route
    serves (its offset at most the route's largest)."""
    if not more or offset + limit > g.get("max_offset", offset + limit):
        return {}
    args = [(k, v) for k, v in request.args.items(multi=True)
            if k not in ("offset", "skip", "limit")]
    args += [("offset", str(offset + limit)), ("limit", str(limit))]
    return {"Link": f'<{quote(request.path, safe="/:@")}?{urlencode(args)}>; rel="next"'}


def paged(fetch: Callable[[int], list[Any]], *, offset: int, limit: int,
          filename: str) -> Response:
    """A page of a list that ``fetch(n)`` gives the first ``n`` items of: ``limit`` items
    from ``offset``, JSON or CSV, with a next link when more follow."""
    items = fetch(offset + limit + 1)
    page, more = items[offset:offset + limit], len(items) > offset + limit
    return answer(page, filename=filename, headers=next_link(offset, limit, more))
