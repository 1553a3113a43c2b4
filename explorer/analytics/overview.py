"""The whole graph at a glance: counts, degree and pair-weight distributions, connected
components, the strongest pairs and the top authors, institutions and topics.

Everything but the components is aggregated by the engine (named queries). Components need
every pair in memory (scipy's connected_components over an integer edge list), so they are
computed only up to ``max_pairs`` pairs; bench/RESULTS.md has the cost."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from ..errors import InvalidParameter
from ..graph import Graph
from ..store import QueryTimeout
from ..store.base import GraphStore
from ..store.file_marks import file_marks

DEFAULT_TOP = 10
T = TypeVar("T")


def weight_floor(distribution: list[dict[str, int]], count: int) -> int:
    """The highest weight such that at least ``count`` pairs weigh as much or more."""
    seen = 0
    for row in sorted(distribution, key=lambda r: -r["weight"]):
        seen += row["pairs"]
        if seen >= count:
            return row["weight"]
    return 1


def components(store: GraphStore, authors: int, *, timeout_ms: int | None = None
               ) -> dict[str, Any]:
    """Connected components of the co-author graph; an author with no co-author is a
    component of one."""
    rows = store.query("coauthor_pairs", timeout_ms=timeout_ms)
    index: dict[str, int] = {}
    ends = np.fromiter((index.setdefault(row[end], len(index))
                        for row in rows for end in ("source", "target")),
                       dtype=np.int64, count=2 * len(rows)).reshape(-1, 2)
    del rows
    linked = len(index)
    matrix = coo_matrix((np.ones(len(ends), dtype=np.int8), (ends[:, 0], ends[:, 1])),
                        shape=(linked, linked))
    count, labels = connected_components(matrix, directed=False)
    sizes = np.bincount(labels, minlength=count) if linked else np.array([], dtype=np.int64)
    isolated = max(authors - linked, 0)
    size_values, size_counts = np.unique(sizes, return_counts=True)
    distribution = dict(zip(size_values.tolist(), size_counts.tolist(), strict=True))
    if isolated:
        distribution[1] = distribution.get(1, 0) + isolated
    largest = int(sizes.max()) if linked else min(authors, 1)
    return {
        "computed": True,
        "count": int(count) + isolated,
        "largest": largest,
        "largest_share": largest / authors if authors else None,
        "isolated": isolated,
        "sizes": {"size": sorted(distribution),
                  "components": [distribution[s] for s in sorted(distribution)]},
    }


def overview(store: GraphStore, *, top: int = DEFAULT_TOP, timeout_ms: int | None = None,
             max_pairs: int = 3_000_000, counts: dict[str, int] | None = None
             ) -> dict[str, Any]:
    """The overview; a part whose query ran past ``timeout_ms`` is None and named in
    ``stopped_at_time_limit``. ``counts`` are ``Graph.stats()`` when the caller has them."""
    if not 1 <= top <= 100:
        raise InvalidParameter("top must be between 1 and 100")
    stopped: list[str] = []

    def part(name: str, compute: Callable[[], T]) -> T | None:
        try:
            return compute()
        except QueryTimeout:
            stopped.append(name)
            return None

    def query(name: str, **params: Any) -> list[dict[str, Any]]:
        return store.query(name, timeout_ms=timeout_ms, **params)

    counts = counts or Graph(store).stats()
    degrees = part("degree_distribution", lambda: query("degree_distribution"))
    weights = part("weight_distribution", lambda: query("pair_weight_distribution"))
    pairs = counts["coauthor_pairs"]
    if pairs > max_pairs:
        found: dict[str, Any] | None = {
            "computed": False,
            "reason": f"the graph has {pairs:,} co-author pairs, more than the "
                      f"{max_pairs:,} read into memory for components "
                      "(setting components_max_pairs)"}
    else:
        found = part("components", lambda: components(store, counts["authors"],
                                                      timeout_ms=timeout_ms))
    top_pairs = None
    if weights is not None:
        floor = weight_floor(weights, top)
        top_pairs = part("top_pairs", lambda: [
            {"source": {"id": r["source"], "name": r["source_name"]},
             "target": {"id": r["target"], "name": r["target_name"]},
             "weight": r["weight"], "first_year": r["first_year"],
             "last_year": r["last_year"]}
            for r in query("top_pairs", min_weight=floor, limit=top)])
    linked = sum(r["authors"] for r in degrees) if degrees is not None else None
    return {
        "counts": counts,
        "degree_distribution": None if degrees is None else {
            "degree": [r["degree"] for r in degrees],
            "authors": [r["authors"] for r in degrees],
            "isolated": counts["authors"] - linked,
            "mean": 2 * pairs / counts["authors"] if counts["authors"] else None,
            "max": max((r["degree"] for r in degrees), default=0),
        },
        "weight_distribution": None if weights is None else {
            "weight": [r["weight"] for r in weights], "pairs": [r["pairs"] for r in weights]},
        "components": found,
        "top_pairs": top_pairs,
        "top_authors": part("top_authors", lambda: query("top_authors", limit=top)),
        "top_institutions": part("top_institutions",
                                 lambda: query("top_institutions", limit=top)),
        "top_topics": part("top_topics", lambda: query("top_topics", limit=top)),
        "stopped_at_time_limit": stopped,
    }


SERVER_MAX_AGE = 60.0
"""Seconds an overview of a server's graph (Neo4j) is kept: other clients' writes leave no
mark this process can see."""


def graph_state(store: GraphStore) -> tuple:
    """What tells one state of the graph from another without reading it: the engine
    object, its write transactions, and an embedded database's file marks (a load, merge
    or split in any process changes them, even one that leaves every count the same)."""
    engine = store.engine
    return id(engine), engine.version, file_marks(engine.path) if engine.path else None


class OverviewCache:
    """Keeps the last overview per set of arguments while the graph stays as it was
    (``graph_state`` and the counts; on a server engine for SERVER_MAX_AGE at most);
    ``refresh`` recomputes. One overview is computed at a time: requests that arrive
    meanwhile wait for it and share its answer instead of reading every pair into memory
    again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple, tuple[float, dict[str, Any]]] = {}

    def get(self, store: GraphStore, *, refresh: bool = False, **options: Any
            ) -> dict[str, Any]:
        counts = Graph(store).stats()
        key = (graph_state(store), tuple(counts.items()), tuple(sorted(options.items())))
        with self._lock:
            kept = self._entries.get(key)
            fresh = kept is not None and (
                store.engine.path is not None or time.monotonic() - kept[0] < SERVER_MAX_AGE)
            if not refresh and fresh:
                return kept[1]
            answer = overview(store, counts=counts, **options)
            if not answer["stopped_at_time_limit"]:
                self._entries = {key: (time.monotonic(), answer)}
            return answer
