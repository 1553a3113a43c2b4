"""Open the configured graph store: Neo4j when NEO4J_URI is set, else embedded LadybugDB."""

from __future__ import annotations

from ..queries import QueryLibrary
from ..settings import Config
from .base import GraphStore, Result
from .errors import QueryError, QueryTimeout, ReadOnlyViolation, StoreError, StoreUnavailable

__all__ = [
    "GraphStore", "QueryError", "QueryTimeout", "ReadOnlyViolation", "Result", "StoreError",
    "StoreUnavailable", "open_store",
]


def open_store(config: Config, *, read_only: bool = False) -> GraphStore:
    """Connect to the engine the configuration names; raise StoreUnavailable with a fix."""
    if config.engine == "neo4j":
        from .neo4j_engine import Neo4jEngine

        engine = Neo4jEngine(config.neo4j_uri, config.neo4j_user, config.neo4j_password,
                             config.neo4j_database, connect_timeout=config.neo4j_connect_timeout)
    else:
        from .ladybug_engine import LadybugEngine

        engine = LadybugEngine(config.db_path, read_only=read_only,
                               buffer_pool_mb=config.buffer_pool_mb)
        engine.console_workers = config.console_workers
        engine.console_memory_mb = config.console_memory_mb
    return GraphStore(engine, QueryLibrary(engine.name),
                      coauthor_max_authors=config.coauthor_max_authors,
                      default_timeout_ms=config.query_timeout_ms,
                      default_max_rows=config.max_rows,
                      console_timeout_ms=config.console_timeout_ms)
