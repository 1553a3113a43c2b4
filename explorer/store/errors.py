"""Store errors with messages meant for people: what failed and how to fix it."""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or opened (server down, wrong password, locked directory)."""


class QueryError(StoreError):
    """The engine rejected a query (syntax, semantics); carries its message and position."""

    def __init__(self, message: str, *, position: str | None = None) -> None:
        super().__init__(message)
        self.position = position


class ReadOnlyViolation(QueryError):
    """A read-only query tried to write."""

    def __init__(self, message: str = "the query tries to write, and this connection is "
                 "read-only: writes, schema changes and imports are refused") -> None:
        super().__init__(message)


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""

    def __init__(self, message: str = "the query was stopped at its time limit") -> None:
        super().__init__(message)


class TransientFailure(QueryError):
    """The engine gave a transaction up for a passing reason (a deadlock, a cluster's leader
    changing): run again, the same transaction may succeed."""


class EngineCrashed(QueryError):
    """The engine's process died while running an analyst query (the server's did not)."""


class TooExpensive(QueryError):
    """An analyst query needs more memory, or answers more bytes, than it may."""


class ConsoleBusy(StoreUnavailable):
    """Every worker that runs analyst queries is busy with another one."""
