"""Probes for orchestrators: ``/healthz`` (the process answers) and ``/readyz`` (the database
answers and has the schema). Always JSON; never cached."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from ..store import GraphStore, QueryError, StoreUnavailable

bp = Blueprint("health", __name__)

_SCHEMA_OBJECT = re.compile(
    r"^CREATE\s+(?:NODE\s+TABLE|REL\s+TABLE|CONSTRAINT|(?:\w+\s+)?INDEX)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
_ADDED_COLUMN = re.compile(r"^ALTER\s+TABLE\s+(\w+)\s+ADD\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
                           re.IGNORECASE)


def _probe(code: int, **body: object) -> tuple[Response, int, dict[str, str]]:
    return jsonify(body), code, {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> tuple[Response, int, dict[str, str]]:
    """The process is up and serving; says nothing about the database."""
    return _probe(200, status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int, dict[str, str]]:
    """Ready when the store opens, answers a query and has every table, constraint and
    index that ``schema.cypher`` creates; 503 with the reason otherwise. Read-only workers
    that follow a LadybugDB file also say whether they answer from its present state
    (``data``, see :meth:`explorer.following.FollowingStoreHolder.status`)."""
    holder = current_app.extensions["coauthor_store"]
    try:
        store = holder.get()
        missing = missing_schema(store)
    except StoreUnavailable as exc:
        return _probe(503, status="unavailable", reason=f"the database is unavailable: {exc}")
    except QueryError as exc:  # say why rather than answer 500 to the orchestrator
        return _probe(503, status="unchecked", reason=f"the schema could not be listed: {exc}")
    if missing:
        return _probe(503, status="schema missing", missing=missing,
                      reason="create it with `coauthor-explorer init`")
    extra = {}
    if store.accelerator:  # ready without it: searches and paths use Cypher meanwhile
        extra["author_index"] = store.accelerator.state()
    extra.update(holder.status())
    return _probe(200, status="ready", engine=store.engine_name, **extra)


WRITERS_ONLY = frozenset({"write_lock_id"})
"""Schema objects only writers use (Neo4j's WriteLock constraint): the loads create them,
and an app whose Neo4j user may only read must not try to."""


def missing_schema(store: GraphStore) -> list[str]:
    """Names that ``schema.cypher`` creates, that readers need, and that the database does
    not have: tables, constraints and indexes, and (``Table.column``) the columns that a
    database made by an older version lacks."""
    statements = store.queries["schema"].statements()
    expected = {match[1] for statement in statements
                if (match := _SCHEMA_OBJECT.match(statement))} - WRITERS_ONLY
    present = {row["name"] for row in store.query("schema_objects")}
    missing = expected - present
    added: dict[str, set[str]] = {}
    for statement in statements:
        if (match := _ADDED_COLUMN.match(statement)) and match[1] in present:
            added.setdefault(match[1], set()).add(match[2])
    for table, columns in added.items():
        missing |= {f"{table}.{name}" for name in columns - store.engine.table_columns(table)}
    return sorted(missing)
