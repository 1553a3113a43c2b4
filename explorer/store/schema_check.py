"""Does a database have the whole schema: tables, constraints, indexes, and the columns that
``schema.cypher`` adds to tables made by older versions (``ALTER TABLE … ADD``)? And add
what it lacks, without making a database where there is none."""

from __future__ import annotations

import contextlib
import re

from ..settings import Config
from . import open_store
from .base import GraphStore
from .errors import StoreError, StoreUnavailable

_SCHEMA_OBJECT = re.compile(
    r"^CREATE\s+(?:NODE\s+TABLE|REL\s+TABLE|CONSTRAINT|(?:\w+\s+)?INDEX)\s+"
    r"(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.IGNORECASE)
_ADDED_COLUMN = re.compile(r"^ALTER\s+TABLE\s+(\w+)\s+ADD\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)",
                           re.IGNORECASE)

WRITERS_ONLY = frozenset({"write_lock_id"})
"""Schema objects only writers use (Neo4j's WriteLock constraint): the loads create them,
and an app whose Neo4j user may only read must not try to."""


def missing_schema(store: GraphStore) -> list[str]:
    """Names that ``schema.cypher`` creates, that readers need, and that the database does
    not have: tables, constraints and indexes, and (``Table.column``) the columns that a
    database made by an older version lacks."""
    statements = store.queries["schema"].statements()
    expected = {match[1] for statement in statements
                if (match := _SCHEMA_OBJECT.match(statement))} - WRITERS_ONLY
    present = {row["name"] for row in store.query("schema_objects")}
    missing = expected - present
    added: dict[str, set[str]] = {}
    for statement in statements:
        if (match := _ADDED_COLUMN.match(statement)) and match[1] in present:
            added.setdefault(match[1], set()).add(match[2])
    for table, columns in added.items():
        missing |= {f"{table}.{name}" for name in columns - store.engine.table_columns(table)}
    return sorted(missing)


def upgrade_schema(config: Config, *, create: bool = False) -> list[str]:
    """Add what the database lacks of the schema, and say what that was. It is checked
    read-only first, and the file left as it was when nothing lacks (a read-write close
    touches the file, which would make its saved author index stale). Without ``create``,
    a database that cannot be opened (none there, a mistyped path, one being copied) is left
    to the caller, which then says why; with it, one is made. StoreUnavailable when another
    process holds the file (a load): its readers then answer what the schema allows."""
    try:
        with open_store(config, read_only=True) as store:
            if not missing_schema(store):
                return []
    except StoreUnavailable:
        if not create:
            return []
    with open_store(config) as store:
        missing = missing_schema(store)
        if missing:
            store.init_schema()
    return missing


def open_reader(config: Config) -> GraphStore:
    """The store opened read-only for a command that only reads, after adding what an
    existing database lacks of the schema (a file made by an older version gains its newer
    columns). Where that cannot be done (a Neo4j user who may only read, a file another
    process holds), the command reads what there is. One read-only open when nothing lacks."""
    store = open_store(config, read_only=True)
    try:
        missing = missing_schema(store)
    except StoreError:  # a user who may not list the schema: read what there is
        return store
    except BaseException:
        store.close()
        raise
    if not missing:
        return store
    store.close()
    with contextlib.suppress(StoreError):
        upgrade_schema(config)
    return open_store(config, read_only=True)
