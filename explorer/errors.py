"""The errors the read side raises for a user's request: an unknown id (404) and a bad
parameter (400). Anything else that escapes a view is a server error (500)."""

from __future__ import annotations


class NotFound(LookupError):
    """No entity has that id."""


class InvalidParameter(ValueError):
    """A request parameter that cannot be used; the message says which and why."""
