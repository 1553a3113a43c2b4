"""Neo4j 5 through the official driver: the server engine."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import neo4j
from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase
from neo4j.exceptions import (
    AuthError,
    BrokenRecordError,
    ClientError,
    ConfigurationError,
    ConnectionPoolError,
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)
from neo4j.graph import Node, Path, Relationship

from ..settings import neo4j_uri
from .base import Engine, Result, Transaction
from .errors import (
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreUnavailable,
    TransientFailure,
)
from .guard import ALLOWED_PROCEDURES, RefusedQuery

_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration")
_CONNECT_SECONDS = 2.0
_SCHEMA_ATTEMPTS = 3
# Taken first by every write transaction and held until it ends, so that writers from any
# number of processes take turns: each reads what the ones before it committed, and none
# can deadlock another (LadybugDB's file lock gives the same by itself).
_TAKE_WRITE_LOCK = "MERGE (lock:WriteLock {id: 'writes'}) SET lock.taken_at = datetime()"
# A server that is down, restarting or unreachable, or a pool with no connection to give:
# the request answers 503 and the driver reconnects by itself once the server is back.
_UNREACHABLE = (ServiceUnavailable, SessionExpired, ConnectionPoolError)


def plain_value(value: Any) -> Any:
    """Driver values as plain dicts, the same shape as on LadybugDB."""
    if isinstance(value, Node):
        label = sorted(value.labels)[0] if value.labels else ""
        return {"_type": "node", "_label": label, "_id": value.element_id,
                **{k: plain_value(v) for k, v in value.items()}}
    if isinstance(value, Relationship):
        return {"_type": "relationship", "_label": value.type, "_id": value.element_id,
                "_start": value.start_node.element_id if value.start_node else None,
                "_end": value.end_node.element_id if value.end_node else None,
                **{k: plain_value(v) for k, v in value.items()}}
    if isinstance(value, Path):
        return {"_type": "path", "nodes": [plain_value(n) for n in value.nodes],
                "relationships": [plain_value(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # temporal and spatial values


def _query_error(exc: Neo4jError) -> QueryError:
    code = exc.code or ""
    message = exc.message or str(exc)
    if any(code.endswith(c) for c in _TIMEOUT_CODES):
        return QueryTimeout()
    if code.endswith("AccessMode") or code.endswith("ForbiddenOnReadOnlyDatabase"):
        return ReadOnlyViolation()
    first, _, rest = message.partition("\n")
    if isinstance(exc, TransientError):
        return TransientFailure(first, position=rest.strip() or None)
    return QueryError(first, position=rest.strip() or None)


@contextmanager
def _as_query_errors() -> Iterator[None]:
    """A statement's failure as QueryError; an unavailable database is not the query's
    fault and stays itself (the engine reports it as StoreUnavailable)."""
    try:
        yield
    except DatabaseUnavailable:
        raise
    except Neo4jError as exc:
        raise _query_error(exc) from None


_EXPLAIN = "EXPLAIN "
_POSITION = re.compile(r"line (\d+), column (\d+) \(offset: (\d+)\)")


def _without_explain(error: QueryError) -> QueryError:
    """An error of ``EXPLAIN <query>`` as one of the query: Neo4j counts the line, column
    and offset it names, and shows the line in its excerpt, with the prefix."""
    if type(error) is not QueryError:
        return error
    shift = len(_EXPLAIN)

    def moved(match: re.Match[str]) -> str:
        line, column, offset = (int(g) for g in match.groups())
        column = max(1, column - shift) if line == 1 else column
        return f"line {line}, column {column} (offset: {max(0, offset - shift)})"

    message = _POSITION.sub(moved, str(error), count=1)
    excerpt = error.position
    if excerpt and (match := _POSITION.search(message)) and match[1] == "1":
        quoted, _, caret = excerpt.partition("\n")
        if quoted.startswith('"' + _EXPLAIN):
            quoted = '"' + quoted[1 + shift:]
            caret = caret[shift:] if caret.startswith(" " * (shift + 1)) else caret
            excerpt = f"{quoted}\n{caret}" if caret else quoted
    return type(error)(message, position=excerpt)


#: Plan operators the console refuses whatever the query's text, with the reason.
_REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV reads files or URLs: reading files is not offered by the console",
    "TransactionApply": "CALL … IN TRANSACTIONS runs in several transactions",
    "TransactionForeach": "CALL … IN TRANSACTIONS runs in several transactions",
}


def _operators(plan: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    if not plan:
        return
    yield plan
    for child in plan.get("children") or ():
        yield from _operators(child)


def _only_procedure_calls(plan: Mapping[str, Any] | None) -> bool:
    """Whether a plan typed "s" only calls procedures (Neo4j types a call of a DBMS
    procedure such as ``dbms.components`` as it types a schema change); which procedures
    is checked after."""
    names = [str(o.get("operatorType", "")).split("@")[0] for o in _operators(plan)]
    return any(n.startswith("ProcedureCall") for n in names) and not any(
        n.startswith(_SCHEMA_OPERATORS) for n in names)


_SCHEMA_OPERATORS = ("Create", "Drop", "DoNothingIfExists", "Alter", "Assert", "Grant",
                     "Revoke", "Deny", "Rename", "Start", "Stop", "Enable", "Terminate")
"""How the plan operators of schema and administration commands start."""


def check_plan(summary: neo4j.ResultSummary) -> None:
    """Refuse, from the server's own plan of a query (EXPLAIN), anything but a read: a
    write or schema change, LOAD CSV, transactions of its own, or a procedure other than
    the schema listings."""
    if summary.query_type in ("w", "rw"):
        raise ReadOnlyViolation()
    if summary.query_type == "s" and not _only_procedure_calls(summary.plan):
        raise ReadOnlyViolation("the query changes the schema, and the console is "
                                "read-only: schema changes are refused")
    allowed = ALLOWED_PROCEDURES["neo4j"]
    for operator in _operators(summary.plan):
        name = str(operator.get("operatorType", "")).split("@")[0]
        if name in _REFUSED_OPERATORS:
            raise RefusedQuery(_REFUSED_OPERATORS[name])
        if name.startswith("ProcedureCall"):
            details = str((operator.get("args") or {}).get("Details", ""))
            procedure = details.split("(")[0].strip().lower()
            if procedure not in allowed:
                raise RefusedQuery(
                    f"the plan calls the procedure {procedure or '(unnamed)'}: the console "
                    f"only calls {', '.join(sorted(allowed))}")


def _unreadable_value(exc: BrokenRecordError) -> QueryError:
    """A value the Python driver cannot give (a date before year 1 or after 9999…)."""
    return QueryError(f"a value of the result cannot be read here ({_first_line(exc)}); "
                      "return it as text (toString) instead")


class _Neo4jTransaction(Transaction):
    def __init__(self, tx: neo4j.Transaction) -> None:
        self.tx = tx

    def run(self, text: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        with _as_query_errors():
            result = self.tx.run(text, dict(params or {}))
            try:
                return [{k: plain_value(v) for k, v in record.items()} for record in result]
            except BrokenRecordError as exc:
                raise _unreadable_value(exc) from None


class Neo4jEngine(Engine):
    """A driver (thread-safe, pooled) and one session per call.

    Connecting and taking a connection from the pool each give up after ``connect_timeout``
    seconds, and every pooled connection is checked before use (``liveness_check_timeout=0``),
    so a server that went away answers StoreUnavailable quickly and one that came back is used
    again without restarting anything."""

    name = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j", *,
                 connect_timeout: float = _CONNECT_SECONDS) -> None:
        self.uri = uri
        self.database = database
        try:
            neo4j_uri(uri)
        except ValueError as exc:
            raise StoreUnavailable(f"NEO4J_URI {uri!r} is not usable: {exc}") from None
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=connect_timeout,
                connection_acquisition_timeout=connect_timeout, liveness_check_timeout=0,
            )
            # Every session of this engine sees what the ones before it committed (on a
            # cluster a read could otherwise go to a member that has not applied a write).
            self.bookmarks = GraphDatabase.bookmark_manager()
            try:
                self.driver.verify_connectivity()
                with self.driver.session(database=database,
                                         default_access_mode=READ_ACCESS) as s:
                    s.run("RETURN 1").consume()
            except BaseException:
                self.driver.close()  # its pool would outlive a failed open (retried often)
                raise
        except AuthError:
            raise StoreUnavailable(
                f"Neo4j at {uri} refused the user {user!r}: wrong user name or password; "
                "set NEO4J_USER and NEO4J_PASSWORD (or --neo4j-user/--neo4j-password)"
            ) from None
        except (ServiceUnavailable, SessionExpired, OSError) as exc:
            raise StoreUnavailable(
                f"cannot reach Neo4j at {uri} ({_first_line(exc)}); start the server "
                "(`docker compose up -d neo4j`) or correct NEO4J_URI"
            ) from None
        except ConfigurationError as exc:
            raise StoreUnavailable(f"NEO4J_URI {uri!r} is not usable: {_first_line(exc)}") \
                from None
        except DatabaseUnavailable as exc:
            raise self._unavailable(exc) from None
        except ClientError as exc:
            if (exc.code or "").endswith("DatabaseNotFound"):
                raise StoreUnavailable(
                    f"Neo4j at {uri} has no database {database!r}; create it "
                    f"(`CREATE DATABASE {database}`) or set NEO4J_DATABASE"
                ) from None
            raise StoreUnavailable(f"Neo4j at {uri} refused the connection: {exc.message}") \
                from None
        except DriverError as exc:
            raise StoreUnavailable(f"cannot use Neo4j at {uri}: {_first_line(exc)}") from None

    def describe(self) -> str:
        return f"Neo4j at {self.uri}, database {self.database}"

    def _unavailable(self, exc: Exception) -> StoreUnavailable:
        if isinstance(exc, DatabaseUnavailable):
            return StoreUnavailable(
                f"the database {self.database!r} of Neo4j at {self.uri} is not available "
                f"({_first_line(exc)}); it may be starting: try again shortly")
        return StoreUnavailable(f"cannot reach Neo4j at {self.uri} ({_first_line(exc)}); "
                                "the server may be down or restarting")

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        """A server that cannot be reached, inside a write or schema change, as
        StoreUnavailable (query errors are already QueryError)."""
        try:
            yield
        except (DatabaseUnavailable, *_UNREACHABLE) as exc:
            raise self._unavailable(exc) from None

    def read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int | None = None,
             max_rows: int | None = None) -> Result:
        started = time.perf_counter()
        timeout = timeout_ms / 1000 if timeout_ms else None
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS,
                                     bookmark_manager=self.bookmarks) as session, \
                    session.begin_transaction(timeout=timeout) as tx:
                result = tx.run(text, dict(params))
                columns = list(result.keys())
                rows: list[list[Any]] = []
                truncated = False
                for record in result:
                    if max_rows is not None and len(rows) >= max_rows:
                        truncated = True
                        break
                    rows.append([plain_value(v) for v in record.values()])
                tx.rollback()
        except DatabaseUnavailable as exc:
            raise self._unavailable(exc) from None
        except Neo4jError as exc:
            raise _query_error(exc) from None
        except BrokenRecordError as exc:
            raise _unreadable_value(exc) from None
        except _UNREACHABLE as exc:
            raise self._unavailable(exc) from None
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, truncated=truncated, elapsed_ms=elapsed)

    def console_read(self, text: str, params: Mapping[str, Any], *, timeout_ms: int,
                     max_rows: int) -> Result:
        """Analyst Cypher in a read transaction with the server's time limit, after the
        server's own plan (EXPLAIN, in the same transaction) shows a read-only query that
        loads no file and calls only the schema procedures. A query stopped at its time
        limit answers the rows received before, with ``timed_out``."""
        started = time.perf_counter()
        rows: list[list[Any]] = []
        columns: list[str] = []
        truncated = timed_out = False
        try:
            with self.driver.session(database=self.database, default_access_mode=READ_ACCESS,
                                     bookmark_manager=self.bookmarks) as session, \
                    session.begin_transaction(timeout=timeout_ms / 1000) as tx:
                try:
                    plan = tx.run(_EXPLAIN + text, dict(params)).consume()
                except DatabaseUnavailable:
                    raise
                except Neo4jError as exc:
                    error = _query_error(exc)
                    if isinstance(error, QueryTimeout):
                        raise
                    raise _without_explain(error) from None
                check_plan(plan)
                result = tx.run(text, dict(params))
                columns = list(result.keys())
                try:
                    for record in result:
                        if len(rows) >= max_rows:
                            truncated = True
                            break
                        rows.append([plain_value(v) for v in record.values()])
                except Neo4jError as exc:
                    if not isinstance(_query_error(exc), QueryTimeout):
                        raise
                    timed_out = True
                if not tx.closed():  # leaving the block would commit: nothing to commit
                    with contextlib.suppress(Neo4jError, DriverError):
                        tx.rollback()
        except DatabaseUnavailable as exc:
            raise self._unavailable(exc) from None
        except Neo4jError as exc:
            error = _query_error(exc)
            if not isinstance(error, QueryTimeout):
                raise error from None
            timed_out = True
        except BrokenRecordError as exc:
            raise _unreadable_value(exc) from None
        except _UNREACHABLE as exc:
            raise self._unavailable(exc) from None
        elapsed = (time.perf_counter() - started) * 1000
        return Result(columns, rows, truncated=truncated, timed_out=timed_out,
                      elapsed_ms=elapsed)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        with self._reaching(), self.driver.session(database=self.database,
                                                   default_access_mode=WRITE_ACCESS,
                                                   bookmark_manager=self.bookmarks) as session:
            tx = session.begin_transaction()
            try:
                with _as_query_errors():
                    tx.run(_TAKE_WRITE_LOCK).consume()
                yield _Neo4jTransaction(tx)
            except BaseException:
                tx.close()  # rolls back; safe when a failed statement already ended it
                raise
            with _as_query_errors():
                tx.commit()  # a constraint or a deadlock may only show here

    def apply_schema(self, statements: list[str]) -> None:
        """Each statement in a transaction of its own (schema commands cannot share one on
        Neo4j). Another process may create the same objects at the same moment (gunicorn's
        workers on a new database): ``IF NOT EXISTS`` then fails with
        EquivalentSchemaRuleAlreadyExists, which means the object is there, and a deadlock
        between them is tried again."""
        with self._reaching(), self.driver.session(database=self.database,
                                                   bookmark_manager=self.bookmarks) as session:
            for statement in statements:
                for attempt in range(1, _SCHEMA_ATTEMPTS + 1):
                    try:
                        session.run(statement).consume()
                        break
                    except DatabaseUnavailable:
                        raise
                    except TransientError as exc:
                        if attempt == _SCHEMA_ATTEMPTS:
                            raise _query_error(exc) from None
                        time.sleep(0.1 * attempt)
                    except Neo4jError as exc:
                        if (exc.code or "").endswith("EquivalentSchemaRuleAlreadyExists"):
                            break
                        raise _query_error(exc) from None

    def close(self) -> None:
        self.driver.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
