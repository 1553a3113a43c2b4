"""Standalone exports of a graph: a self-contained HTML page (pyvis), the analysed slice as
JSON, or GraphML/GEXF with every measure (explorer.analytics.export), for the CLI's
``export`` command and the pages' Export links alike."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import orjson

from . import __version__
from .analytics.export import FORMATS as GRAPH_FORMATS
from .analytics.export import export_text
from .analytics.slice_analysis import AnalysisOptions, analyse_slice
from .errors import InvalidParameter
from .graph import Graph
from .slices import SliceOptions
from .standalone import COLOURS, THEMES, standalone_html
from .targets import Target

FORMATS = {"html": "text/html", "json": "application/json", **GRAPH_FORMATS}


@dataclass(frozen=True)
class Document:
    """An export: its text, media type and a file name to save it under."""

    text: str
    mimetype: str
    filename: str


def check_choice(name: str, value: str, choices: tuple[str, ...] | list[str]) -> str:
    """``value`` if it is one of ``choices``; InvalidParameter naming them otherwise."""
    if value not in choices:
        raise InvalidParameter(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def export_document(graph: Graph, target: Target, fmt: str, options: SliceOptions, *,
                    colour: str = "ring", theme: str = "light",
                    analysis_options: AnalysisOptions | None = None) -> Document:
    """The target's slice, analysed (communities and centralities), in ``fmt``.
    ``colour`` and ``theme`` style the HTML page; colouring by topic or institution asks
    for each person's main topic and latest institution."""
    check_choice("format", fmt, list(FORMATS))
    check_choice("colour", colour, COLOURS)
    check_choice("theme", theme, THEMES)
    if colour in ("topic", "institution") and not options.facets:
        options = replace(options, facets=True)
    piece = target.slice(graph, options)
    if target.kind == "path" and not piece.get("found"):
        raise InvalidParameter("no chain of co-authorships joins these two researchers"
                               + (" within the time limit"
                                  if piece.get("stopped_at_time_limit") else "")
                               + "; there is no graph to export")
    analysis = analyse_slice(graph.store, piece, analysis_options or AnalysisOptions())
    if fmt == "json":
        text = orjson.dumps(analysis, option=orjson.OPT_INDENT_2).decode() + "\n"
    elif fmt == "html":
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        text = standalone_html(analysis, title=target.title(graph), colour=colour,
                               theme=theme,
                               exported=f"Exported by coauthor-explorer {__version__} "
                                        f"on {stamp}.")
    else:
        text = export_text(analysis, fmt)
    return Document(text, FORMATS[fmt], target.filename(fmt))
