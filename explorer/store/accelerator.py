"""Keeps the in-memory author index of an embedded store: built in the background from
named queries, used once ready, dropped when the graph is written.

Until the index is ready (or on engines that answer these questions quickly themselves,
such as Neo4j with its text index and bidirectional shortestPath), GraphStore runs the
named Cypher queries; both give the same answers.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING

import pyarrow as pa

from . import index_files
from .author_index import AuthorIndex

if TYPE_CHECKING:
    from .base import GraphStore

log = logging.getLogger(__name__)

BUILD_AT_ONCE_BELOW = 100_000  # authors: built in about a second, so the first use waits
# How long a build waits for another process's build of the same file to be saved (about a
# minute at 10M authorships) before it builds its own.
LOCK_WAIT_SECONDS = 600.0
SMALL_GRAPH_WAIT_SECONDS = 10.0  # a request on a small graph waits this long at most
BUILT = "built the author index"  # how an index came when it is neither mapped nor saved


class Accelerator:
    """The author index of one store, built at most once per version of the graph."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._index: AuthorIndex | None = None
        self._version = -1  # the engine's write count the index was built at
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self._failed = False
        self._closing = threading.Event()  # set by close: stop waiting for another process
        self.how = ""  # how the current index came: BUILT, "mapped ..."
        self._waited_for: threading.Thread | None = None  # a build a request gave up on

    def index(self, *, wait: bool = False) -> AuthorIndex | None:
        """The index if it is ready; otherwise start building it (once) and return None,
        or wait for it with ``wait`` or when the graph is small (so that a small graph
        answers from the index, and the same way; a request waits SMALL_GRAPH_WAIT_SECONDS
        at most, in case the build waits for another process's)."""
        if self._index is not None and self._version == self.store.engine.version:
            return self._index
        self.warm()
        explicit = wait
        if not wait and not self._failed:
            rows = self.store.engine.read(self.store.queries["index_author_count"].text, {})
            wait = rows.rows[0][0] < BUILD_AT_ONCE_BELOW
        builder = self._builder
        if wait and builder is not None:
            if explicit:
                builder.join()
            elif builder is not self._waited_for:  # each request need not wait again
                builder.join(SMALL_GRAPH_WAIT_SECONDS)
                if builder.is_alive():
                    self._waited_for = builder
        return self._index if self._version == self.store.engine.version else None

    def warm(self) -> None:
        """Start building the index in the background unless it is built or building (or
        the store is being closed)."""
        if self._closing.is_set():
            return
        with self._lock:
            version = self.store.engine.version
            if self._version != version:
                self._index, self._failed = None, False
            if self._index is not None or self._failed or (
                    self._builder is not None and self._builder.is_alive()):
                return
            self._builder = threading.Thread(target=self._build, args=(version,),
                                             name="author-index", daemon=True)
            self._builder.start()

    def state(self) -> str:
        """``ready``, ``building``, ``failed`` or ``not built``, for /readyz."""
        if self._index is not None and self._version == self.store.engine.version:
            return "ready"
        if self._builder is not None and self._builder.is_alive():
            return "building"
        return "failed" if self._failed else "not built"

    def wait(self) -> None:
        """Wait for a build in progress, if any."""
        builder = self._builder
        if builder is not None:
            builder.join()

    def stop_waiting(self) -> None:
        """Give up a build that waits for another process's (the store is being closed):
        it ends without an index, and no other starts."""
        self._closing.set()

    def close(self) -> None:
        """Wait for a build in progress (it reads through the store being closed), then
        let the index go (a server that reopens its database frees the old one at once)."""
        self.stop_waiting()
        self.wait()
        with self._lock:
            self._index, self._version = None, -1

    def _build(self, version: int) -> None:
        started = time.perf_counter()
        try:
            index, how = self._saved_or_read()
        except _Closing:
            return
        except Exception:  # the named queries keep answering; say why once
            log.exception("building the author index failed; search and paths use Cypher")
            with self._lock:
                self._failed, self._version = True, version
            return
        with self._lock:
            current = version == self.store.engine.version
            if current:
                self._index, self._version, self.how = index, version, how
        # Arrow keeps what the build's tables freed (~0.5 GB at 10M authorships) for reuse.
        pa.default_memory_pool().release_unused()
        log.info("%s: %d authors, %d co-author links, %d paper titles in %.1f s",
                 how if current else "discarded the author index (the graph was written "
                 "meanwhile)",
                 len(index.ids), len(index.link_rows) // 2,
                 len(index.papers.ids) if index.papers is not None else 0,
                 time.perf_counter() - started)

    def _saved_or_read(self) -> tuple[AuthorIndex, str]:
        """The index saved for what the store reads (explorer.store.index_files), else read
        from the graph, and saved when the store is read-only: a read-write store's close
        changes the file (its checkpoint), so what it saved would not be used again. One
        process builds at a time; the others wait for its save, up to LOCK_WAIT_SECONDS,
        unless saving this state failed lately (then each builds its own at once)."""
        engine = self.store.engine
        marks = engine.content_marks()
        if engine.path is None or marks is None:
            return self._read(), BUILT
        saves = engine.read_only
        if saves and index_files.save_failed_recently(engine.path, marks):
            return self._read(), BUILT
        with index_files.exclusive(engine.path, self._closing, wait_seconds=LOCK_WAIT_SECONDS,
                                   create=saves) as locked:
            if self._closing.is_set():  # stopped waiting for another process's build
                raise _Closing
            index = index_files.load(engine.path, marks) if locked else None
            if index is not None:
                return index, "mapped the saved author index"
            if locked and saves and index_files.can_save(engine.path) and \
                    not index_files.save_failed_recently(engine.path, marks):
                index = self._read()
                if index_files.save(engine.path, marks, index):
                    # Serve the saved copy: its pages are shared with the other workers,
                    # and the memory of the build is given back.
                    return index_files.load(engine.path, marks) or index, \
                        "built and saved the author index"
                return index, BUILT
        return self._read(), BUILT  # without holding others up

    def _read(self) -> AuthorIndex:
        return AuthorIndex.read(lambda name: self.store.engine.read_arrow(
            self.store.queries[name].text, {}))


class _Closing(Exception):
    """The store closed while its build waited for another process's."""
