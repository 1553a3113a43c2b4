"""Analyst Cypher on LadybugDB, run in worker processes so that no query can harm the server.

LadybugDB 0.22 crashes its whole process on some read queries, does not check its time limit
inside every operator, and evaluates ``range(1, 10^9)`` in memory. A console query therefore
runs in a separate Python process that opens the database file
**read-only**, inside a ``READ ONLY`` transaction, with the engine's time limit, one thread,
a bounded buffer pool and a bounded address space. The server waits for the answer until the
time limit plus a grace period, then kills the worker; a crash becomes an error message.

Before running a query the worker asks the engine for its plan (``EXPLAIN``) and refuses a
plan that calls a table function other than the schema listings: whatever the syntax, reading
a file (``READ_CSV``, ``READ_PARQUET``…) shows in the plan.

Workers stay alive between queries (an idle one costs about 60 MB) and reopen the database
when its files change, so they see data loaded since.
"""

from __future__ import annotations

import contextlib
import pickle
import re
import socket
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from .base import Result
from .copy_marker import refuse_unfinished_copy
from .errors import (
    ConsoleBusy,
    EngineCrashed,
    QueryError,
    QueryTimeout,
    ReadOnlyViolation,
    StoreUnavailable,
    TooExpensive,
)
from .file_marks import Marks, database_files, file_marks
from .guard import ALLOWED_PROCEDURES, RefusedQuery

#: Seconds a worker may take to start, or to open the database before a query.
START_SECONDS = 60.0
#: How long past its time limit a query may run before its worker is killed.
GRACE_MS = 1500
#: Largest answer a worker sends back (pickled); larger ones are refused with a message.
MAX_ANSWER_BYTES = 64 * 1024 * 1024
#: Queries a worker answers before it is replaced (its memory use only ever grows).
JOBS_PER_WORKER = 500

#: Table functions a plan may call: the schema listings, and READ_FTABLE, which the engine
#: uses itself to read back its own intermediate results.
_ALLOWED_FUNCTIONS = frozenset({*(name.upper() for name in ALLOWED_PROCEDURES["ladybug"]),
                                "READ_FTABLE"})
_PLAN_FUNCTION = re.compile(r"Function:\s*(\w+)")
_CRASH_HINT = ("the server is unharmed; LadybugDB 0.22 crashes on some queries (such as ORDER "
               "BY on two keys with a SKIP past the last row): change the query")


# -- the worker process ------------------------------------------------------------------


def _max_db_size(path: Path) -> int:
    """Address space LadybugDB reserves for the file: a power of two, room to spare."""
    size = sum(f.stat().st_size for f in database_files(path) if f.exists())
    reserve = 1 << 30
    while reserve < 2 * size:
        reserve <<= 1
    return reserve


