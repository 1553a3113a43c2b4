"""A read-only store that follows its database file, for production workers that share one
LadybugDB file.

Several gunicorn worker processes cannot all open a LadybugDB file for writing, but each can
open it read-only, beside a writer in another process (a ``coauthor-explorer load``). A
read-only open does not see writes made after it opened, so each worker watches the file's
marks (:mod:`explorer.store.file_marks`): when they have changed and then stayed the same
for one check and were last written at least 2 s before (so not in the middle of a burst of
writes, and the marks name the content: file_marks.settled; a load that pauses longer than
that between its transactions can still be taken up half-way, and then again), a background
thread opens the file afresh and builds the new store's author index while requests keep
being answered from the old one; then the new store takes over. The old store is closed
once the last request that started with it has finished.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import threading
import time
from pathlib import Path
from typing import Any

from .settings import Config
from .store import GraphStore, StoreUnavailable, open_store
from .store.file_marks import SETTLE_SECONDS, Marks, file_marks, settled
from .store_holder import StoreHolder

log = logging.getLogger("explorer.following")


class FollowingStoreHolder(StoreHolder):
    """Opens the LadybugDB file read-only, checks its marks every ``reopen_check_seconds``
    (setting) and swaps in a freshly opened, indexed store when they have changed."""

    def __init__(self, config: Config) -> None:
        if config.engine != "ladybug":
            raise ValueError("only an embedded LadybugDB file is followed")
        super().__init__(config)
        self.path = Path(config.db_path).expanduser()
        self.check_seconds: float = config.reopen_check_seconds
        self._marks: Marks = ()  # of the files when the current store was opened
        self._users: dict[int, int] = {}  # id(store) -> requests using it
        self._retired: dict[int, GraphStore] = {}  # replaced, still in use
        self._problem = ""  # why the last reopen failed, until one succeeds
        self._stopped = threading.Event()
        self._watcher: threading.Thread | None = None
        self.reopened = 0  # stores swapped in since the first
        self._opening: GraphStore | None = None  # being opened and indexed by a reopen

    # -- the store -------------------------------------------------------------------------

    def _open(self) -> GraphStore:
        self._marks = file_marks(self.path)  # before opening: a change meanwhile is seen
        store = self._open_read_only()
        store.warm()
        return store

    def _open_read_only(self) -> GraphStore:
        return open_store(self.config, read_only=True)

    def _opened(self, store: GraphStore) -> None:
        if self._watcher is None:
            self._watcher = threading.Thread(target=self._watch, name="database-follower",
                                             daemon=True)
            self._watcher.start()

    def _lease(self, store: GraphStore) -> None:
        self._users[id(store)] = self._users.get(id(store), 0) + 1

    def _release(self, store: GraphStore) -> None:
        with self._lock:
            users = self._users.pop(id(store), 0) - 1
            if users > 0:
                self._users[id(store)] = users
                return
            finished = self._retired.pop(id(store), None)
        if finished is not None:  # closing and trimming take time: not in this request's
            threading.Thread(target=_close, args=(finished,), name="close-old-store",
                             daemon=True).start()

    def status(self) -> dict[str, Any]:
        """``data``: ``current`` (the store was opened at the files' present state),
        ``reopening`` (they changed: the new state is being opened and indexed, answers come
        from the previous one meanwhile) or ``stale`` (reopening failed; ``data_problem``
        says why; answers come from the previous state and it is tried again)."""
        if file_marks(self.path) == self._marks:
            return {"data": "current"}
        if self._problem:
            return {"data": "stale", "data_problem": self._problem}
        return {"data": "reopening"}

    # -- following the file ----------------------------------------------------------------

    def _watch(self) -> None:
        """Every check: reopen once the files have changed and stayed the same for one
        check, and were last written long enough ago for their marks to name their content
        (file_marks.settled), so that the new store's author index can be saved and shared
        with the other workers."""
        seen, seen_since = self._marks, time.monotonic()
        while not self._stopped.wait(self.check_seconds):
            marks = file_marks(self.path)
            if marks == self._marks:
                seen, self._problem = marks, ""  # (a file moved away and back)
                continue
            if marks != seen:
                seen, seen_since = marks, time.monotonic()  # still changing: wait until it
                continue  # stays the same
            if not settled(marks, time.time()) and \
                    time.monotonic() - seen_since < SETTLE_SECONDS:  # (a clock ahead)
                continue
            try:
                self._reopen(marks)
            except Exception:  # the old store keeps answering; say why and try again
                log.exception("reopening the database failed")
                self._problem = "reopening the database failed (see the server log)"

    def _reopen(self, marks: Marks) -> None:
        current = self._store
        if current is not None and current.accelerator:
            current.accelerator.wait()  # one index build at a time in this process
        try:
            fresh = self._open_read_only()
        except StoreUnavailable as exc:
            if self._problem != str(exc):
                log.warning("the database changed but cannot be reopened: %s; answering "
                            "from its previous state meanwhile", exc)
            self._problem = str(exc)
            return
        self._opening = fresh  # close() stops its index's wait for another process
        try:
            if self._stopped.is_set() and fresh.accelerator:
                fresh.accelerator.stop_waiting()
            if fresh.accelerator:  # built before it answers: no slow minute of Cypher
                fresh.accelerator.index(wait=True)
        except BaseException:
            fresh.close()
            raise
        finally:
            self._opening = None
        with self._lock:
            if self._stopped.is_set():
                old = fresh
            else:
                old, self._store, self._marks = self._store, fresh, marks
                self._problem, self._failure = "", ""
                self.reopened += 1
                if old is not None and self._users.get(id(old)):
                    self._retired[id(old)] = old  # closed by its last request
                    old = None
            swapped = old is not fresh
        if swapped:
            log.info("reopened the database, which another process changed")
        if old is not None:
            _close(old)

    def close(self) -> None:
        """Stop following; close every store (the worker is exiting: requests are over)."""
        self._stopped.set()
        opening = self._opening
        if opening is not None and opening.accelerator:
            opening.accelerator.stop_waiting()
        with self._lock:
            stores = [self._store, *self._retired.values()]
            self._store, self._retired = None, {}
            self._users.clear()
        for store in stores:
            if store is not None:
                store.close()


def _close(store: GraphStore) -> None:
    """Close a store that was replaced, and hand the memory its author index held back to
    the system: glibc keeps freed memory for reuse, so a worker would otherwise stay at
    twice its size after a reopen (measured: ~0.5 GB -> ~0.9 GB at 1M authorships)."""
    store.close()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    log.info("closed the previous state of the database")
