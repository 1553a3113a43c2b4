"""Probes for orchestrators: ``/healthz`` (the process answers) and ``/readyz`` (the database
answers and has the schema). Always JSON; never cached."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from werkzeug.wrappers import Response

from ..store import QueryError, StoreUnavailable
from ..store.schema_check import missing_schema

bp = Blueprint("health", __name__)


def _probe(code: int, **body: object) -> tuple[Response, int, dict[str, str]]:
    return jsonify(body), code, {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz() -> tuple[Response, int, dict[str, str]]:
    """The process is up and serving; says nothing about the database."""
    return _probe(200, status="ok")


@bp.get("/readyz")
def readyz() -> tuple[Response, int, dict[str, str]]:
    """Ready when the store opens, answers a query and has every table, constraint, index
    and column that ``schema.cypher`` creates; 503 with the reason otherwise. Read-only workers
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

