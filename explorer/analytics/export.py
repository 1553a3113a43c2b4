"""An analysed slice as GraphML or GEXF, with community, centralities and years as node
attributes (for Gephi, Cytoscape, VOSviewer's GraphML import or networkx).

networkx writes the XML through ElementTree, which escapes every name but keeps characters
XML 1.0 forbids (control characters a source left in a name): those become U+FFFD, so the
file stays well-formed. Attributes without a value (an unclustered node's community, an
undated author's average year) are left out: neither format has a null."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import networkx as nx

from ..errors import InvalidParameter

FORMATS = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(value: Any) -> Any:
    """Text as XML 1.0 allows it (anything else unchanged)."""
    return _NOT_XML.sub("\ufffd", value) if isinstance(value, str) else value


def _present(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _xml(v) for k, v in values.items() if v is not None}


def analysis_graph(analysis: dict[str, Any]) -> nx.Graph:
    """Nodes with ``label`` (the name), ``works``, ``ring`` and every attribute of the
    analysis; edges with ``weight``, ``first_year`` and ``last_year``."""
    graph = nx.Graph(centre=_xml(analysis["centre"]))
    for node in analysis["nodes"]:
        graph.add_node(_xml(node["id"]), **_present({
            "label": node["name"], "works": node.get("works"), "ring": node.get("ring"),
            **analysis["attributes"][node["id"]]}))
    for edge in analysis["edges"]:
        graph.add_edge(_xml(edge["source"]), _xml(edge["target"]), **_present({
            "weight": edge["weight"], "first_year": edge.get("first_year"),
            "last_year": edge.get("last_year")}))
    return graph


def export_lines(analysis: dict[str, Any], fmt: str) -> Iterator[str]:
    """The document, line by line."""
    graph = analysis_graph(analysis)
    if fmt == "graphml":
        return nx.generate_graphml(graph)
    if fmt == "gexf":
        return nx.generate_gexf(graph)
    raise InvalidParameter(f"format must be one of json, {', '.join(FORMATS)}")


def export_text(analysis: dict[str, Any], fmt: str) -> str:
    return "\n".join(export_lines(analysis, fmt)) + "\n"
