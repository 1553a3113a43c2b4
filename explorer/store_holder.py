"""The app's store: opened on first use, kept for the life of the app, and the same one for
the whole of a request."""

from __future__ import annotations

import threading
import time
from typing import Any

from flask import g, has_request_context

from .settings import Config
from .store import GraphStore, QueryError, StoreUnavailable, open_store

_REQUEST_STORE = "_coauthor_store"  # the request's store, in flask.g


class StoreHolder:
    """Opens the store on first use and keeps it for the life of the app (engines are
    thread-safe: LadybugDB hands each thread its own connection, the Neo4j driver pools).

    A store that cannot be opened (server down, database file locked) is not kept: for
    ``retry_seconds`` requests fail at once with the same reason, then the next one tries
    again, so the app recovers by itself when the database comes back.

    Within a request :meth:`get` answers the same store until the request ends
    (:meth:`release`, called when Flask tears the request down), so that a holder which
    replaces its store (:class:`explorer.following.FollowingStoreHolder`) knows which
    stores are in use and never closes one under a request."""

    retry_seconds = 1.0

    def __init__(self, config: Config) -> None:
        self.config = config
        self._store: GraphStore | None = None
        self._lock = threading.Lock()
        self._failed_at = 0.0
        self._failure = ""

    def get(self) -> GraphStore:
        """The store; within a request, the one the request started with."""
        if not has_request_context():
            with self._lock:
                return self._current()
        store = g.get(_REQUEST_STORE)
        if store is None:
            with self._lock:  # the first requests may arrive together
                store = self._current()
                self._lease(store)
            setattr(g, _REQUEST_STORE, store)
        return store

    def release(self) -> None:
        """The request is over: it no longer uses its store."""
        store = g.pop(_REQUEST_STORE, None)
        if store is not None:
            self._release(store)

    def status(self) -> dict[str, Any]:
        """What /readyz adds about how this holder keeps its store."""
        return {}

    def _current(self) -> GraphStore:
        """The store, opened if need be; called with the lock held."""
        if self._store is None:
            if self._failure and time.monotonic() - self._failed_at < self.retry_seconds:
                raise StoreUnavailable(self._failure)
            try:
                self._store = self._open()
            except StoreUnavailable as exc:
                self._failed_at, self._failure = time.monotonic(), str(exc)
                raise
            self._failure = ""
            self._opened(self._store)
        return self._store

    def _open(self) -> GraphStore:
        from .store.schema_check import missing_schema

        store = open_store(self.config)
        try:
            # Only what is missing: a reader-only Neo4j user (docs/console.md) may not create
            # a schema, and need not when the loaders have.
            try:
                missing = missing_schema(store)
            except QueryError:  # a user who may not list the schema: leave it to the loaders
                missing = []    # (/readyz says why it cannot check)
            if missing:
                store.init_schema()
        except BaseException:
            store.close()
            raise
        store.warm()
        return store

    def _opened(self, store: GraphStore) -> None:
        """Called (with the lock held) when a store has just been opened."""

    def _lease(self, store: GraphStore) -> None:
        """A request starts using ``store`` (called with the lock held)."""

    def _release(self, store: GraphStore) -> None:
        """A request stopped using ``store``."""

    def close(self) -> None:
        with self._lock:
            store, self._store = self._store, None
        if store is not None:
            store.close()
