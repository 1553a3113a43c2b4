"""Lists of rows handed to LadybugDB as Arrow tables.

A LadybugDB query that reads a list of maps with ``LOAD WITH HEADERS (name TYPE, ...)
FROM $rows`` gets that parameter as a pyarrow Table whose columns the header list names
and types. LadybugDB 0.22's Python package converts a list of maps at about 25 µs a row
before the query starts (half a second for a batch's 15,000 authorships); it scans an
Arrow table in place (bench/RESULTS.md, ninth round). The header list also types a column
whose values are all null, which a list of maps leaves as STRING.

Only the engine calls this, on the text of our own named queries; the portable files read
the same rows with ``UNWIND $rows AS r``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pyarrow as pa

_LOAD_ROWS = re.compile(r"\bLOAD\s+WITH\s+HEADERS\s*\(([^)]*)\)\s*FROM\s+\$(\w+)",
                        re.IGNORECASE)
_COLUMN = re.compile(r"^(\w+)\s+([A-Z0-9]+(?:\[\])?)$", re.IGNORECASE)
ARROW_TYPES: dict[str, pa.DataType] = {
    "STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(), "STRING[]": pa.list_(pa.string()),
    "INT64[]": pa.list_(pa.int64()),
}


@lru_cache(maxsize=512)
def row_schemas(text: str) -> dict[str, pa.Schema]:
    """The Arrow schema of each parameter the query reads with ``LOAD WITH HEADERS``."""
    schemas = {}
    for columns, parameter in _LOAD_ROWS.findall(text):
        fields = []
        for column in columns.split(","):
            match = _COLUMN.match(column.strip())
            if match is None or match[2].upper() not in ARROW_TYPES:
                raise ValueError(f"LOAD WITH HEADERS for ${parameter}: cannot type "
                                 f"{column.strip()!r} (types: {', '.join(ARROW_TYPES)})")
            fields.append(pa.field(match[1], ARROW_TYPES[match[2].upper()]))
        schemas[parameter] = pa.schema(fields)
    return schemas


def with_row_tables(text: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters, each list of maps the query loads turned into a typed Arrow table
    (its columns in the header list's order, which is how LadybugDB matches them)."""
    bound = dict(params)
    for name, schema in row_schemas(text).items():
        rows = bound.get(name)
        if isinstance(rows, list):
            bound[name] = rows_table(name, rows, schema)
    return bound


def rows_table(name: str, rows: list[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """``rows`` as a table of ``schema``'s columns; other keys are left out. A column
    missing from the first row is a mistake in the caller, not a null."""
    missing = [column for column in schema.names if rows and column not in rows[0]]
    if missing:
        raise ValueError(f"the rows for ${name} have no {', '.join(missing)}")
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, TypeError, OverflowError) as exc:
        columns = ", ".join(f"{f.name} {f.type}" for f in schema)
        raise ValueError(f"the rows for ${name} do not fit ({columns}): "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}") \
            from None
