"""Stored queries: ``/queries`` lists them, ``/queries/<name>`` shows one with a form for its
parameters, ``/api/queries`` lists them as data and ``/api/queries/<name>?param=…`` runs one
(``format=csv`` or a ``.csv``/``.json`` suffix for the format)."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.blueprints import BlueprintSetupState
from werkzeug.wrappers import Response

from ..console.run import limit_value, run_console
from ..console.stored import StoredQueries, UnknownQuery
from ..errors import InvalidParameter
from ..store import QueryError
from ..store.errors import ConsoleBusy
from .console import busy, query_problem, respond, store, stored_queries
from .formats import answer, json_response, requested_format

bp = Blueprint("queries", __name__)


@bp.record_once
def _load(state: BlueprintSetupState) -> None:
    """Read the stored queries once, when the app is built: a bad operator file stops the
    app with a message naming it."""
    config = state.app.config["EXPLORER"]
    state.app.extensions["coauthor_stored_queries"] = StoredQueries(
        config.engine, config.stored_queries_dir)


@bp.get("/queries")
def index() -> str:
    return render_template("queries.html", queries=stored_queries().all())


@bp.get("/queries/<path:name>")
def page(name: str) -> str:
    query = stored_queries()[name]
    timeout, rows = store().console_limits()
    return render_template("query.html", query=query, timeout_ms=timeout, max_rows=rows)


@bp.get("/api/queries")
def listing() -> Response:
    """Every stored query with its description and parameters."""
    summaries = [q.summary() for q in stored_queries().all()]
    return answer(summaries, filename="queries")


def _name_and_format(name: str) -> tuple[str, str]:
    for suffix in ("csv", "json"):
        if name.endswith("." + suffix) and name[:-len(suffix) - 1] in _names():
            if request.args.get("format", suffix) != suffix:
                raise InvalidParameter(f"the .{suffix} suffix and format= disagree")
            return name[:-len(suffix) - 1], suffix
    return name, requested_format()


def _names() -> set[str]:
    return {q.name for q in stored_queries().all()}


@bp.get("/api/queries/<path:name>")
def run(name: str) -> Response:
    """Run a stored query: its parameters from the query string, typed by its @param
    lines; ``timeout_ms`` and ``max_rows`` may lower the limits."""
    name, fmt = _name_and_format(name)
    query = stored_queries()[name]
    given = {key: request.args.getlist(key) for key in request.args}
    console_request = query.request(
        given, timeout_ms=limit_value(request.args, "timeout_ms"),
        max_rows=limit_value(request.args, "max_rows"))
    return respond(run_console(store(), console_request), fmt, name.replace("/", "-"))


@bp.errorhandler(QueryError)
def failed(error: QueryError) -> tuple[Response, int]:
    name = (request.view_args or {}).get("name", "")
    try:
        text = stored_queries()[_name_and_format(name)[0]].named.text
    except (UnknownQuery, InvalidParameter):  # the position is a courtesy
        text = ""
    return query_problem(error, text)


@bp.errorhandler(UnknownQuery)
def unknown(error: UnknownQuery) -> Response | tuple[str, int]:
    message = f"no stored query is named {error.args[0]!r}; see /api/queries"
    if request.path.startswith("/api/"):
        return json_response({"error": {"status": 404, "message": message}}, status=404)
    return render_template("error.html", status=404, title="Not found", message=message), 404


bp.register_error_handler(ConsoleBusy, busy)
