"""An analysed slice as one self-contained HTML file that draws the graph offline.

pyvis builds the vis-network nodes, edges and options; the page is our own template
(templates/standalone.html, autoescaped), not pyvis's, whose page fetches Bootstrap from a
CDN and shows tooltips containing "href" through innerHTML. vis-network, from the installed
pyvis package, is inlined: the file fetches nothing when opened.

Names stay text: the graph's data sits in a ``<script type="application/json">`` written
with ``tojson`` (``<``, ``>``, ``&`` and ``'`` escaped, so no name can close the script),
labels are drawn on a canvas, and vis-network 9 shows string tooltips as text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from pyvis.edge import Edge
from pyvis.network import Network

from .views.assets import VIS_NETWORK_DIR
from .views.wording import counted, year_span

COLOURS = ("ring", "topic", "institution", "community")
THEMES = ("light", "dark")
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#17becf", "#bcbd22", "#393b79")
OTHER = "#b8c2cc"
RING_COLOURS = ("#d9480f", "#1f5fa8", "#7fa7d4")
RING_NAMES = {
    "author": ("This researcher", "Co-authors", "Their co-authors"),
    "paper": ("Its authors", "Their co-authors", "Further co-authors"),
    "topic": ("Its researchers", "Their co-authors", "Further co-authors"),
    "institution": ("Its people", "Their co-authors", "Further co-authors"),
    "path": ("The two researchers", "The chain between them", "Co-authors added"),
}
THEME_STYLE = {"light": {"background": "#ffffff", "text": "#1d2733", "edge": "#9aa7b8"},
               "dark": {"background": "#10161d", "text": "#e6edf3", "edge": "#5b6b7d"}}
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(("html",)), keep_trailing_newline=True)
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)


def _group(node: dict[str, Any], measures: dict[str, Any], colour: str, kind: str
           ) -> tuple[str, str]:
    """The key and legend label of a person's colour group ('' for no group)."""
    if colour == "ring":
        ring = min(node.get("ring", 0), 2)
        return f"ring{ring}", RING_NAMES.get(kind, RING_NAMES["author"])[ring]
    if colour == "community":
        community = measures.get("community")
        return ("", "In no community") if community is None else \
            (f"c{community}", f"Community {community + 1}")
    facet = node.get(colour)
    return (facet["id"], facet["name"]) if facet else ("", "Unknown")


def colouring(analysis: dict[str, Any], colour: str
              ) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """Each person's fill colour and the legend (colour, label, count), as the explorer
    colours the graph: rings by their own colour, the ten largest groups otherwise."""
    kind = analysis["kind"]
    groups = {n["id"]: _group(n, analysis["attributes"].get(n["id"], {}), colour, kind)
              for n in analysis["nodes"]}
    counts = Counter(groups.values())
    if colour == "ring":
        colours = {f"ring{i}": c for i, c in enumerate(RING_COLOURS)}
    else:
        ranked = sorted((g for g in counts if g[0]), key=lambda g: (-counts[g], g[1]))
        colours = {key: PALETTE[i] for i, (key, _) in enumerate(ranked[:len(PALETTE)])}
    fills = {person: colours.get(key, OTHER) for person, (key, _) in groups.items()}
    legend = [{"colour": colours[key], "label": label, "count": counts[(key, label)]}
              for key, label in sorted((g for g in counts if g[0] in colours),
                                       key=lambda g: (-counts[g], g[0]))]
    rest = sum(n for (key, _), n in counts.items() if key not in colours)
    if rest:
        legend.append({"colour": OTHER, "label": "Other or unknown", "count": rest})
    return fills, legend


def _tooltip(node: dict[str, Any], measures: dict[str, Any]) -> str:
    """Plain text, one fact a line (vis-network shows a string title as text)."""
    lines = [node["name"], counted(node.get("works") or 0, "work")]
    if node.get("topic"):
        lines.append(f"Topic: {node['topic']['name']}")
    if node.get("institution"):
        lines.append(f"Institution: {node['institution']['name']}")
    if measures:
        if measures.get("community") is not None:
            lines.append(f"Community {measures['community'] + 1}")
        lines.append(f"Weighted degree {measures['weighted_degree']} · betweenness "
                     f"{measures['betweenness']:.3f} · PageRank {measures['pagerank']:.3f}")
        if measures.get("avg_year"):
            lines.append(f"Average year of works {measures['avg_year']}")
    return "\n".join(lines)


