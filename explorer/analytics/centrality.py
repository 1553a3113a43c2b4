"""Centralities of a slice: weighted degree and PageRank (networkx), betweenness (exact up
to a size, estimated from sources sampled with a fixed seed above it; paths counted by
igraph); brokers between communities."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import igraph
import networkx as nx

from .communities import Partition

EXACT_BETWEENNESS_MAX_NODES = 2000
"""Above this many nodes betweenness is estimated from BETWEENNESS_SAMPLES source nodes."""
BETWEENNESS_SAMPLES = 500
PAGERANK_DAMPING = 0.85
MEASURES = ("degree", "weighted_degree", "betweenness", "pagerank")


@dataclass(frozen=True)
class Centralities:
    """Each measure as {node: value}; ``samples`` is None when betweenness is exact."""

    degree: dict[str, int]
    weighted_degree: dict[str, int]
    betweenness: dict[str, float]
    pagerank: dict[str, float]
    samples: int | None


def betweenness(graph: nx.Graph, *, seed: int) -> tuple[dict[str, float], int | None]:
    """Normalised shortest-path betweenness counted in hops (every co-authorship is one
    step, whatever its weight), and the number of sampled sources (None when exact).

    networkx's definition and its estimator from ``k`` sources drawn as it draws them
    (``random.Random(seed).sample`` of the nodes in order), so the values equal
    ``nx.betweenness_centrality(graph, k=…, seed=seed)``; the shortest paths are counted by
    igraph (C), 50 times faster than networkx on these graphs (bench/RESULTS.md)."""
    nodes = list(graph)
    size = len(nodes)
    sources = None
    if size > EXACT_BETWEENNESS_MAX_NODES:
        sources = random.Random(seed).sample(nodes, min(BETWEENNESS_SAMPLES, size))
    if size < 3:
        return dict.fromkeys(nodes, 0.0), None if sources is None else len(sources)
    index = {node: i for i, node in enumerate(nodes)}
    counted = igraph.Graph(n=size, edges=[(index[a], index[b]) for a, b in graph.edges()])
    # igraph counts each unordered pair once; networkx's scales apply to ordered pairs
    ordered = [2 * value for value in counted.betweenness(
        directed=False, sources=None if sources is None else [index[s] for s in sources])]
    if sources is None:
        scale = 1 / ((size - 1) * (size - 2))
        return {node: ordered[i] * scale for i, node in enumerate(nodes)}, None
    k = len(sources)
    sampled = set(sources)
    source_scale = 1 / ((k - 1) * (size - 2)) if k > 1 else math.nan
    other_scale = 1 / (k * (size - 2))
    return {node: ordered[i] * (source_scale if node in sampled else other_scale)
            for i, node in enumerate(nodes)}, k


def centralities(graph: nx.Graph, *, seed: int) -> Centralities:
    between, samples = betweenness(graph, seed=seed)
    return Centralities(
        degree=dict(graph.degree()),
        weighted_degree=dict(graph.degree(weight="weight")),
        betweenness=between,
        pagerank=nx.pagerank(graph, alpha=PAGERANK_DAMPING, weight="weight", max_iter=1000),
        samples=samples,
    )


@dataclass(frozen=True)
class Broker:
    id: str
    bridging: float
    """Betweenness in the slice without its centre."""
    links: dict[int, int]
    """Joint papers with each community, the broker's own included; links with the centre
    are left out."""


def brokers(graph: nx.Graph, centre: str, partition: Partition, *, seed: int,
            limit: int = 10) -> list[Broker]:
    """The people who bridge communities around ``centre``: everyone but the centre whose
    links (the centre's left out) reach two communities or more, ranked by their betweenness
    once the centre is taken out of the slice (what still connects the groups when the
    researcher at the middle is set aside), then by the number of communities they link.
    The centre of a paper's, topic's or institution's slice is no person: nothing is taken
    out there."""
    around = graph.copy()
    if centre in around:
        around.remove_node(centre)
    bridging, _ = betweenness(around, seed=seed)
    found = []
    for node in around:
        links: dict[int, int] = {}
        own = partition.membership[node]
        if own is not None:
            links[own] = 0
        for neighbour, data in around[node].items():
            number = partition.membership[neighbour]
            if number is not None:
                links[number] = links.get(number, 0) + data["weight"]
        if len(links) >= 2:
            found.append(Broker(node, bridging[node], dict(sorted(links.items()))))
    found.sort(key=lambda b: (-b.bridging, -len(b.links), b.id))
    return found[:limit]
