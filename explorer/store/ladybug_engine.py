"""LadybugDB (embedded, the maintained fork of Kùzu): the default engine, no server needed."""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import ladybug
import pyarrow.parquet as pq

from .base import Engine, Result, Transaction
from .copy_marker import copying, refuse_unfinished_copy, undone
from .errors import QueryError, QueryTimeout, ReadOnlyViolation, StoreUnavailable
from .file_marks import Marks, database_files, file_marks, settled
from .ladybug_console import ConsolePool
from .row_tables import row_schemas, with_row_tables

log = logging.getLogger(__name__)


def plain_value(value: Any) -> Any:
    """Ladybug nodes, relationships and paths as plain dicts, the same shape as on Neo4j."""
    if isinstance(value, dict):
        if "_LABEL" in value and "_SRC" in value:
            props = {k: plain_value(v) for k, v in value.items() if not k.startswith("_")}
            return {"_type": "relationship", "_label": value["_LABEL"],
                    "_id": _internal_id(value["_ID"]), "_start": _internal_id(value["_SRC"]),
                    "_end": _internal_id(value["_DST"]), **props}
        if "_LABEL" in value and "_ID" in value:
            props = {k: plain_value(v) for k, v in value.items() if not k.startswith("_")}
            return {"_type": "node", "_label": value["_LABEL"],
                    "_id": _internal_id(value["_ID"]), **props}
        if "_NODES" in value and "_RELS" in value:
            return {"_type": "path", "nodes": [plain_value(n) for n in value["_NODES"]],
                    "relationships": [plain_value(r) for r in value["_RELS"]]}
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain_value(v) for v in value]
    if isinstance(value, Decimal):  # sum() of integers comes back as a Decimal
        return int(value) if value == value.to_integral_value() else float(value)
    return value


_ROW_COUNT_PARAMETER = re.compile(r"\b(LIMIT|SKIP)\s+\$([A-Za-z_]\w*)", re.IGNORECASE)


def with_row_counts_bound(text: str, params: Mapping[str, Any]) -> str:
    """``LIMIT $n`` and ``SKIP $n`` with the whole-number value written in place.

    LadybugDB 0.22 evaluates a parameterised LIMIT or SKIP in a sub-query of its own, which
    costs about 2 ms per query (measured; most of a key lookup's time); a literal costs
    nothing. Only values that are ``int`` (never text) are written in, so nothing a user
    types can reach the query text."""
    def bind(match: re.Match[str]) -> str:
        value = params.get(match[2])
        if type(value) is int and value >= 0:
            return f"{match[1]} {value}"
        return match[0]
    return _ROW_COUNT_PARAMETER.sub(bind, text)


def _internal_id(ref: Mapping[str, int]) -> str:
    return f"{ref['table']}:{ref['offset']}"


def _quoted(path: str) -> str:
    """A path as a Cypher string literal (COPY takes no parameter for its source)."""
    return "'" + path.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _parquet_rows(path: str) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def _query_error(exc: RuntimeError) -> QueryError:
    message = str(exc)
    if message.startswith("Interrupted"):
        return QueryTimeout()
    if "read-only" in message or "read only" in message:
        return ReadOnlyViolation()
    first, _, rest = message.partition("\n")
    return QueryError(first, position=rest.strip() or None)


class _LadybugTransaction(Transaction):
    def __init__(self, connection: ladybug.Connection) -> None:
        self.connection = connection
        self.gave_tables = False  # rows went to the connection as Arrow tables

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        try:
            self.gave_tables = self.gave_tables or bool(row_schemas(text))
            result = self.connection.execute(text, with_row_tables(text, params or {}))
        except RuntimeError as exc:
            raise _query_error(exc) from None
        except ValueError as exc:  # rows that do not fit the query's header list
            raise QueryError(str(exc)) from None
        columns = result.get_column_names()
        return [dict(zip(columns, (plain_value(v) for v in row), strict=True))
                for row in result.get_all()]


#: The write-ahead log a load lets grow before the engine checkpoints it into the file
#: (LadybugDB's default: 16 MiB). Rewriting 18,000 papers of a 10M-authorship graph spent
#: 152 of 278 s in checkpoints (bench/RESULTS.md). Not more: a read-only process that
#: opens the file meanwhile (a console worker, a production worker) replays the whole log.
LOAD_CHECKPOINT_BYTES = 256 << 20


