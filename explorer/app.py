"""The Flask application factory."""

from __future__ import annotations

import threading
from typing import Any

from flask import Flask, g, jsonify, render_template, request

from .graph import Graph, NotFound
from .paths import resource_dir
from .settings import Config, load_config
from .store import GraphStore, QueryError, StoreUnavailable, open_store


class StoreHolder:
    """Opens the store on first use and keeps it for the life of the app (engines are
    thread-safe: LadybugDB hands each thread its own connection, the Neo4j driver pools)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._store: GraphStore | None = None
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        with self._lock:  # the first requests may arrive together
            if self._store is None:
                store = open_store(self.config)
                store.init_schema()
                self._store = store
            return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def get_graph() -> Graph:
    """The request's read API over the app's store."""
    from flask import current_app

    if "graph" not in g:
        g.graph = Graph(current_app.extensions["coauthor_store"].get())
    return g.graph


_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed",
           500: "The database could not answer",
           503: "The database is unavailable"}


def _error(status: int, message: str, title: str | None = None) -> tuple[Any, int]:
    """JSON under /api/, an HTML page everywhere else; never a stack trace."""
    if request.path.startswith("/api/") or request.path == "/api":
        return jsonify({"error": {"status": status, "message": message}}), status
    return render_template("error.html", status=status,
                           title=title or _TITLES.get(status, "Error"),
                           message=message), status


def create_app(config: Config | None = None, **overrides: Any) -> Flask:
    """Build the app for a configuration (defaults, then environment, then overrides)."""
    config = config or load_config(overrides)
    app = Flask(__name__, static_folder=str(resource_dir("static")), static_url_path="/static")
    app.config["EXPLORER"] = config
    app.json.sort_keys = False
    app.extensions["coauthor_store"] = StoreHolder(config)

    from .views import api, assets, pages

    app.register_blueprint(api.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(assets.bp)

    @app.errorhandler(NotFound)
    def not_found(exc: NotFound) -> tuple[Any, int]:
        return _error(404, f"nothing has the id {exc.args[0]!r}")

    @app.errorhandler(ValueError)
    def bad_request(exc: ValueError) -> tuple[Any, int]:
        return _error(400, str(exc))

    @app.errorhandler(StoreUnavailable)
    def unavailable(exc: StoreUnavailable) -> tuple[Any, int]:
        return _error(503, f"the database is unavailable: {exc}")

    @app.errorhandler(QueryError)
    def query_failed(exc: QueryError) -> tuple[Any, int]:
        return _error(500, f"the database could not answer: {exc}")

    @app.errorhandler(404)
    def no_route(exc: Exception) -> tuple[Any, int]:
        return _error(404, "no such page")

    @app.errorhandler(405)
    def wrong_method(exc: Exception) -> tuple[Any, int]:
        return _error(405, f"{request.method} is not allowed here")

    @app.errorhandler(500)
    def internal(exc: Exception) -> tuple[Any, int]:
        app.logger.exception("unexpected error on %s", request.path)
        return _error(500, "something went wrong on our side; the error is in the server log",
                      "Something went wrong")

    return app
