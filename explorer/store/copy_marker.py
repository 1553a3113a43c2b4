"""A marker file beside an embedded database while a bulk copy fills it.

A bulk load copies its tables one transaction each (a transaction holds what it copies in
memory), so a process that dies between two of them (out of memory, killed, a crash of the
engine) would leave part of the load committed: people and papers without their co-author
links, served as if whole. The marker is written before the first table and removed after
the last, or once a failed copy has been undone; a database that has one is not opened.

The copying process holds an exclusive lock on the marker (``flock``) while it copies; the
kernel releases it when the process ends, however it ends. So a marker that nobody holds
was left by a load that stopped part way, whatever became of its process id (reused, or
another PID namespace, as in containers sharing a volume).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson

from .errors import StoreUnavailable


def marker_path(database: Path) -> Path:
    return database.with_name(database.name + ".bulk-copy")


@contextmanager
def copying(database: Path) -> Iterator[None]:
    """Mark ``database`` as being filled for the length of the block, holding the marker's
    lock. When the block fails the marker stays (unlocked): the caller undoes the copy, then
    calls :func:`undone`."""
    path = marker_path(database)
    partial = path.with_name(f"{path.name}.{os.getpid()}")
    with partial.open("wb") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)  # locked before it has its name: never unlocked
        marker.write(orjson.dumps({"pid": os.getpid(), "host": os.uname().nodename,
                                   "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}))
        marker.flush()
        os.replace(partial, path)
        yield
        undone(database)


def undone(database: Path) -> None:
    marker_path(database).unlink(missing_ok=True)


def refuse_unfinished_copy(database: Path) -> None:
    """Raise StoreUnavailable, saying why and what to do, when ``database`` must not be
    opened now: a bulk copy into it runs, or stopped part way. A marker without its database
    (deleted as the message says) is removed: a load writes one only into a database."""
    problem = _unfinished_copy(database)
    if problem:
        raise StoreUnavailable(problem)


def _unfinished_copy(database: Path) -> str | None:
    path = marker_path(database)
    try:
        marker = path.open("rb")
    except FileNotFoundError:
        return None
    with marker:
        if not database.exists():
            undone(database)
            return None
        try:
            fcntl.flock(marker, fcntl.LOCK_SH | fcntl.LOCK_NB)
            running = False
        except BlockingIOError:
            running = True
        try:
            about = orjson.loads(marker.read())
        except (OSError, orjson.JSONDecodeError):
            about = {}
    who = f"process {about.get('pid', '?')} on {about.get('host', '?')}"
    started = about.get("started", "at an unknown time")
    if running:
        return (f"a bulk load ({who}, started {started}) is copying its tables into "
                f"{database}: wait until it ends")
    return (f"the database {database} holds only part of a bulk load: the process copying "
            f"its tables ({who}, started {started}) stopped before the end, as when it runs "
            f"out of memory or is killed; delete the database ({database}, and the files "
            f"beside it named {database.name}.*) and load again")