class LadybugEngine(Engine):
    """One on-disk database directory, one connection per thread."""

    name = "ladybug"
    keeps_author_index = True
    #: Console worker processes and the memory each may use (set by open_store).
    console_workers = 2
    console_memory_mb = 1024

    def __init__(self, path: str | Path, *, read_only: bool = False,
                 buffer_pool_mb: int = 0) -> None:
        self.path = Path(path).expanduser()
        self.read_only = read_only
        try:
            if not read_only:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            elif not self.path.exists():
                raise StoreUnavailable(
                    f"no database at {self.path}: create one with `coauthor-explorer init` "
                    "or `coauthor-explorer load`, or point --db at an existing one"
                )
            refuse_unfinished_copy(self.path)
            taken_at, marks = time.time(), file_marks(self.path)
            self.database = ladybug.Database(str(self.path), read_only=read_only,
                                             buffer_pool_size=buffer_pool_mb << 20)
            # What was opened, when no process wrote the files meanwhile (content_marks).
            self._opened_marks = marks if settled(marks, taken_at) \
                and marks == file_marks(self.path) else None
            try:  # a copy that started while it was opening
                refuse_unfinished_copy(self.path)
            except StoreUnavailable:
                self.database.close()
                raise
        except StoreUnavailable:
            raise
        except (RuntimeError, OSError) as exc:
            raise StoreUnavailable(self._open_problem(exc)) from None
        self._local = threading.local()
        self.version = 0  # counts write transactions: derived in-memory indexes go stale
        self._write_lock = threading.Lock()
        # Every live connection, so that close() can close them first: the file stays
        # locked while any connection is open. Weak, so a finished thread's goes with it.
        self._connections: weakref.WeakSet[ladybug.Connection] = weakref.WeakSet()
        self._connections_lock = threading.Lock()
        self._console: ConsolePool | None = None

    def _open_problem(self, exc: Exception) -> str:
        message = str(exc).splitlines()[0]
        if "lock" in message.lower():
            return (f"the database {self.path} is in use by another process ({message}); "
                    "stop that process (a running `serve` or `load`) or use another --db")
        if isinstance(exc, PermissionError) or "ermission" in message:
            return (f"cannot open the database {self.path}: permission denied; "
                    "choose a directory you can write with --db or COAUTHOR_EXPLORER_DB")
        return (f"cannot open the database {self.path}: {message}; "
                "check the path given by --db or COAUTHOR_EXPLORER_DB")

    def _connection(self) -> ladybug.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = ladybug.Connection(self.database)
            self._local.connection = connection
            with self._connections_lock:
                self._connections.add(connection)
        return connection

    def describe(self) -> str:
        mode = " (read-only)" if self.read_only else ""
        return f"LadybugDB {ladybug.__version__} at {self.path}{mode}"

    def read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int | None = None,
             max_rows: int | None = None) -> Result:
        connection = self._connection()
        started = time.perf_counter()
        connection.execute("BEGIN TRANSACTION READ ONLY")
        connection.set_query_timeout(timeout_ms or 0)  # the query's limit, not BEGIN's
        try:
            result = connection.execute(with_row_counts_bound(text, params), dict(params))
            columns = result.get_column_names()
            rows: list[list[Any]] = []
            truncated = False
            while result.has_next():
                if max_rows is not None and len(rows) >= max_rows:
                    truncated = True
                    break
                rows.append([plain_value(v) for v in result.get_next()])
        except RuntimeError as exc:
            raise _query_error(exc) from None
        finally:
            connection.set_query_timeout(0)
            with contextlib.suppress(RuntimeError):  # a failed statement already ended it
                connection.execute("COMMIT")
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, truncated=truncated, elapsed_ms=elapsed)

    def read_arrow(self, text: str, params: Mapping[str, Any]) -> Any:
        """A whole result as a pyarrow Table (no time limit, no row cap): for building the
        in-memory author index from our own named queries."""
        connection = self._connection()
        try:
            return connection.execute(text, dict(params)).get_as_arrow(chunk_size=1_000_000)
        except RuntimeError as exc:
            raise _query_error(exc) from None

    def console_read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int,
                     max_rows: int) -> Result:
        """Analyst Cypher in a worker process that opens the file read-only (see
        :mod:`explorer.store.ladybug_console`): a crash or a runaway query cannot harm this
        process."""
        with self._connections_lock:
            if self._console is None:
                self._console = ConsolePool(self.path, workers=self.console_workers,
                                            memory_mb=self.console_memory_mb)
            pool = self._console
        return pool.run(text, params, timeout_ms=timeout_ms, max_rows=max_rows)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        if self.read_only:
            raise ReadOnlyViolation(f"the database {self.path} is open read-only")
        connection = self._connection()
        tx = _LadybugTransaction(connection)
        with self._write_lock:
            try:
                connection.execute("BEGIN TRANSACTION")
                try:
                    yield tx
                except BaseException:
                    with contextlib.suppress(RuntimeError):  # a failed statement ended it
                        connection.execute("ROLLBACK")
                    raise
                finally:
                    self.version += 1
                connection.execute("COMMIT")
            finally:
                if tx.gave_tables:  # after the commit or the rollback
                    self._retire(connection)

    def _retire(self, connection: ladybug.Connection) -> None:
        """Close the thread's connection after a transaction that gave it Arrow tables (the
        next call opens another): the ``ladybug`` package caches a prepared statement for
        every table it is given (each is a new object to it), holding the table, until
        the connection closes, so a load's batches would pile up in memory. Transactions
        without tables (lookups) keep the connection and its cached statements."""
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        connection.close()

    @contextmanager
    def many_writes(self) -> Iterator[None]:
        """Checkpoint once the log holds LOAD_CHECKPOINT_BYTES instead of LadybugDB's
        16 MiB, then once at the end: a checkpoint rewrites the pages the log touched, so
        its cost grows with the graph. Commits stay durable (the log is on disk). The
        threshold is the database's, not the connection's: one load at a time per
        process, and not from inside a transaction (the checkpoint waits for the write
        lock). The numbers written into the CALLs are ours, never a user's."""
        if self.read_only:
            yield
            return
        connection = self._connection()
        setting = connection.execute("CALL current_setting('checkpoint_threshold') RETURN *")
        before = int(setting.get_all()[0][0])
        connection.execute(f"CALL checkpoint_threshold={max(before, LOAD_CHECKPOINT_BYTES)}")
        try:
            yield
        finally:
            # Not fatal if it fails (a full disk): every batch is in the log, on disk, and
            # the next checkpoint or close takes it into the file.
            try:
                connection = self._connection()  # a transaction may have retired the first
                connection.execute(f"CALL checkpoint_threshold={before}")
                with self._write_lock:
                    connection.execute("CHECKPOINT")
            except RuntimeError as exc:
                log.warning("%s: the checkpoint after the load failed (%s); the loaded "
                            "data is in %s and goes into the file at the next checkpoint",
                            self.path, str(exc).partition("\n")[0],
                            database_files(self.path)[1].name)

    def content_marks(self) -> Marks | None:
        """The marks of the files as opened, while this store has not written: a read-only
        store goes on reading what it opened, and no other process writes beside a
        read-write one. None when the files changed while opening, or had been written so
        recently that a later state could show the same marks (file_marks.settled)."""
        return self._opened_marks if self.version == 0 else None

    can_copy_tables = True

    def copy_files(self, tables: list[tuple[str, list[Path]]]) -> None:
        """COPY each table from its Parquet files (columns in the schema's order), one file
        per transaction: a transaction holds what it copies in the buffer pool until it
        commits, so one for everything would need memory for everything. Table names come
        from explorer.model, paths from the importer. A failure leaves the files copied
        before it in place (explorer.bulk removes them with :meth:`drop_tables`); a process
        that dies part way leaves a marker that stops the database from being opened
        (explorer.store.copy_marker)."""
        with copying(self.path):
            for name, paths in tables:
                if not name.isidentifier():
                    raise ValueError(f"not a table name: {name!r}")
                for path in paths:
                    if path.exists() and _parquet_rows(str(path)):
                        with self.transaction() as tx:
                            tx.run(f"COPY {name} FROM {_quoted(str(path))}")

    def drop_tables(self, names: list[str]) -> None:
        """Drop tables (relationship tables before the node tables they connect): the undoing
        of a failed copy, whose marker then goes."""
        with self.transaction() as tx:
            for name in names:
                if not name.isidentifier():
                    raise ValueError(f"not a table name: {name!r}")
                tx.run(f"DROP TABLE IF EXISTS {name}")
        undone(self.path)

    def table_columns(self, table: str) -> set[str]:
        if not table.isidentifier():  # table_info takes a literal only, not a parameter
            raise ValueError(f"not a table name: {table!r}")
        return {row["name"] for row in self.read(f"CALL table_info('{table}') RETURN name", {})
                .records()}

    def apply_schema(self, statements: list[str]) -> None:
        with self.transaction() as tx:
            for statement in statements:
                tx.run(statement)

    def close(self) -> None:
        """Close every thread's connection, then the database: its file is free again."""
        if self._console is not None:
            self._console.close()
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            connection.close()
        self.database.close()
