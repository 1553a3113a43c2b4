"""The named Cypher query library: one file per query under cypher/.

A file starts with ``//`` comment lines: free text (the description) and ``@param`` lines
(``// @param id: string  the author's id``; ``// @param limit: integer = 20  rows`` gives a
default, used when a stored query is run without that parameter). ``cypher/<name>.cypher``
is portable; ``cypher/<engine>/<name>.cypher`` replaces it on that engine where the
dialects differ. Names may have one folder level: ``write/upsert_authors``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .paths import CYPHER_DIR

ENGINES = ("ladybug", "neo4j")
_PARAM_LINE = re.compile(r"^@param\s+(\w+)\s*:\s*(\w+)(?:\s*=\s*(\S+))?\s*(.*)$")
_USED_PARAM = re.compile(r"\$(\w+)")


class QueryNotFound(KeyError):
    """No query of that name exists for the engine."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None


@dataclass(frozen=True)
class NamedQuery:
    name: str
    text: str
    description: str
    params: tuple[Param, ...] = field(default=())
    path: Path | None = None

    @property
    def is_write(self) -> bool:
        return self.name.startswith("write/") or self.name == "schema"

    def statements(self) -> list[str]:
        """The statements of a multi-statement file (schema), without comments."""
        body = "\n".join(line for line in self.text.splitlines()
                         if not line.lstrip().startswith("//"))
        return [s.strip() for s in body.split(";") if s.strip()]


def parse_query_file(name: str, path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    description: list[str] = []
    params: list[Param] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("//"):
            break
        comment = stripped[2:].strip()
        match = _PARAM_LINE.match(comment)
        if match:
            name_, type_, default, about = match.groups()
            params.append(Param(name_, type_, about, default))
        elif comment:
            description.append(comment)
    declared = {p.name for p in params}
    used = set(_USED_PARAM.findall(text))
    if name != "schema" and used != declared:
        raise ValueError(
            f"{path}: @param lines {sorted(declared)} do not match the parameters used "
            f"{sorted(used)}"
        )
    return NamedQuery(name, text, " ".join(description), tuple(params), path)


class QueryLibrary:
    """All named queries, resolved for one engine."""

    def __init__(self, engine: str, root: Path = CYPHER_DIR) -> None:
        if engine not in ENGINES:
            raise ValueError(f"unknown engine {engine!r}")
        self.engine = engine
        self.root = root
        self._queries: dict[str, NamedQuery] = {}
        for base in (root, root / engine):
            for path in sorted(base.glob("*.cypher")) + sorted(base.glob("*/*.cypher")):
                relative = path.relative_to(base)
                if relative.parts[0] in ENGINES:
                    continue
                name = relative.with_suffix("").as_posix()
                self._queries[name] = parse_query_file(name, path)

    def __getitem__(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryNotFound(name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._queries

    def names(self) -> list[str]:
        return sorted(self._queries)

    def read_queries(self) -> list[NamedQuery]:
        """The queries an analyst may browse and run: everything but writes and schema."""
        return [q for n, q in sorted(self._queries.items()) if not q.is_write]
