"""Result values as JSON, as CSV cells, and as a graph of the nodes and relationships in them.

The store gives nodes, relationships and paths as plain dicts of the same shape on both
engines (``_type``, ``_label``, ``_id``, ``_start``/``_end``, properties)."""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from typing import Any

import orjson

#: Most nodes drawn from one result.
MAX_GRAPH_NODES = 2000


def _fallback(value: Any) -> Any:
    """What orjson cannot write itself (durations, decimals, bytes…) as text."""
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _json_safe(value: Any) -> Any:
    """Integers beyond 64 bits (which orjson refuses) as text, everything else kept."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        return str(value)
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def json_bytes(payload: Any, *, indent: bool = False) -> bytes:
    """JSON for any result (dates as ISO 8601, durations and odd values as text)."""
    option = orjson.OPT_INDENT_2 if indent else 0
    try:
        return orjson.dumps(payload, default=_fallback, option=option)
    except TypeError:
        return orjson.dumps(_json_safe(payload), default=_fallback, option=option)


def cell(value: Any) -> str:
    """A CSV cell: text as it is, nothing for null, ``Infinity``, ``-Infinity`` or ``NaN``
    for those floats (which JSON, and so the JSON answer, can only give as null), anything
    else as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else "Infinity" if value > 0 else "-Infinity"
    return json_bytes(value).decode()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP, "CSV injection")."""


def spreadsheet_text(text: str) -> str:
    """Text that a spreadsheet shows as text: one starting like a formula gets a leading
    apostrophe ('=HYPERLINK(…)' -> "'=HYPERLINK(…)"); other text is unchanged."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any) -> str:
    """A CSV cell: :func:`cell`, with text from the data made safe for spreadsheets
    (numbers stay numbers: -3 is written -3)."""
    return spreadsheet_text(value) if isinstance(value, str) else cell(value)


def csv_text(columns: list[str], rows: Iterable[Iterable[Any]]) -> str:
    """RFC 4180 CSV with a header row (lines end in CRLF, as the RFC says); text that
    starts like a spreadsheet formula is given a leading apostrophe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_text(str(c)) for c in columns])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return out.getvalue()


def _caption(item: dict[str, Any]) -> str:
    for key in ("name", "title", "id"):
        value = item.get(key)
        if isinstance(value, str) and value:
            return value
    return str(item.get("_label") or item.get("_id"))


def _properties(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


def result_graph(rows: Iterable[Iterable[Any]]) -> dict[str, Any]:
    """The nodes and relationships anywhere in the rows (in lists, maps and paths), each
    once; a relationship whose end node is not in the result gets a placeholder node."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[str, dict[str, Any]] = {}

    def visit(value: Any) -> None:
        if isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            kind = value.get("_type")
            if kind == "node" and len(nodes) < MAX_GRAPH_NODES:
                nodes.setdefault(str(value["_id"]), {
                    "id": str(value["_id"]), "label": value.get("_label", ""),
                    "caption": _caption(value), "properties": _properties(value)})
            elif kind == "relationship":
                edges.setdefault(str(value["_id"]), {
                    "id": str(value["_id"]), "type": value.get("_label", ""),
                    "source": str(value.get("_start")), "target": str(value.get("_end")),
                    "properties": _properties(value)})
            elif kind == "path":
                visit(value.get("nodes", []))
                visit(value.get("relationships", []))
            else:
                for item in value.values():
                    visit(item)

    for row in rows:
        visit(list(row))
    for edge in list(edges.values()):
        for end in (edge["source"], edge["target"]):
            if end not in nodes:
                if len(nodes) >= MAX_GRAPH_NODES:
                    edges.pop(edge["id"], None)
                    break
                nodes[end] = {"id": end, "label": "", "caption": end, "properties": {},
                              "placeholder": True}
    return {"nodes": list(nodes.values()), "edges": list(edges.values()),
            "complete": len(nodes) < MAX_GRAPH_NODES}