def _address_space() -> int | None:
    """Bytes of address space this process uses now (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    import resource

    return pages * resource.getpagesize()


def _limit_memory(extra_bytes: int | None) -> None:
    """Cap this process's address space at what it uses now plus ``extra_bytes`` (None lifts
    the cap). Linux only; elsewhere the buffer pool alone bounds memory."""
    try:
        import resource
    except ImportError:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if extra_bytes is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    used = _address_space()
    if used is None:
        return
    soft = used + extra_bytes
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


class _Database:
    """The worker's read-only handle, reopened when the files change."""

    def __init__(self, path: Path, memory_mb: int) -> None:
        self.path = path
        self.memory_mb = memory_mb
        self.database: Any = None
        self.marks: Marks = ()

    def connection(self) -> Any:
        import ladybug

        marks = file_marks(self.path)
        if self.database is None or marks != self.marks:
            self.close()
            _limit_memory(None)
            if not self.path.exists():
                raise StoreUnavailable(f"no database at {self.path}")
            refuse_unfinished_copy(self.path)  # not a part-loaded graph
            self.database = ladybug.Database(
                str(self.path), read_only=True, max_num_threads=1,
                buffer_pool_size=self.memory_mb * 1024 * 1024 // 2,
                max_db_size=_max_db_size(self.path))
            self.marks = marks
        connection = ladybug.Connection(self.database, num_threads=1)
        _limit_memory(self.memory_mb * 1024 * 1024 // 2)
        return connection

    def close(self) -> None:
        if self.database is not None:
            with contextlib.suppress(Exception):
                self.database.close()
            self.database = None


def _check_plan(connection: Any, text: str, params: dict[str, Any]) -> None:
    """Refuse a plan that calls a table function other than the schema listings."""
    try:
        plan = connection.execute("EXPLAIN " + text, params).get_all()[0][0]
    except RuntimeError as exc:
        # The same error without the EXPLAIN prefix, so that its position is the query's.
        unprefixed = None
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # prepare() alone is fine here
            prepared = connection.prepare(text)
            if not prepared.is_success():
                unprefixed = prepared.get_error_message()
        raise (RuntimeError(unprefixed) if unprefixed else exc) from None
    calls = plan.count("TABLE_FUNCTION_CALL")
    if not calls:
        return
    called = _PLAN_FUNCTION.findall(plan)
    refused = sorted(set(called) - _ALLOWED_FUNCTIONS)
    if len(called) < calls:
        refused.append("a table function the plan does not name")
    if refused:
        raise RefusedQuery(
            f"the engine's plan calls {', '.join(refused)}: the console only calls the "
            "table functions that describe the schema (reading files is not offered)")


def _run(connection: Any, job: Mapping[str, Any]) -> dict[str, Any]:
    from .ladybug_engine import plain_value

    params = dict(job["params"])
    connection.execute("BEGIN TRANSACTION READ ONLY")
    connection.set_query_timeout(job["timeout_ms"])
    started = time.perf_counter()
    try:
        _check_plan(connection, job["text"], params)
        result = connection.execute(job["text"], params)
        if isinstance(result, list):  # the guard lets one statement through; be sure
            raise RefusedQuery("the console runs one statement at a time")
        columns = result.get_column_names()
        rows: list[list[Any]] = []
        truncated = False
        while result.has_next():
            if len(rows) >= job["max_rows"]:
                truncated = True
                break
            rows.append([plain_value(v) for v in result.get_next()])
    finally:
        connection.set_query_timeout(0)
        with contextlib.suppress(RuntimeError):
            connection.execute("COMMIT")
    return {"columns": columns, "rows": rows, "truncated": truncated,
            "elapsed_ms": (time.perf_counter() - started) * 1000}


def _error_reply(exc: BaseException) -> tuple[Any, ...]:
    """What to tell the server about a failed query, and whether this worker should retire."""
    if isinstance(exc, RefusedQuery):
        return ("error", "refused", str(exc), None, False)
    if isinstance(exc, StoreUnavailable):
        return ("error", "unavailable", str(exc), None, True)
    if isinstance(exc, MemoryError):
        return ("error", "memory", "", None, True)
    message = str(exc)
    if message.startswith("Interrupted"):
        return ("error", "timeout", message, None, False)
    if "read-only" in message or "read only" in message:
        return ("error", "read_only", message, None, False)
    if "bad_alloc" in message or "Buffer manager exception" in message:
        return ("error", "memory", message, None, True)
    head, position = _split_position(message)
    return ("error", "query", head, position, False)


def _split_position(message: str) -> tuple[str, str | None]:
    """LadybugDB's parser errors echo the query and draw carets after ``(line: N, offset:
    M)``: the message up to there, and the rest as the position drawing."""
    match = re.search(r"\(line: \d+, offset: \d+\)", message)
    if not match:
        first, _, rest = message.partition("\n")
        return first, rest.strip() or None
    head = message[:match.end()]
    head = re.sub(r"Invalid input <.*?>:", "Invalid input:", head, flags=re.DOTALL)
    return " ".join(head.split()), message[match.end():].strip("\n") or None


def worker_main(conn: Connection, path: str, memory_mb: int) -> None:
    """Serve console queries sent over ``conn`` until told to stop (None) or orphaned."""
    database = _Database(Path(path), memory_mb)
    conn.send(("ready",))
    for served in range(1, JOBS_PER_WORKER + 1):
        try:
            job = conn.recv()
        except (EOFError, OSError):
            break
        if job is None:
            break
        connection = None
        retire = served == JOBS_PER_WORKER
        try:
            connection = database.connection()
            conn.send(("running",))
            answer = pickle.dumps(_run(connection, job), protocol=pickle.HIGHEST_PROTOCOL)
            if len(answer) > MAX_ANSWER_BYTES:
                reply: tuple[Any, ...] = ("error", "too_large", str(len(answer)), None, retire)
            else:
                reply = ("result", answer, retire)
        except BaseException as exc:  # everything becomes an answer, never a dead worker
            reply = _error_reply(exc)
            retire = retire or bool(reply[4])
            reply = (*reply[:4], retire)
        finally:
            if connection is not None:
                with contextlib.suppress(Exception):
                    connection.close()
        try:
            conn.send(reply)
        except (OSError, ValueError):
            break
        if retire:
            break
    database.close()


# -- the server side -----------------------------------------------------------------------


class _Worker:
    """One worker process (``python -m explorer.store.ladybug_console``) and the server's end
    of the socket pair it talks over."""

    def __init__(self, path: Path, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(theirs.fileno()), str(path),
                 str(memory_mb)],
                pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, close_fds=True)
        except OSError as exc:
            ours.close()
            raise StoreUnavailable(f"cannot start a console worker: {exc}") from None
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self._expect("ready", START_SECONDS, "start")

    def _expect(self, what: str, seconds: float, doing: str) -> None:
        if not self.conn.poll(seconds):
            self.kill()
            raise StoreUnavailable(f"a console worker did not {doing} within {seconds:.0f} s")
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise self._died() from None
        if message[0] == "error":
            self.kill()
            raise _as_error(message, 0)
        if message[0] != what:
            self.kill()
            raise StoreUnavailable(f"a console worker answered {message[0]!r}")

    def _died(self) -> EngineCrashed:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        code = self.process.returncode
        self.kill()
        how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
        if code is not None and code < 0:
            import signal

            with contextlib.suppress(ValueError):
                how = signal.Signals(-code).name
        return EngineCrashed(f"the embedded engine crashed while running this query ({how}); "
                             + _CRASH_HINT)

    def run(self, job: dict[str, Any]) -> Result:
        self.conn.send(job)
        self._expect("running", START_SECONDS, "open the database")
        limit_seconds = (job["timeout_ms"] + GRACE_MS) / 1000
        started = time.perf_counter()
        if not self.conn.poll(limit_seconds):
            self.kill()  # the engine did not stop by itself: stop it
            return Result([], [], timed_out=True,
                          elapsed_ms=(time.perf_counter() - started) * 1000)
        try:
            message = self.conn.recv()
        except (EOFError, OSError):
            raise self._died() from None
        if message[-1]:
            self.kill()  # the worker retires after this answer
        if message[0] == "result":
            answer = pickle.loads(message[1])  # from our own worker process
            return Result(answer["columns"], answer["rows"], truncated=answer["truncated"],
                          elapsed_ms=answer["elapsed_ms"])
        if message[1] == "timeout":
            return Result([], [], timed_out=True,
                          elapsed_ms=(time.perf_counter() - started) * 1000)
        raise _as_error(message, job["max_rows"])

    @property
    def alive(self) -> bool:
        return self.process.poll() is None and not self.conn.closed

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(2)
        self.kill()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)
        if not self.conn.closed:
            self.conn.close()


