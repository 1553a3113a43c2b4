"""Every setting of the application, declared once: name, environment variable, default, meaning.

The README's settings table is checked against this list by a test, so a setting cannot be
added here without being documented there.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class SettingError(ValueError):
    """A setting has a value that cannot be used; the message names the setting."""


def default_db_path() -> str:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "coauthor-explorer" / "graph.lbdb")


def _non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError("must be a whole number, 0 or more") from None
    if number < 0:
        raise ValueError("must be a whole number, 0 or more")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError("must be a positive whole number") from None
    if number <= 0:
        raise ValueError("must be a positive whole number")
    return number


def _positive_seconds(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("must be a number of seconds, such as 2 or 0.5") from None
    if not 0 < number < 86400:
        raise ValueError("must be more than 0 and less than a day (in seconds)")
    return number


def _one_of(*choices: str) -> Callable[[str], str]:
    def parse(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}")
        return value.lower()
    return parse


def bind_address(value: str) -> str:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) or ``unix:PATH``, as gunicorn takes it."""
    if value.startswith("unix:") and len(value) > len("unix:"):
        return value
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("use HOST:PORT (such as 127.0.0.1:8000 or 0.0.0.0:8000) or unix:PATH")
    return value


def origin_list(value: str) -> tuple[str, ...]:
    """Origins that may embed the explorer, separated by spaces or commas: each
    ``scheme://host[:port]`` (http or https; ``*.`` before the host allows its subdomains),
    or ``*`` for any site. Returned normalised, as browsers send them in ``Origin``."""
    from .origins import parse_origins

    return parse_origins(value)


NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def neo4j_uri(value: str) -> str:
    """A Bolt URI, or empty for the embedded engine."""
    scheme, sep, _ = value.partition("://")
    if value and (not sep or scheme not in NEO4J_SCHEMES):
        raise ValueError(f"use a URI starting with {', '.join(s + '://' for s in NEO4J_SCHEMES)}"
                         " (the driver's port, 7687 by default, not the browser's 7474)")
    return value


@dataclass(frozen=True)
class Setting:
    """One configurable value."""

    name: str
    env: str
    default: Callable[[], Any] | Any
    help: str
    parse: Callable[[str], Any] = str
    secret: bool = False

    def default_value(self) -> Any:
        return self.default() if callable(self.default) else self.default


