"""The bundled demo data for tests: everything `coauthor-explorer demo` loads."""

from __future__ import annotations

from explorer.cli import DEMO_LOADS
from explorer.loading import load_paths
from explorer.store import GraphStore


def load_demo(store: GraphStore) -> GraphStore:
    """Load seed 003's papers and the 100 OpenAlex works into ``store``, as the demo does."""
    for source, path in DEMO_LOADS:
        load_paths(store, source, [path], progress=False)
    return store
