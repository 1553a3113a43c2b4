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


def _default_db_path() -> str:
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "coauthor-explorer" / "graph.lbdb")


def _positive_int(value: str) -> int:
    number = int(value)
    if number <= 0:
        raise ValueError("must be a positive whole number")
    return number


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
    Setting("db_path", "COAUTHOR_EXPLORER_DB", _default_db_path,
            "File of the embedded LadybugDB database (used when no Neo4j URI is set)."),
    Setting("neo4j_uri", "NEO4J_URI", "",
            "Bolt or neo4j:// URI of a Neo4j 5 server; when set, Neo4j is the engine.",
            neo4j_uri),
    Setting("neo4j_user", "NEO4J_USER", "neo4j", "Neo4j user name."),
    Setting("neo4j_password", "NEO4J_PASSWORD", "", "Neo4j password.", secret=True),
    Setting("neo4j_database", "NEO4J_DATABASE", "neo4j", "Neo4j database name."),
    Setting("coauthor_max_authors", "COAUTHOR_EXPLORER_COAUTHOR_MAX_AUTHORS", 100,
            "Papers with more authors than this keep their authorships but add no "
            "co-author pairs.", _positive_int),
    Setting("query_timeout_ms", "COAUTHOR_EXPLORER_QUERY_TIMEOUT_MS", 5000,
            "Time limit for a read query, in milliseconds.", _positive_int),
    Setting("max_rows", "COAUTHOR_EXPLORER_MAX_ROWS", 1000,
            "Most rows a console or `query` result returns.", _positive_int),
    Setting("write_batch_size", "COAUTHOR_EXPLORER_WRITE_BATCH", 2000,
            "Works written in one transaction by loaders.", _positive_int),
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
    return Config(values)
