"""The Flask application factory."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from flask import Flask, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from .errors import InvalidParameter, NotFound
from .graph import Graph
from .paths import resource_dir
from .settings import Config, load_config
from .store import QueryError, StoreUnavailable
from .store_holder import StoreHolder

__all__ = ["StoreHolder", "create_app", "get_graph"]


def get_graph() -> Graph:
    """The request's read API over the app's store."""
    from flask import current_app

    if "graph" not in g:
        g.graph = Graph(current_app.extensions["coauthor_store"].get())
    return g.graph


class IdConverter(PathConverter):
    """``<path:…>`` in the app's routes: an id, which may hold slashes (``doi:10.1/x``).
    Links built to it escape the slashes too, so no id can add path segments or ``..``
    to a link (the server decodes ``%2F`` before routing: the same route matches)."""

    def to_url(self, value: Any) -> str:
        return quote(str(value), safe="!$&'()*+,:;=@")


_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed",
           500: "The database could not answer",
           503: "The database is unavailable"}


UNAVAILABLE_LOG = logging.getLogger("explorer.unavailable")


def unavailable_message(exc: StoreUnavailable) -> str:
    """What a visitor is told when the database cannot be used: no paths, hosts or process
    ids (the answer may go to any site); the reason, with its fix, goes to the server log
    under the request's id."""
    request_id = g.get("request_id", "")
    UNAVAILABLE_LOG.warning("request %s: the database is unavailable: %s", request_id, exc,
                            extra={"request_id": request_id})
    return ("the database is unavailable just now (being loaded, restarted or unreachable); "
            f"try again shortly. The server log says why (request {request_id}).")


def _error(status: int, message: str, title: str | None = None) -> tuple[Any, int]:
    """JSON under /api/, an HTML page everywhere else; never a stack trace."""
    if request.path.startswith("/api/") or request.path == "/api":
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status,
                           title=title or _TITLES.get(status, "Error"),
                           message=message), status


def create_app(config: Config | None = None, *, store_holder: StoreHolder | None = None,
               **overrides: Any) -> Flask:
    """Build the app for a configuration (defaults, then environment, then overrides).
    ``store_holder`` keeps the store (by default a :class:`StoreHolder`, which opens it
    for reading and writing; gunicorn workers sharing a LadybugDB file pass an
    :class:`explorer.following.FollowingStoreHolder`)."""
    config = config or load_config(overrides)
    app = Flask(__name__, static_folder=str(resource_dir("static")), static_url_path="/static")
    app.url_map.converters["path"] = IdConverter  # the routes below; static keeps its own
    app.config["EXPLORER"] = config
    app.json.sort_keys = False
    app.extensions["coauthor_store"] = store_holder or StoreHolder(config)

    @app.teardown_request
    def release_store(exc: BaseException | None) -> None:
        app.extensions["coauthor_store"].release()

    from .logs import log_requests
    from .origins import install_origin_policy
    from .views import (
        analytics,
        api,
        assets,
        console,
        embed,
        export,
        health,
        openapi,
        pages,
        queries,
    )

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(assets.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(analytics.bp)
    app.register_blueprint(embed.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(console.bp)
    app.register_blueprint(queries.bp)
    app.register_blueprint(openapi.bp)
    log_requests(app)
    install_origin_policy(app)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[Any, int]:
        return _error(404, f"nothing has the id {exc.args[0]!r}")

    @app.errorhandler(InvalidParameter)
    def bad_request(exc: InvalidParameter) -> tuple[Any, int]:
        return _error(400, str(exc))

    @app.errorhandler(StoreUnavailable)
    def unavailable(exc: StoreUnavailable) -> tuple[Any, int, dict[str, str]]:
        response, status = _error(503, unavailable_message(exc))
        return response, status, {"Retry-After": "5"}

    @app.errorhandler(QueryError)
    def query_failed(exc: QueryError) -> tuple[Any, int]:
        return _error(500, f"the database could not answer: {exc}")

    @app.errorhandler(404)
    def no_route(exc: Exception) -> tuple[Any, int]:
        return _error(404, "no such page")

    @app.errorhandler(405)
    def wrong_method(exc: Exception) -> tuple[Any, int]:
        return _error(405, f"{request.method} is not allowed here")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> tuple[Any, int]:
        """Any other HTTP error (a malformed body, a request too large…), in the same
        shape as the rest."""
        return _error(exc.code or 500, exc.description or exc.name)

    @app.errorhandler(500)
    def internal(exc: Exception) -> tuple[Any, int]:
        return _error(500, "something went wrong on our side; the error is in the server log",
                      "Something went wrong")

    return app
