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

from .author_index import AuthorIndex

if TYPE_CHECKING:
    from .base import GraphStore

log = logging.getLogger(__name__)

BUILD_AT_ONCE_BELOW = 100_000  # authors: built in about a second, so the first use waits


class Accelerator:
    """The author index of one store, built at most once per version of the graph."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._index: AuthorIndex | None = None
        self._version = -1  # the engine's write count the index was built at
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self._failed = False

    def index(self, *, wait: bool = False) -> AuthorIndex | None:
        """The index if it is ready; otherwise start building it (once) and return None,
        or wait for it with ``wait`` or when the graph is small (so that a small graph
        always answers from the index, and the same way)."""
        if self._index is not None and self._version == self.store.engine.version:
            return self._index
        self.warm()
        if not wait and not self._failed:
            rows = self.store.engine.read(self.store.queries["index_author_count"].text, {})
            wait = rows.rows[0][0] < BUILD_AT_ONCE_BELOW
        if wait and self._builder is not None:
            self._builder.join()
        return self._index

    def warm(self) -> None:
        """Start building the index in the background unless it is built or building."""
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

    def close(self) -> None:
        """Wait for a build in progress (it reads through the store being closed), then
        let the index go (a server that reopens its database frees the old one at once)."""
        self.wait()
        with self._lock:
            self._index, self._version = None, -1

    def _build(self, version: int) -> None:
        started = time.perf_counter()
        try:
            index = AuthorIndex.read(lambda name: self.store.engine.read_arrow(
                self.store.queries[name].text, {}))
        except Exception:  # the named queries keep answering; say why once
            log.exception("building the author index failed; search and paths use Cypher")
            with self._lock:
                self._failed, self._version = True, version
            return
        with self._lock:
            current = version == self.store.engine.version
            if current:
                self._index, self._version = index, version
        # Arrow keeps what the build's tables freed (~0.5 GB at 10M authorships) for reuse.
        pa.default_memory_pool().release_unused()
        log.info("%s the author index: %d authors, %d co-author links, %d paper titles "
                 "in %.1f s",
                 "built" if current else "discarded (the graph was written meanwhile)",
                 len(index.ids), len(index.link_rows) // 2,
                 len(index.papers.ids) if index.papers is not None else 0,
                 time.perf_counter() - started)
