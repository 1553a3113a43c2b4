"""Logging: one structured line for every request, and the format of every log line (JSON
objects or text) for the production server."""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from flask import Flask, g, request
from werkzeug.wrappers import Response

from .settings import Config

REQUEST_LOG = logging.getLogger("explorer.request")
PROBE_PATHS = frozenset({"/healthz", "/readyz"})
"""Asked every few seconds by orchestrators: a healthy answer is logged at DEBUG only."""

_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def log_requests(app: Flask) -> None:
    """Log each request when it has been answered, with an id that the response carries
    (``X-Request-ID``; a well-formed id sent by a proxy is kept)."""

    @app.before_request
    def start_clock() -> None:
        g.request_started = time.perf_counter()
        sent = request.headers.get("X-Request-ID", "")
        g.request_id = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("request_started", time.perf_counter())
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers["X-Request-ID"] = request_id
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        quiet = request.path in PROBE_PATHS and response.status_code < 400
        REQUEST_LOG.log(
            logging.DEBUG if quiet else logging.INFO,
            "%s %s %s %.1fms", request.method, request.full_path.rstrip("?"),
            response.status_code, duration_ms,
            extra={"method": request.method, "path": request.path,
                   "query": request.query_string.decode("latin-1"),
                   "status": response.status_code, "duration_ms": duration_ms,
                   "bytes": response.calculate_content_length(),
                   "remote_addr": request.remote_addr, "request_id": request_id,
                   "user_agent": request.user_agent.string},
        )
        return response


def logging_config(config: Config) -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dictionary: everything (the app, gunicorn's own
    messages) to standard error, as JSON objects or text lines, from ``log_level`` up."""
    level = config.log_level.upper()
    if config.log_format == "json":
        formatter: dict[str, Any] = {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger", "process": "pid"},
            "timestamp": "time",
        }
    else:
        formatter = {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"explorer": formatter},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "explorer",
                                "stream": "ext://sys.stderr"}},
        "root": {"level": level, "handlers": ["stderr"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["stderr"], "propagate": False},
            # The app logs each request itself (explorer.request), with more detail.
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
        },
    }
