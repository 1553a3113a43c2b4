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

    def console_read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int,
                     max_rows: int) -> Result:
        """Run one analyst statement (already past :mod:`explorer.store.guard`) read-only;
        a query stopped at its time limit answers what it had with ``timed_out``. Engines
        add what they need to keep such a query harmless."""
        from .errors import QueryTimeout

        try:
            return self.read(text, params, timeout_ms=timeout_ms, max_rows=max_rows)
        except QueryTimeout:
            return Result([], [], timed_out=True, elapsed_ms=float(timeout_ms))

    @abc.abstractmethod
    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A write transaction."""

    @abc.abstractmethod
    def apply_schema(self, statements: list[str]) -> None:
        ...

    can_copy_tables = False

    def copy_tables(self, tables: list[tuple[str, Any]]) -> None:
        """Bulk-copy Arrow tables (``(table name, pyarrow.Table)``, nodes before
        relationships) into an empty graph in one transaction, where ``can_copy_tables``."""
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
    console_timeout_ms: int | None = None
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

    def console_limits(self, timeout_ms: int | None = None,
                       max_rows: int | None = None) -> tuple[int, int]:
        """The time limit and row cap of an analyst query: the configured ones, or lower
        ones a caller asks for (never higher)."""
        limit = self.console_timeout_ms or self.default_timeout_ms
        return (min(timeout_ms or limit, limit),
                min(max_rows or self.default_max_rows, self.default_max_rows))

    def cypher(self, text: str, params: Mapping[str, Any] | None = None, *,
               timeout_ms: int | None = None, max_rows: int | None = None) -> Result:
        """Run analyst Cypher read-only, within a time limit and a row cap that a caller may
        only lower. The guard refuses what would reach outside the graph; a query stopped at
        its time limit answers with ``timed_out`` (and the rows it had, if any)."""
        from .guard import MissingParameter, check_console_query, parameter_names

        timeout, cap = self.console_limits(timeout_ms, max_rows)
        statement = check_console_query(text, self.engine.name)
        values = dict(params or {})
        missing = [name for name in parameter_names(statement) if name not in values]
        if missing:
            raise MissingParameter(missing)
        return self.engine.console_read(statement, values, timeout_ms=timeout, max_rows=cap)

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
