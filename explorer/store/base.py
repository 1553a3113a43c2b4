"""The engine-neutral store: named queries, ad-hoc read-only Cypher, batched writes.

Everything above this module talks to a :class:`GraphStore` and never learns which engine
runs. An :class:`Engine` does only what differs between databases: connecting, running one
statement with parameters, transactions, time limits and turning values into plain Python.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..queries import QueryLibrary


@dataclass
class Result:
    """Rows of plain Python values (dicts for nodes, relationships and paths)."""

    columns: list[str]
    rows: list[list[Any]]
    truncated: bool = False
    timed_out: bool = False
    elapsed_ms: float = 0.0

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Transaction(abc.ABC):
    """A unit of work: every statement run through it commits or rolls back together."""

    @abc.abstractmethod
    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        ...


class Engine(abc.ABC):
    """One database engine."""

    name: str

    @abc.abstractmethod
    def read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int | None = None,
             max_rows: int | None = None) -> Result:
        """Run a statement that the engine itself guarantees cannot write."""

    @abc.abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction."""

    @abc.abstractmethod
    def apply_schema(self, statements: list[str]) -> None:
        ...

    can_copy_tables = False

    def copy_files(self, tables: list[tuple[str, list[Path]]]) -> None:
        """Bulk-copy Parquet files (``(table name, [paths])``, nodes before relationships,
        columns in the model's order) into an empty graph, where ``can_copy_tables``."""
        raise NotImplementedError(f"{self.name} has no bulk copy")

    def drop_tables(self, names: list[str]) -> None:
        """Drop tables (undoing a failed bulk copy, before the schema is made again)."""
        raise NotImplementedError(f"{self.name} has no bulk copy")

    @abc.abstractmethod
    def close(self) -> None:
        ...

    def describe(self) -> str:
        return self.name


@dataclass
class GraphStore:
    """The graph of authors, papers, topics and institutions, on either engine."""

    engine: Engine
    queries: QueryLibrary
    coauthor_max_authors: int = 100
    default_timeout_ms: int = 5000
    default_max_rows: int = 1000
    _closed: bool = field(default=False, repr=False)

    @property
    def engine_name(self) -> str:
        return self.engine.name

    def init_schema(self) -> None:
        """Create constraints, tables and indexes (idempotent)."""
        self.engine.apply_schema(self.queries["schema"].statements())

    def query(self, name: str, *, timeout_ms: int | None = None,
              **params: Any) -> list[dict[str, Any]]:
        """Run a named read query and return its rows as dicts, within ``timeout_ms``
        (the configured limit by default; whole-graph analytics pass a longer one)."""
        query = self.queries[name]
        if query.is_write:
            raise ValueError(f"{name} is a write query; use a transaction")
        result = self.engine.read(query.text, params,
                                  timeout_ms=timeout_ms or self.default_timeout_ms)
        return result.records()

    def cypher(self, text: str, params: Mapping[str, Any] | None = None, *,
               timeout_ms: int | None = None, max_rows: int | None = None) -> Result:
        """Run analyst Cypher read-only, within a time limit and a row cap."""
        timeout = min(timeout_ms or self.default_timeout_ms, self.default_timeout_ms)
        cap = min(max_rows or self.default_max_rows, self.default_max_rows)
        return self.engine.read(text, dict(params or {}), timeout_ms=timeout, max_rows=cap)

    @contextmanager
    def transaction(self) -> Iterator[NamedTransaction]:
        with self.engine.transaction() as tx:
            yield NamedTransaction(tx, self.queries)

    def close(self) -> None:
        if not self._closed:
            self.engine.close()
            self._closed = True

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class NamedTransaction:
    """A transaction that runs named queries from the library."""

    tx: Transaction
    queries: QueryLibrary

    def run(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Run a named query; an empty list parameter means nothing to do (write queries
        UNWIND their list), and engines cannot type an empty list, so it is not sent."""
        if any(isinstance(v, list) and not v for v in params.values()):
            return []
        return self.tx.run(self.queries[name].text, params)
