"""The engine-neutral store: named queries, ad-hoc read-only Cypher, batched writes.

Everything above this module talks to a :class:`GraphStore` and never learns which engine
runs. An :class:`Engine` does only what differs between databases: connecting, running one
statement with parameters, transactions, time limits and turning values into plain Python.
"""

from __future__ import annotations

import abc
import logging
import random
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from ..queries import QueryLibrary
from .accelerator import Accelerator
from .author_index import AuthorIndex
from .errors import TransientFailure
from .file_marks import Marks
from .index_queries import ANSWERS as INDEX_ANSWERS
from .index_queries import links_from_many


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


T = TypeVar("T")

WRITE_ATTEMPTS = 5
"""Times a write transaction is run before a transient failure is reported."""

log = logging.getLogger(__name__)


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

    @contextmanager
    def many_writes(self) -> Iterator[None]:
        """Around the many write transactions of a load: an engine may put housekeeping off
        until the end. Each transaction still commits on its own."""
        yield

    @abc.abstractmethod
    def apply_schema(self, statements: list[str]) -> None:
        ...

    can_copy_tables = False
    # Engines without a fast prefix index or shortest path keep an in-memory author index
    # (explorer.store.author_index), rebuilt when ``version`` (write transactions) changes.
    keeps_author_index = False
    version = 0
    path: Path | None = None  # the database file of an embedded engine
    read_only = False

    def content_marks(self) -> Marks | None:
        """The marks (explorer.store.file_marks) of the database files whose content this
        store reads, where they are known: an index saved under them can be used."""
        return None

    def copy_files(self, tables: list[tuple[str, list[Path]]]) -> None:
        """Bulk-copy Parquet files (``(table name, [paths])``, nodes before relationships,
        columns in the model's order) into an empty graph, where ``can_copy_tables``."""
        raise NotImplementedError(f"{self.name} has no bulk copy")

    def drop_tables(self, names: list[str]) -> None:
        """Drop tables (undoing a failed bulk copy, before the schema is made again)."""
        raise NotImplementedError(f"{self.name} has no bulk copy")

    def table_columns(self, table: str) -> set[str]:
        """The columns a table has, on an engine whose schema declares them (its
        ``schema.cypher`` then adds the newer ones with ``ALTER TABLE``)."""
        raise NotImplementedError(f"{self.name} declares no columns")

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
    accelerator: Accelerator | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.engine.keeps_author_index:
            self.accelerator = Accelerator(self)

    @property
    def engine_name(self) -> str:
        return self.engine.name

    def init_schema(self) -> None:
        """Create constraints, tables and indexes (idempotent)."""
        self.engine.apply_schema(self.queries["schema"].statements())

    def query(self, name: str, *, timeout_ms: int | None = None,
              **params: Any) -> list[dict[str, Any]]:
        """Run a named read query and return its rows as dicts, within ``timeout_ms``
        (the configured limit by default; whole-graph analytics pass a longer one). The
        slice queries of explorer.store.index_queries come from the in-memory author index
        where the engine keeps one and it is ready."""
        query = self.queries[name]
        if query.is_write:
            raise ValueError(f"{name} is a write query; use a transaction")
        index = self._ready_index() if name in INDEX_ANSWERS else None
        if index is not None:
            rows = INDEX_ANSWERS[name](index, params)
            if rows is not None:
                return rows
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

    def warm(self) -> None:
        """Start building the in-memory author index, where the engine keeps one, so that
        the first searches and paths need not wait for it (a server calls this at start)."""
        if self.accelerator:
            self.accelerator.warm()

    def _ready_index(self) -> AuthorIndex | None:
        """The in-memory index where the engine keeps one and it is ready, else None (its
        build is then started)."""
        return self.accelerator.index() if self.accelerator else None

    def links_from(self, name: str, sources: list[str], ids: list[str],
                   **filters: Any) -> list[dict[str, Any]]:
        """The rows of the edge query ``name`` (``slice_edges`` or ``links_of``) for each of
        ``sources`` towards ``ids``, joined: from the author index in one pass where it is
        ready, else one query per source. The index gives ``links_of``'s rows for either
        name (each edge once, either way round), a superset of ``slice_edges``'s that the
        slices reduce to the same edges (``slices._unique_edges``)."""
        if name not in ("links_of", "slice_edges"):
            raise ValueError(f"{name} is not an edge query of a slice")
        index = self._ready_index() if sources else None
        if index is not None:
            return links_from_many(index, sources, ids, filters)
        return [edge for source in sources
                for edge in self.query(name, id=source, ids=ids, **filters)]

    def search_authors(self, needle: str, limit: int) -> list[dict[str, Any]]:
        """``search_authors``: from the author index where the engine keeps one and it is
        ready, else the named query (the same rows either way)."""
        index = self._ready_index()
        if index is None:
            return self.query("search_authors", needle=needle, limit=limit)
        return index.search(needle, limit)

    def search_papers(self, needle: str, limit: int) -> list[dict[str, Any]]:
        """``search_papers``: the papers found in the index's title words where the engine
        keeps one and it is ready (then one key lookup each), else the named query (the
        same rows either way)."""
        index = self._ready_index()
        if index is None or index.papers is None:
            return self.query("search_papers", needle=needle, limit=limit)
        ids = index.papers.search(needle, limit)
        rows = {row["id"]: row for row in self.query("index_papers", ids=ids)} if ids else {}
        return [rows[paper_id] for paper_id in ids if paper_id in rows]

    def shortest_path(self, source: str, target: str) -> dict[str, list] | None:
        """``collaboration_path``: ids and names of a shortest chain of co-authorships (at
        most 8 links), or None; from the author index where it is ready."""
        index = self._ready_index()
        if index is None:
            rows = self.query("collaboration_path", source=source, target=target)
            return {"ids": rows[0]["ids"], "names": rows[0]["names"]} if rows else None
        ends = [self.query("index_author_offset", id=end) for end in (source, target)]
        if not all(ends):
            return None
        chain = index.shortest_path(index.row(ends[0][0]["offset"]),
                                    index.row(ends[1][0]["offset"]))
        if chain is None or len(chain) < 2:
            return None
        return {"ids": index.ids.take(chain).to_pylist(),
                "names": index.names.take(chain).to_pylist()}

    @contextmanager
    def transaction(self) -> Iterator[NamedTransaction]:
        with self.engine.transaction() as tx:
            yield NamedTransaction(tx, self.queries)

    def write(self, work: Callable[[NamedTransaction], T], *,
              attempts: int = WRITE_ATTEMPTS) -> T:
        """``work`` in a transaction, run again in a new one (after a short, growing, random
        pause) when the engine gave the transaction up for a passing reason, such as a
        deadlock; after ``attempts`` runs the failure is raised. ``work`` must start from
        what it reads in the transaction, as a rolled-back run leaves nothing behind."""
        for attempt in range(1, attempts + 1):
            try:
                with self.transaction() as tx:
                    return work(tx)
            except TransientFailure as failure:
                if attempt == attempts:
                    raise
                log.warning("a write transaction was given up (%s); running it again "
                            "(attempt %d of %d)", failure, attempt + 1, attempts)
                time.sleep(random.uniform(0.5, 1.0) * min(2.0, 0.1 * 2 ** attempt))
        raise AssertionError("unreachable")  # the loop returns or raises

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        if not self._closed:
            if self.accelerator:
                self.accelerator.close()
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
