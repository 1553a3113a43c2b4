"""The production server: gunicorn serving the Flask app, configured from the settings.

Workers are processes with request threads (gunicorn's ``gthread``). Neo4j takes any number
of workers. On the embedded engine, one worker opens the LadybugDB file for reading and
writing, as the development server does. Several workers cannot all do that (a file has one
writer), so the arbiter first creates the database and what is missing of its schema, then
closes it and forks; each worker opens the file read-only and follows it
(:class:`explorer.following.FollowingStoreHolder`): a read-only open does not see writes
made after it, so a worker reopens the file when another process (a ``load``) has changed
it. SIGTERM stops gracefully: no new connections, running requests get
``graceful_timeout`` seconds, then each worker closes its store.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from .app import create_app
from .following import FollowingStoreHolder
from .logs import logging_config
from .settings import Config
from .store import StoreError, StoreUnavailable

log = logging.getLogger("explorer.server")


class RequestsLoggedByTheApp(Logger):
    """gunicorn's logger without its access log: the app logs every request itself
    (explorer.logs), and gunicorn would format an unused line per request because
    ``logconfig_dict`` is set."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None


def shares_the_file(config: Config) -> bool:
    """Several workers on one LadybugDB file: each opens it read-only and follows it."""
    return config.engine == "ladybug" and config.workers > 1


def gunicorn_options(config: Config) -> dict[str, Any]:
    """gunicorn's settings for a configuration (any number of workers on either engine;
    see the module's docstring for what several workers do on LadybugDB)."""
    options: dict[str, Any] = {
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
        "logger_class": RequestsLoggedByTheApp,
        "post_worker_init": _open_store_early,
        "worker_exit": _close_store,
        "control_socket_disable": True,  # gunicorn 25+: no runtime control socket needed
    }
    if shares_the_file(config):
        def prepare(arbiter: Any) -> None:  # logging is set up, no worker forked yet
            prepare_database(config)

        options["on_starting"] = prepare
    return options


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
        if shares_the_file(self.config):
            return create_app(self.config, store_holder=FollowingStoreHolder(self.config))
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
    except StoreError as exc:  # e.g. the schema could not be made: requests try again
        log.warning("the database could not be prepared: %s", exc)
    else:
        log.info("serving %s", store.engine.describe())


def _close_store(arbiter: Any, worker: Any) -> None:
    """Close the worker's store when it exits (LadybugDB checkpoints and frees its file)."""
    holder = _store_holder(worker)
    if holder is not None:
        holder.close()
        log.info("closed the database")


def prepare_database(config: Config) -> None:
    """In the arbiter (gunicorn's ``on_starting``), before the workers that open the file
    read-only: create the database and what is missing of its schema, then close it. A
    whole schema is checked read-only and the file left as it was: a read-write close
    touches it, which would make its saved author index (explorer.store.index_files) stale.
    When another process holds the file (a load), the workers open it read-only all the same
    and /readyz says what is missing."""
    from .store.schema_check import upgrade_schema

    try:
        missing = upgrade_schema(config, create=True)
    except StoreUnavailable as exc:
        log.warning("could not check the schema before starting the workers: %s", exc)
        return
    if missing:
        log.info("created the schema: %s", ", ".join(missing))


def serve(config: Config) -> None:
    """Run the production server until it is stopped."""
    ProductionServer(config).run()
