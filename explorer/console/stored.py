"""Stored queries: every read query of the app's library (cypher/) and the operator's own
(setting ``stored_queries_dir``, same file format), each runnable with parameters given as
text (a query string or a form) and typed by its ``@param`` line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import InvalidParameter, NotFound
from ..queries import NamedQuery, Param, QueryLibrary
from ..settings import SettingError
from .run import INT64, ConsoleRequest, check_integers

_ROW_COUNT = re.compile(r"\b(?:SKIP|LIMIT)\s+\$(\w+)", re.IGNORECASE)

#: Query-string names that steer the run itself, so no stored query may use them.
RESERVED = ("format", "timeout_ms", "max_rows")


class UnknownQuery(NotFound):
    """No stored query has that name."""


@dataclass(frozen=True)
class StoredQuery:
    """A named read query and where it comes from: ``app`` (cypher/) or ``operator``."""

    named: NamedQuery
    origin: str

    @property
    def name(self) -> str:
        return self.named.name

    @property
    def params(self) -> tuple[Param, ...]:
        return self.named.params

    def summary(self) -> dict[str, Any]:
        """Name, description, origin and parameters, for listings."""
        return {"name": self.name, "description": self.named.description,
                "origin": self.origin,
                "params": [{"name": p.name, "type": p.type, "description": p.description,
                            "required": p.default is None, "default": p.default}
                           for p in self.params]}

    def request(self, given: Mapping[str, Sequence[str]], *, timeout_ms: int | None = None,
                max_rows: int | None = None) -> ConsoleRequest:
        """A console request with each parameter typed from its text (``given`` maps a
        name to the values sent); InvalidParameter naming a missing or bad one."""
        values: dict[str, Any] = {}
        for param in self.params:
            raw = [v for v in given.get(param.name, ()) if v != ""]
            if not raw and param.default is None:
                raise InvalidParameter(
                    f"missing parameter {param.name} ({param.type}: {param.description})")
            values[param.name] = typed(param, raw or [param.default or ""])
            check_integers(param.name, values[param.name])
            if param.name in self.counts and isinstance(values[param.name], int) \
                    and values[param.name] < 0:
                raise InvalidParameter(f"parameter {param.name} must be 0 or more (it is a "
                                       "number of rows to skip or return)")
        return ConsoleRequest(self.named.text, values, timeout_ms, max_rows, self.name)

    @property
    def counts(self) -> set[str]:
        """The parameters the query uses as a SKIP or LIMIT: numbers of rows."""
        return set(_ROW_COUNT.findall(self.named.text))


def _integer(text: str) -> int:
    value = int(text.strip())
    if not INT64[0] <= value <= INT64[1]:
        raise ValueError(text)
    return value


def _number(text: str) -> float:
    return float(text.strip())


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


def _json_of(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        value = orjson.loads(text)
        if not isinstance(value, kind):
            raise ValueError(text)
        return value
    return parse


_SCALARS: dict[str, tuple[Callable[[str], Any], str]] = {
    "string": (str, "text"), "str": (str, "text"), "text": (str, "text"),
    "integer": (_integer, "a whole number (64-bit)"),
    "int": (_integer, "a whole number (64-bit)"),
    "float": (_number, "a number"), "number": (_number, "a number"),
    "double": (_number, "a number"),
    "boolean": (_boolean, "true or false"), "bool": (_boolean, "true or false"),
    "map": (_json_of(dict), 'a JSON object such as {"a": 1}'),
}


def typed(param: Param, raw: list[str]) -> Any:
    """A parameter's value from its text: by its declared type; a list from repeated values
    or a JSON array; an undeclared type as JSON when it parses, else as text."""
    kind = param.type.lower()
    try:
        if kind == "list":
            if len(raw) == 1 and raw[0].lstrip().startswith("["):
                return _json_of(list)(raw[0])
            return list(raw)
        if kind in _SCALARS:
            return _SCALARS[kind][0](raw[-1])
    except (ValueError, orjson.JSONDecodeError):
        what = "a JSON array or repeated values" if kind == "list" else _SCALARS[kind][1]
        raise InvalidParameter(
            f"parameter {param.name} must be {what}, not {raw[-1]!r}") from None
    try:
        return orjson.loads(raw[-1])
    except orjson.JSONDecodeError:
        return raw[-1]


class StoredQueries:
    """The app's read queries and the operator's, by name, for one engine."""

    def __init__(self, engine: str, operator_dir: str | Path = "") -> None:
        self._queries = {q.name: StoredQuery(q, "app")
                         for q in QueryLibrary(engine).read_queries()}
        if operator_dir:
            for query in _operator_queries(engine, Path(operator_dir)):
                if query.name in self._queries:
                    raise SettingError(
                        f"setting stored_queries_dir: {query.path} is named {query.name!r} "
                        "like one of the app's queries; rename the file")
                self._queries[query.name] = StoredQuery(query, "operator")
        for stored in self._queries.values():
            clash = [p.name for p in stored.params if p.name in RESERVED]
            if clash:
                raise SettingError(
                    f"setting stored_queries_dir: {stored.named.path} uses the parameter "
                    f"{clash[0]!r}, a name the API keeps for itself ({', '.join(RESERVED)})")

    def all(self) -> list[StoredQuery]:
        return [self._queries[name] for name in sorted(self._queries)]

    def __getitem__(self, name: str) -> StoredQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQuery(name) from None


def _operator_queries(engine: str, folder: Path) -> list[NamedQuery]:
    if not folder.is_dir():
        raise SettingError(f"setting stored_queries_dir: {folder} is not a directory")
    try:
        return QueryLibrary(engine, root=folder).read_queries()
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise SettingError(f"setting stored_queries_dir: {exc}") from None
