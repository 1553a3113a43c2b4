"""The production server: gunicorn serving the Flask app, configured from the settings.

Workers are processes with request threads (gunicorn's ``gthread``). The embedded engine
runs one worker process: a LadybugDB file is written by one process, and a read-only open
in another process does not see writes made after it opened, so more processes would serve
stale data. Neo4j takes any number of workers. SIGTERM stops gracefully: no new connections,
running requests get ``graceful_timeout`` seconds, then each worker closes its store.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from .app import create_app
from .logs import logging_config
from .settings import Config, SettingError
from .store import StoreUnavailable

log = logging.getLogger("explorer.server")


def gunicorn_options(config: Config) -> dict[str, Any]:
    """gunicorn's settings for a configuration; SettingError for a combination that cannot
    work."""
    if config.engine == "ladybug" and config.workers > 1:
        raise SettingError(
            f"setting workers has the value {config.workers}: the embedded LadybugDB engine "
            "serves from one worker process (its file has one writer, and other processes "
            "would not see new data); raise threads (COAUTHOR_EXPLORER_THREADS) instead, or "
            "use Neo4j (NEO4J_URI)")
    return {
        "bind": [config.bind],
        "workers": config.workers,
        "worker_class": "gthread",
        "threads": config.threads,
        "graceful_timeout": config.graceful_timeout,
        "keepalive": 5,
        "proc_name": "coauthor-explorer",
        "accesslog": None,
        "errorlog": "-",
        "loglevel": config.log_level,
        "logconfig_dict": logging_config(config),
        "post_worker_init": _open_store_early,
        "worker_exit": _close_store,
        "control_socket_disable": True,  # gunicorn 25+: no runtime control socket needed
    }


class ProductionServer(BaseApplication):
    """gunicorn's arbiter and workers, each worker building its own app after the fork."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.options = gunicorn_options(config)
        super().__init__(prog="coauthor-explorer gunicorn")

    def load_config(self) -> None:
        assert self.cfg is not None
        for name, value in self.options.items():
            if name in self.cfg.settings:  # settings newer than the installed gunicorn
                self.cfg.set(name, value)

    def load(self) -> Flask:
        return create_app(self.config)


def _store_holder(worker: Any) -> Any:
    app = getattr(worker, "wsgi", None)  # the worker's app, once it has loaded one
    return app.extensions["coauthor_store"] if isinstance(app, Flask) else None


def _open_store_early(worker: Any) -> None:
    """Open the store as the worker starts, so that the first request does not wait and the
    log says at once whether the database answers; the app runs either way."""
    holder = _store_holder(worker)
    if holder is None:
        return
    try:
        store = holder.get()
    except StoreUnavailable as exc:
        log.warning("the database is unavailable: %s; requests answer 503 until it is back",
                    exc)
    else:
        log.info("serving %s", store.engine.describe())


def _close_store(arbiter: Any, worker: Any) -> None:
    """Close the worker's store when it exits (LadybugDB checkpoints and frees its file)."""
    holder = _store_holder(worker)
    if holder is not None:
        holder.close()
        log.info("closed the database")


def serve(config: Config) -> None:
    """Run the production server until it is stopped."""
    ProductionServer(config).run()
