"""The files a bulk import hands to the engine: Parquet in the model's column order, in
parts small enough for one COPY transaction each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .bulk_pairs import NO_YEAR
from .model import NODE_PROPERTIES, RELATIONSHIPS

ARROW_TYPES = {"STRING": pa.string(), "INT64": pa.int64(), "DOUBLE": pa.float64(),
                "STRING[]": pa.list_(pa.string())}
PLAIN = {"compression": "none", "use_dictionary": False}
"""Temporary files, read once: no time spent compressing them (measured faster)."""
SLICE = 1_000_000  # rows per Parquet row group when a relationship file is written
PART_ROWS = 1 << 40
"""Most rows per file, hence per COPY transaction. One file per table: LadybugDB 0.22
appends to a non-empty relationship table far more slowly than it fills an empty one
(24.6M co-author pairs at 10M authorships: 61 s as one file, 152 s as seven of 4M rows,
and more memory, 2.1 GiB against 1.7 GiB; bench/RESULTS.md)."""


class Parts:
    """Parquet files of at most PART_ROWS rows each (the engine copies one per
    transaction)."""

    def __init__(self, directory: Path, name: str, schema: pa.Schema) -> None:
        self.directory, self.name, self.schema = directory, name, schema
        self.paths: list[Path] = []
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None
        self._in_part = 0

    def write(self, table: pa.Table) -> None:
        table = table.cast(self.schema)
        while table.num_rows:
            if self._writer is None or self._in_part >= PART_ROWS:
                self._roll()
            assert self._writer is not None
            take = min(table.num_rows, PART_ROWS - self._in_part)
            self._writer.write_table(table.slice(0, take))
            table = table.slice(take)
            self._in_part += take
            self.rows += take

    def _roll(self) -> None:
        self.close()
        path = self.directory / f"{self.name}-{len(self.paths):03d}.parquet"
        self._writer = pq.ParquetWriter(path, self.schema, **PLAIN)
        self.paths.append(path)
        self._in_part = 0

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> Parts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def optional_years(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int64), pa.int64(), mask=values == NO_YEAR)


def node_schema(label: str) -> pa.Schema:
    return pa.schema([(name, ARROW_TYPES[kind])
                      for name, kind in NODE_PROPERTIES[label].items()])


def rel_schema(rel: str) -> pa.Schema:
    return pa.schema([("from", pa.string()), ("to", pa.string()),
                      *((name, ARROW_TYPES[kind])
                        for name, kind in RELATIONSHIPS[rel][2].items())])


def node_table(label: str, columns: dict[str, list]) -> pa.Table:
    """Columns in the schema's order and types."""
    schema = node_schema(label)
    return pa.table({name: pa.array(columns[name], schema.field(name).type)
                     for name in schema.names}, schema=schema)