def _as_error(message: tuple[Any, ...], max_rows: int) -> QueryError | StoreUnavailable:
    _, kind, text, position, _ = message
    if kind == "refused":
        return RefusedQuery(text)
    if kind == "read_only":
        return ReadOnlyViolation()
    if kind == "timeout":
        return QueryTimeout()
    if kind == "unavailable":
        return StoreUnavailable(text)
    if kind == "memory":
        return TooExpensive("the query needs more memory than a console query may use "
                            "(setting console_memory_mb): narrow it down or aggregate")
    if kind == "too_large":
        return TooExpensive(f"the answer is too large to send ({int(text) // 2**20} MB for at "
                          f"most {max_rows} rows): return fewer or smaller values")
    return QueryError(text, position=position)


class ConsolePool:
    """Up to ``workers`` worker processes for one database file; a query waits for a free
    one for at most its own time limit."""

    def __init__(self, path: Path, *, workers: int = 2, memory_mb: int = 1024) -> None:
        self.path = path
        self.memory_mb = memory_mb
        self.workers = workers
        self._slots = threading.BoundedSemaphore(workers)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def run(self, text: str, params: Mapping[str, Any], *, timeout_ms: int,
            max_rows: int) -> Result:
        if not self._slots.acquire(timeout=timeout_ms / 1000):
            raise ConsoleBusy(f"all {self.workers} console workers are busy with other "
                              "queries; try again shortly (setting console_workers)")
        try:
            worker = self._take()
            job = {"text": text, "params": dict(params), "timeout_ms": timeout_ms,
                   "max_rows": max_rows}
            try:
                result = worker.run(job)
            finally:
                self._give_back(worker)
            return result
        finally:
            self._slots.release()

    def _take(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the database is closed")
            while self._idle:
                worker = self._idle.pop()
                if worker.alive:
                    return worker
        return _Worker(self.path, self.memory_mb)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.alive and not self._closed:
                self._idle.append(worker)
                return
        if worker.alive:
            worker.stop()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()


def main(argv: list[str]) -> None:
    """``python -m explorer.store.ladybug_console FD PATH MEMORY_MB``: serve the server on
    the socket FD it passed."""
    fd, path, memory_mb = argv
    worker_main(Connection(int(fd)), path, int(memory_mb))


if __name__ == "__main__":
    main(sys.argv[1:])
