"""A neighbourhood slice with its communities, centralities, brokers and per-node years:
what the API's analysis endpoint, ``analyze author`` and the exports return.

Graph measures come from networkx on the slice; the years of each member's works and the
topics of each community's most central members from per-author named queries (LadybugDB
looks one ``$id`` up by key but plans a list of ids as a scan)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx

from ..errors import InvalidParameter
from ..graph import Graph
from ..slices import SliceOptions
from ..store.base import GraphStore
from .centrality import MEASURES, brokers, centralities
from .communities import (
    DEFAULT_MIN_SIZE,
    DEFAULT_RESOLUTION,
    DEFAULT_SEED,
    detect_communities,
    participation,
)
from .network import first_years, slice_graph

TOPIC_MEMBERS = 25
"""A community's dominant topics are counted over the works of its most central members,
at most this many (one query each)."""
BROKERS = 10


@dataclass(frozen=True)
class AnalysisOptions:
    """How a slice is analysed."""

    resolution: float = DEFAULT_RESOLUTION
    min_size: int = DEFAULT_MIN_SIZE
    seed: int = DEFAULT_SEED
    top: int = 5

    def __post_init__(self) -> None:
        if not 0 < self.resolution <= 100:
            raise InvalidParameter("resolution must be greater than 0 and at most 100")
        if not 1 <= self.min_size <= 5000:
            raise InvalidParameter("min_size must be between 1 and 5000")
        if not 0 <= self.seed < 2**32:
            raise InvalidParameter("seed must be between 0 and 4294967295")
        if not 1 <= self.top <= 50:
            raise InvalidParameter("top must be between 1 and 50")


def year_counts(store: GraphStore, author_id: str) -> dict[int | None, int]:
    """Works per publication year of one author (None: undated)."""
    return {row["year"]: row["works"] for row in store.query("author_years", id=author_id)}


def average_year(counts: dict[int | None, int]) -> float | None:
    dated = {year: n for year, n in counts.items() if year is not None}
    total = sum(dated.values())
    return round(sum(year * n for year, n in dated.items()) / total, 2) if total else None


def dominant_topics(store: GraphStore, members: list[str], limit: int) -> list[dict[str, Any]]:
    """The topics with most distinct works among the members' works."""
    papers: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    for member in members:
        for row in store.query("author_paper_topics", id=member):
            papers.setdefault(row["id"], set()).add(row["paper"])
            names[row["id"]] = row["name"]
    ranked = sorted(papers, key=lambda t: (-len(papers[t]), names[t] or "", t))
    return [{"id": t, "name": names[t], "works": len(papers[t])} for t in ranked[:limit]]


def _range(values: list[Any]) -> list[Any] | None:
    present = [v for v in values if v is not None]
    return [min(present), max(present)] if present else None


def analyse_slice(store: GraphStore, piece: dict[str, Any],
                  options: AnalysisOptions) -> dict[str, Any]:
    """The slice as ``Graph.neighbourhood`` returns it, plus ``attributes`` (per node id),
    ``communities``, ``unclustered``, ``brokers`` and ``summary``."""
    graph = slice_graph(piece)
    centre = piece["centre"]
    partition = detect_communities(graph, resolution=options.resolution,
                                   min_size=options.min_size, seed=options.seed)
    measures = centralities(graph, seed=options.seed)
    spread = participation(graph, partition.groups)
    years = {node["id"]: year_counts(store, node["id"]) for node in piece["nodes"]}
    first = first_years(graph)
    names = {node["id"]: node["name"] for node in piece["nodes"]}
    weighted = measures.weighted_degree

    attributes = {
        node["id"]: {
            "community": partition.membership[node["id"]],
            **{name: getattr(measures, name)[node["id"]] for name in MEASURES},
            "participation": spread[node["id"]],
            "avg_year": average_year(years[node["id"]]),
            "first_year": first[node["id"]],
        }
        for node in piece["nodes"]
    }
    communities = []
    for number, members in enumerate(partition.communities):
        ranked = sorted(members, key=lambda m: (-weighted[m], m))
        works: Counter = Counter()
        for member in members:
            works.update(years[member])
        communities.append({
            "id": number,
            "size": len(members),
            "internal_weight": int(graph.subgraph(members).size(weight="weight")),
            "avg_year": average_year(works),
            "members": ranked,
            "top_members": [{"id": m, "name": names[m], "weighted_degree": weighted[m]}
                            for m in ranked[:options.top]],
            "topics": dominant_topics(store, ranked[:TOPIC_MEMBERS], options.top),
        })
    found = brokers(graph, centre, partition, seed=options.seed, limit=BROKERS)
    spans = graph.edges(data=True)
    firsts = [d["first_year"] for _, _, d in spans if d["first_year"] is not None]
    lasts = [d["last_year"] for _, _, d in spans if d["last_year"] is not None]
    return {
        **piece,
        "options": {**piece["options"], **asdict(options)},
        "attributes": attributes,
        "communities": communities,
        "unclustered": partition.unclustered,
        "brokers": [{"id": b.id, "name": names[b.id], "bridging": b.bridging,
                     "links": [{"community": c, "weight": w} for c, w in b.links.items()]}
                    for b in found],
        "summary": {
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "components": nx.number_connected_components(graph),
            "communities": len(communities),
            "unclustered": len(partition.unclustered),
            "modularity": partition.modularity,
            "betweenness": "exact" if measures.samples is None else "sampled",
            "betweenness_samples": measures.samples,
            "years": {"first": min(firsts, default=None), "last": max(lasts, default=None)},
            "ranges": {name: _range([a[name] for a in attributes.values()])
                       for name in (*MEASURES, "participation", "avg_year", "first_year")},
        },
    }


def analyse_author(graph: Graph, author_id: str, slice_options: SliceOptions,
                   options: AnalysisOptions) -> dict[str, Any]:
    """The neighbourhood slice of an author, analysed; NotFound for an unknown id."""
    return analyse_slice(graph.store, graph.neighbourhood(author_id, slice_options), options)