def _edge_title(edge: dict[str, Any]) -> str:
    years = year_span(edge.get("first_year"), edge.get("last_year")) or "?\u2013?"
    return f"{counted(edge['weight'], 'joint paper')}, {years}"


LABEL_CHARS = 40
"""A canvas label is cut at this many characters (the tooltip gives the whole name), as in
the explorer's graph."""


def short_label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[:LABEL_CHARS - 1].rstrip() + "\u2026"


def _options(people: int, theme: str) -> dict[str, Any]:
    style = THEME_STYLE[theme]
    return {
        "nodes": {"shape": "dot", "font": {"size": 14, "color": style["text"]},
                  "scaling": {"min": 8, "max": 40}},
        "edges": {"color": {"inherit": False, "color": style["edge"]}, "smooth": False,
                  "scaling": {"min": 1, "max": 10}},
        "physics": {"solver": "forceAtlas2Based",
                    "stabilization": {"iterations": max(20, min(200, 20000 // max(people, 1)))}},
        "interaction": {"hover": True, "tooltipDelay": 150},
        "layout": {"improvedLayout": False},
    }


def build_network(analysis: dict[str, Any], *, colour: str = "ring",
                  theme: str = "light") -> tuple[Network, list[dict[str, Any]]]:
    """The pyvis network of an analysed slice, and its legend."""
    fills, legend = colouring(analysis, colour)
    style = THEME_STYLE[theme]
    net = Network(height="100%", width="100%", bgcolor=style["background"],
                  font_color=style["text"], cdn_resources="in_line")
    for i, node in enumerate(analysis["nodes"]):
        measures = analysis["attributes"].get(node["id"], {})
        fill = fills[node["id"]]
        centre = node.get("ring", 0) == 0
        radius = 45 * math.sqrt(i)  # a sunflower spiral, strongest links first
        net.add_node(node["id"], label=short_label(node["name"] or node["id"]),
                     title=_tooltip(node, measures), value=max(node.get("works") or 1, 1),
                     borderWidth=4 if centre else 1,
                     color={"background": fill, "border": "#1d2733" if centre else fill,
                            "highlight": {"background": fill, "border": "#1d2733"},
                            "hover": {"background": fill, "border": "#1d2733"}},
                     x=radius * math.cos(i * GOLDEN_ANGLE), y=radius * math.sin(i * GOLDEN_ANGLE))
    # The slice's edges are unique already; pyvis's add_edge would scan every edge added
    # so far for a duplicate (quadratic on a large slice).
    net.edges.extend(Edge(e["source"], e["target"], value=e["weight"], weight=e["weight"],
                          title=_edge_title(e)).options for e in analysis["edges"])
    net.options = _options(len(analysis["nodes"]), theme)
    return net, legend


def _inline(text: str) -> Markup:
    """Script text that cannot end its ``<script>`` element early."""
    return Markup(_SCRIPT_END.sub(r"<\\/\1", text))


def standalone_html(analysis: dict[str, Any], *, title: str, colour: str = "ring",
                    theme: str = "light", exported: str = "") -> str:
    """The whole page: heading, summary, legend and the drawn graph."""
    net, legend = build_network(analysis, colour=colour, theme=theme)
    nodes, edges, *_ = net.get_network_data()
    hidden = analysis.get("hidden") or 0
    summary = [f"{len(nodes):,} {'person' if len(nodes) == 1 else 'people'}",
               counted(len(edges), "link")]
    if hidden:
        what = "of its people" if analysis.get("hidden_what") == "members" else \
            ("co-author" if hidden == 1 else "co-authors")
        summary.append(f"{hidden:,} more {what} not shown")
    here = Path(__file__).parent
    return _TEMPLATES.get_template("standalone.html").render(
        title=title, summary=", ".join(summary), legend=legend, theme=theme,
        style=THEME_STYLE[theme], exported=exported,
        data={"nodes": nodes, "edges": edges, "options": net.options},
        vis_network=_inline((VIS_NETWORK_DIR / "vis-network.min.js").read_text("utf-8")),
        graph_script=_inline((here / "templates" / "standalone_graph.js").read_text("utf-8")))
