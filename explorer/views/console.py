"""The Cypher console: the ``/cypher`` page and ``/api/cypher``, which runs one read-only
statement (JSON body, form or query string) and answers JSON or CSV. ``coauthor-explorer
query`` runs the same :func:`explorer.console.run.run_console`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request
from werkzeug.wrappers import Response

from ..console.problems import problem
from ..console.run import ConsoleAnswer, ConsoleRequest, run_console
from ..errors import InvalidParameter
from ..store import QueryError
from ..store.errors import ConsoleBusy
from .formats import attachment, csv_response, json_response, requested_format

bp = Blueprint("console", __name__)


def store() -> Any:
    return current_app.extensions["coauthor_store"].get()


def stored_queries() -> Any:
    return current_app.extensions["coauthor_stored_queries"]


def result_headers(answer: ConsoleAnswer) -> dict[str, str]:
    """What cut the result short, for clients that read headers (CSV has no room for it)."""
    return {"X-Result-Truncated": str(answer.result.truncated).lower(),
            "X-Result-Timed-Out": str(answer.result.timed_out).lower(),
            "X-Row-Count": str(len(answer.result.rows)), "Cache-Control": "no-store"}


def respond(answer: ConsoleAnswer, fmt: str, filename: str, *,
            download: object = None) -> Response:
    """The answer as JSON (with the result as a graph) or as a CSV download; JSON is a
    download too when the request says ``download=1`` (``download``: what a JSON body
    said, else the query string or form)."""
    headers = result_headers(answer)
    if fmt == "csv":
        return csv_response((answer.result.columns, answer.result.rows), filename,
                            headers=headers)
    if download is None:
        download = request.values.get("download")
    if str(download).lower() in ("1", "true"):
        headers["Content-Disposition"] = attachment(filename, "json")
    return json_response(answer.payload(), headers=headers)


@bp.get("/cypher")
def page() -> str:
    """The console; ``?query=…&params={…}`` fills it in (and runs it) from a permalink."""
    timeout, rows = store().console_limits()
    return render_template("console.html", timeout_ms=timeout, max_rows=rows,
                           engine=store().engine_name, stored=stored_queries().all())


def _console_request() -> tuple[ConsoleRequest, str, object]:
    if request.method == "POST" and request.is_json:
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise InvalidParameter('send a JSON object {"query": "…", "params": {…}}')
    elif request.method == "POST":
        data = request.form.to_dict()
    else:
        data = request.args.to_dict()
    fmt = requested_format() if "format" in request.args else \
        str(data.get("format") or "json").lower()
    if fmt not in ("json", "csv"):
        raise InvalidParameter("format must be one of json, csv")
    return ConsoleRequest.from_mapping(data), fmt, data.get("download")


@bp.route("/api/cypher", methods=["GET", "POST"])
def run() -> Response:
    """Run one read-only statement: ``{"query", "params", "timeout_ms", "max_rows"}`` as a
    JSON body, a form or the query string; ``format=csv`` downloads the rows."""
    console_request, fmt, download = _console_request()
    return respond(run_console(store(), console_request), fmt, "query", download=download)


def query_problem(error: QueryError, text: str) -> tuple[Response, int]:
    body = problem(error, text)
    return json_response({"error": body}, status=body["status"]), body["status"]


@bp.errorhandler(QueryError)
def failed(error: QueryError) -> tuple[Response, int]:
    """An engine or guard error on the analyst's query: a 4xx with its kind and position."""
    data = request.get_json(silent=True) if request.is_json else None
    text = (data or {}).get("query") if isinstance(data, dict) else None
    text = text or request.values.get("query", "")
    return query_problem(error, str(text))


@bp.errorhandler(ConsoleBusy)
def busy(error: ConsoleBusy) -> Response:
    return json_response({"error": {"status": 503, "kind": "busy", "message": str(error)}},
                         status=503, headers={"Retry-After": "2"})
