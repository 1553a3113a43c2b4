"""A marker file beside an embedded database while a bulk copy fills it.

A bulk load copies its tables one transaction each (a transaction holds what it copies in
memory), so a process that dies between two of them (out of memory, killed, a crash of the
engine) would leave part of the load committed: people and papers without their co-author
links, served as if whole. The marker is written before the first table and removed after
the last, or once a failed copy has been undone; a database that has one is not opened.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import orjson


def marker_path(database: Path) -> Path:
    return database.with_name(database.name + ".bulk-copy")


@contextmanager
def copying(database: Path) -> Iterator[None]:
    """Mark ``database`` as being filled for the length of the block. When the block fails
    the marker stays: the caller undoes the copy, then calls :func:`undone`."""
    marker_path(database).write_bytes(orjson.dumps({
        "pid": os.getpid(), "started": time.strftime("%Y-%m-%d %H:%M:%S %Z")}))
    yield
    undone(database)


def undone(database: Path) -> None:
    marker_path(database).unlink(missing_ok=True)


def unfinished_copy(database: Path) -> str | None:
    """Why ``database`` must not be opened now (a bulk copy into it runs, or stopped part
    way), with what to do; None when no copy is under way."""
    try:
        marker = orjson.loads(marker_path(database).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, orjson.JSONDecodeError):
        marker = {}
    pid, started = marker.get("pid"), marker.get("started", "at an unknown time")
    remedy = (f"delete the database ({database}, and any {database.name}.* file beside it) "
              "and load again")
    if isinstance(pid, int) and pid != os.getpid() and _running(pid):
        return (f"a bulk load (process {pid}, started {started}) is copying its tables into "
                f"{database}: wait until it ends (if no load runs any more, {remedy})")
    return (f"the database {database} holds only part of a bulk load: the process copying "
            f"its tables (started {started}) stopped before the end, as when it runs out of "
            f"memory or is killed; {remedy}")


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True
