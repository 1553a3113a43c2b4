"""Communities of a slice by Louvain modularity optimisation (networkx), reproducible for a
seed, with a minimum size below which nodes stay unclustered."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from ..errors import InvalidParameter

DEFAULT_RESOLUTION = 1.0
DEFAULT_MIN_SIZE = 3
DEFAULT_SEED = 42


@dataclass(frozen=True)
class Partition:
    """Communities numbered 0, 1, … by size (largest first; ties by smallest member id),
    members in id order. ``membership`` maps every node to its community, None for nodes of
    clusters smaller than the minimum size; ``groups`` is Louvain's whole answer, small
    clusters included, which participation and modularity are computed on."""

    communities: list[list[str]]
    unclustered: list[str]
    membership: dict[str, int | None]
    groups: list[list[str]]
    modularity: float | None


def detect_communities(graph: nx.Graph, *, resolution: float = DEFAULT_RESOLUTION,
                       min_size: int = DEFAULT_MIN_SIZE, seed: int = DEFAULT_SEED) -> Partition:
    """Louvain communities on joint-paper weights; higher ``resolution`` gives smaller ones."""
    if resolution <= 0:
        raise InvalidParameter("resolution must be greater than 0")
    if min_size < 1:
        raise InvalidParameter("min_size must be at least 1")
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                             seed=seed)
    groups = sorted((sorted(group) for group in found), key=lambda m: (-len(m), m[0]))
    communities = [group for group in groups if len(group) >= min_size]
    membership: dict[str, int | None] = dict.fromkeys(graph)
    for number, members in enumerate(communities):
        membership.update(dict.fromkeys(members, number))
    unclustered = sorted(node for node, number in membership.items() if number is None)
    modularity = (nx.community.modularity(graph, groups, weight="weight",
                                          resolution=resolution)
                  if graph.number_of_edges() else None)
    return Partition(communities, unclustered, membership, groups, modularity)


def participation(graph: nx.Graph, groups: list[list[str]]) -> dict[str, float]:
    """Guimerà and Amaral's participation coefficient on weights: 1 - Σ_c (w_ic / w_i)²,
    where w_ic is the weight of a node's links into group c. 0 when every link stays in one
    group, towards 1 when they spread evenly over many."""
    label = {node: number for number, members in enumerate(groups) for node in members}
    result: dict[str, float] = {}
    for node in graph:
        into: dict[int, float] = {}
        for neighbour, data in graph[node].items():
            into[label[neighbour]] = into.get(label[neighbour], 0) + data["weight"]
        total = sum(into.values())
        result[node] = 1 - sum((w / total) ** 2 for w in into.values()) if total else 0.0
    return result