SETTINGS: tuple[Setting, ...] = (
    Setting("db_path", "COAUTHOR_EXPLORER_DB", default_db_path,
            "File of the embedded LadybugDB database (used when no Neo4j URI is set)."),
    Setting("neo4j_uri", "NEO4J_URI", "",
            "Bolt or neo4j:// URI of a Neo4j 5 server; when set, Neo4j is the engine.",
            neo4j_uri),
    Setting("neo4j_user", "NEO4J_USER", "neo4j", "Neo4j user name."),
    Setting("neo4j_password", "NEO4J_PASSWORD", "", "Neo4j password.", secret=True),
    Setting("neo4j_database", "NEO4J_DATABASE", "neo4j", "Neo4j database name."),
    Setting("neo4j_auth_file", "NEO4J_AUTH_FILE", "",
            "File holding `user/password`, as the Neo4j image's NEO4J_AUTH_FILE (a Docker "
            "secret); when set, the Neo4j user and password come from it."),
    Setting("neo4j_connect_timeout", "NEO4J_CONNECT_TIMEOUT", 2.0,
            "Seconds to reach Neo4j or get a pooled connection before answering 503.",
            _positive_seconds),
    Setting("coauthor_max_authors", "COAUTHOR_EXPLORER_COAUTHOR_MAX_AUTHORS", 100,
            "Papers with more authors than this keep their authorships but add no "
            "co-author pairs. Keep one value for a database's whole life (to change it, "
            "load into a new database).", _positive_int),
    Setting("query_timeout_ms", "COAUTHOR_EXPLORER_QUERY_TIMEOUT_MS", 5000,
            "Time limit for the pages' named read queries, in milliseconds.", _positive_int),
    Setting("max_rows", "COAUTHOR_EXPLORER_MAX_ROWS", 1000,
            "Most rows a console or `query` result returns.", _positive_int),
    Setting("console_timeout_ms", "COAUTHOR_EXPLORER_CONSOLE_TIMEOUT_MS", 5000,
            "Time limit of a console, stored or `query` query, in milliseconds; a request "
            "may only lower it.", _positive_int),
    Setting("console_workers", "COAUTHOR_EXPLORER_CONSOLE_WORKERS", 2,
            "Worker processes that run console queries on the embedded engine, per server "
            "worker process (each runs one query at a time).", _positive_int),
    Setting("console_memory_mb", "COAUTHOR_EXPLORER_CONSOLE_MEMORY_MB", 1024,
            "Memory, in MB, one console query may use on the embedded engine.", _positive_int),
    Setting("stored_queries_dir", "COAUTHOR_EXPLORER_STORED_QUERIES", "",
            "Directory of the operator's own stored queries (`*.cypher`, the header format "
            "of cypher/), offered beside the app's."),
    Setting("write_batch_size", "COAUTHOR_EXPLORER_WRITE_BATCH", 2000,
            "Works written in one transaction by loaders.", _positive_int),
    Setting("buffer_pool_mb", "COAUTHOR_EXPLORER_BUFFER_POOL_MB", 0,
            "LadybugDB's buffer pool in MiB (0: LadybugDB's default, ~80% of memory); "
            "bounds the engine's memory (a bulk load's COPY fails when it is too small).",
            _non_negative_int),
    Setting("bind", "COAUTHOR_EXPLORER_BIND", "127.0.0.1:8000",
            "Address the production server (`coauthor-explorer gunicorn`) listens on.",
            bind_address),
    Setting("workers", "COAUTHOR_EXPLORER_WORKERS", 2,
            "Worker processes of the production server. On the embedded engine more than "
            "one open the database file read-only, sharing the author index saved beside "
            "it, and follow it when another process writes it; 1 opens it for reading and "
            "writing.",
            _positive_int),
    Setting("reopen_check_seconds", "COAUTHOR_EXPLORER_REOPEN_CHECK_SECONDS", 1.0,
            "How often read-only production workers on the embedded engine check whether "
            "another process changed the database file, in seconds.", _positive_seconds),
    Setting("threads", "COAUTHOR_EXPLORER_THREADS", 8,
            "Request threads per worker process of the production server.", _positive_int),
    Setting("graceful_timeout", "COAUTHOR_EXPLORER_GRACEFUL_TIMEOUT", 20,
            "Seconds the production server lets running requests finish when told to stop.",
            _positive_int),
    Setting("log_format", "COAUTHOR_EXPLORER_LOG_FORMAT", "json",
            "Log lines of the production server: `json` (one object a line) or `text`.",
            _one_of("json", "text")),
    Setting("log_level", "COAUTHOR_EXPLORER_LOG_LEVEL", "info",
            "Least severe log level written.", _one_of("debug", "info", "warning", "error")),
    Setting("analysis_timeout_ms", "COAUTHOR_EXPLORER_ANALYSIS_TIMEOUT_MS", 60000,
            "Time limit for each whole-graph query of the overview, in milliseconds.",
            _positive_int),
    Setting("components_max_pairs", "COAUTHOR_EXPLORER_COMPONENTS_MAX_PAIRS", 3_000_000,
            "The overview finds connected components by reading every co-author pair into "
            "memory, only while the graph has at most this many pairs.", _positive_int),
    Setting("embed_origins", "COAUTHOR_EXPLORER_EMBED_ORIGINS", (),
            "Other sites that may embed the graph widgets: they may frame /embed/ pages "
            "(CSP frame-ancestors) and read the JSON API, scripts and assets from their "
            "pages (CORS). Origins such as `https://lab.example.org`, separated by spaces or "
            "commas; `https://*.example.org` for subdomains; `*` for any site. Empty: this "
            "app's own pages only.", origin_list),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """Resolved settings: defaults, then environment, then explicit overrides."""

    values: Mapping[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def engine(self) -> str:
        return "neo4j" if self.values["neo4j_uri"] else "ladybug"


def load_config(overrides: Mapping[str, Any] | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    """Resolve every setting; raise SettingError naming the setting on a bad value."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.name in overrides:
            raw, origin = overrides[setting.name], "option"
        elif environ.get(setting.env):
            raw, origin = environ[setting.env], f"environment variable {setting.env}"
        else:
            values[setting.name] = setting.default_value()
            continue
        try:
            values[setting.name] = setting.parse(raw) if isinstance(raw, str) else raw
        except ValueError as exc:
            raise SettingError(
                f"setting {setting.name} ({origin}) has the value {raw!r}: {exc}"
            ) from None
    unknown = set(overrides) - set(SETTINGS_BY_NAME)
    if unknown:
        raise SettingError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    if values["neo4j_auth_file"]:
        _apply_auth_file(values, overrides, environ)
    return Config(values)


def _apply_auth_file(values: dict[str, Any], overrides: Mapping[str, Any],
                     environ: Mapping[str, str]) -> None:
    """User and password from NEO4J_AUTH_FILE (``user/password``); options still win."""
    path = Path(values["neo4j_auth_file"])
    prefix = f"setting neo4j_auth_file ({path})"
    if environ.get("NEO4J_PASSWORD") and "neo4j_password" not in overrides:
        raise SettingError(f"{prefix}: NEO4J_PASSWORD is set too; give the password one way")
    try:
        text = path.read_text(encoding="utf-8").rstrip("\r\n")  # as $(cat FILE) reads it
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise SettingError(f"{prefix} cannot be read: {reason}") from None
    user, sep, password = text.partition("/")
    if not sep or not user or not password:
        raise SettingError(f"{prefix} must hold one line `user/password`")
    for name, value in (("neo4j_user", user), ("neo4j_password", password)):
        if name not in overrides:
            values[name] = value
