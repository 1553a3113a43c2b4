"""CSV files for `neo4j-admin database import full`: the first bulk load of a Neo4j database.

A bulk import (explorer.bulk) derives every node and relationship table; instead of
copying them into LadybugDB it can write them as CSV in the import tool's header format:
``id:ID(Author)`` for node ids in one id space per label, ``:START_ID(Author)`` and
``:END_ID(Paper)`` for relationship ends, ``name:long``/``double``/``string[]`` for typed
properties. Lists are joined with U+001F (passed as ``--array-delimiter``), which no
value may contain; an empty field is a missing property, a quoted ``""`` an empty string.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .model import NODE_PROPERTIES, RELATIONSHIPS

ARRAY_DELIMITER = "\x1f"
_TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string[]"}


def header(table: str) -> list[str]:
    """The import tool's header fields of a node label or relationship type."""
    if table in NODE_PROPERTIES:
        return [f"{name}:ID({table})" if name == "id" else f"{name}:{_TYPES[kind]}"
                for name, kind in NODE_PROPERTIES[table].items()]
    start, end, properties = RELATIONSHIPS[table]
    return [f":START_ID({start})", f":END_ID({end})",
            *(f"{name}:{_TYPES[kind]}" for name, kind in properties.items())]


class BadValue(ValueError):
    """A value holds the array delimiter and cannot be written for the import tool."""


def _column(values: pa.Array, table: str, name: str) -> pa.Array:
    if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
        flat = pc.list_flatten(values)
        if len(flat) and pc.any(pc.match_substring(flat, ARRAY_DELIMITER)).as_py():
            raise BadValue(f"{table}.{name}: a value holds U+001F, the array delimiter")
        return pc.binary_join(values, ARRAY_DELIMITER)
    return values


def write_csv(table: str, parquet: list[Path], out: Path) -> Path:
    """One table's Parquet files (columns in the model's order) as an import CSV."""
    fields = header(table)
    sources = [pq.ParquetFile(p) for p in parquet]
    path = out / f"{table}.csv"
    schema = pa.schema([(f, pa.string() if f.endswith("[]") else t) for f, t in
                        zip(fields, sources[0].schema_arrow.types, strict=True)])
    options = pacsv.WriteOptions(quoting_style="needed", include_header=False)
    path.write_text(",".join(fields) + "\n", encoding="utf-8")  # unquoted, as documented
    with path.open("ab") as sink, pacsv.CSVWriter(sink, schema, write_options=options) as writer:
        for batch in (b for source in sources for b in source.iter_batches(200_000)):
            columns = [_column(batch.column(i), table, name)
                       for i, name in enumerate(batch.schema.names)]
            writer.write_batch(pa.record_batch(columns, schema=schema))
    return path


def command(files: dict[str, Path], database: str = "neo4j") -> str:
    """The `neo4j-admin database import full` command for these CSV files. It replaces
    the database (``--overwrite-destination``): on Community Edition the one database,
    ``neo4j``, exists from the server's first start, and a full import refuses one that
    exists."""
    parts = ["neo4j-admin", "database", "import", "full", database,
             "--overwrite-destination=true", "--array-delimiter=U+001F",
             "--multiline-fields=true"]
    for table, path in files.items():
        kind = "nodes" if table in NODE_PROPERTIES else "relationships"
        parts.append(f"--{kind}={table}={path}")
    return shlex.join(parts)
