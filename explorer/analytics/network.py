"""A neighbourhood slice (``Graph.neighbourhood``) as a weighted networkx graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx


def slice_graph(piece: Mapping[str, Any]) -> nx.Graph:
    """Nodes (name, works, ring) and edges (weight = joint papers, first_year, last_year)
    of a slice, inserted in id order: the engines return rows in different orders, and
    seeded algorithms must see the same graph to give the same answer."""
    graph = nx.Graph()
    for node in sorted(piece["nodes"], key=lambda n: n["id"]):
        graph.add_node(node["id"], name=node["name"], works=node.get("works"),
                       ring=node.get("ring"))
    edges = sorted(piece["edges"], key=lambda e: sorted((e["source"], e["target"])))
    for edge in edges:
        if edge["source"] != edge["target"]:
            graph.add_edge(edge["source"], edge["target"], weight=edge["weight"],
                           first_year=edge.get("first_year"), last_year=edge.get("last_year"))
    return graph


def first_years(graph: nx.Graph) -> dict[str, int | None]:
    """Each node's first collaboration year inside the graph: the earliest ``first_year`` of
    its edges (None for a node without dated edges). A time slider shows a node from then."""
    years: dict[str, int | None] = {}
    for node in graph:
        dated = [d["first_year"] for _, _, d in graph.edges(node, data=True)
                 if d.get("first_year") is not None]
        years[node] = min(dated) if dated else None
    return years
