"""The analytics JSON API: a slice with communities and centralities (or as GraphML/GEXF),
an author's timeline and the whole-graph overview. Bad parameters are 400s and unknown ids
404s, through the app's error handlers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, current_app, jsonify, request

from ..analytics.timeline import DEFAULT_TOPICS, author_timeline
from ..app import get_graph
from ..errors import InvalidParameter
from .api import int_arg, slice_options
from .formats import answer, csv_response, records_table, slice_table

if TYPE_CHECKING:
    from ..analytics.slice_analysis import AnalysisOptions

# The analytics modules (networkx, igraph, scipy) are imported by the views that use them:
# every command of the CLI creates the app, and most never draw a graph.

bp = Blueprint("analytics", __name__, url_prefix="/api")

GRAPH_FORMATS = ("graphml", "gexf")
"""Download formats of an analysed slice (explorer.analytics.export.FORMATS)."""


def float_arg(name: str, default: float) -> float:
    """A number from the query string; a bad one is a 400 (bounds are the options')."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be a number, not {raw!r}") from None
    if not math.isfinite(value):
        raise InvalidParameter(f"{name} must be a finite number")
    return value


def analysis_options() -> AnalysisOptions:
    from ..analytics.slice_analysis import AnalysisOptions

    defaults = AnalysisOptions()
    return AnalysisOptions(
        resolution=float_arg("resolution", defaults.resolution),
        min_size=int_arg("min_size", defaults.min_size, low=1, high=5000),
        seed=int_arg("seed", defaults.seed, low=0, high=2**32 - 1),
        top=int_arg("top", defaults.top, low=1, high=50),
    )


def _answer(piece: dict[str, Any], options: AnalysisOptions, fmt: str,
            name: str) -> Response:
    from ..analytics.export import FORMATS, export_text
    from ..analytics.slice_analysis import analyse_slice

    analysis = analyse_slice(get_graph().store, piece, options)
    if fmt == "json":
        return jsonify(analysis)
    if fmt == "csv":
        return csv_response(slice_table(analysis), f"{name}-analysis")
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in name)
    filename = safe.strip("-") or "slice"
    return Response(export_text(analysis, fmt), mimetype=FORMATS[fmt], headers={
        "Content-Disposition": f'attachment; filename="{filename}.{fmt}"'})


def _format() -> str:
    fmt = request.args.get("format", "json")
    if fmt not in ("json", "csv", *GRAPH_FORMATS):
        raise InvalidParameter(f"format must be one of json, csv, {', '.join(GRAPH_FORMATS)}")
    return fmt


@bp.get("/authors/<path:author_id>/analysis")
def author_analysis(author_id: str) -> Response:
    """The researcher's slice (the /slice parameters) with communities, centralities and
    brokers; ?format=graphml or gexf downloads it."""
    fmt, options, slicing = _format(), analysis_options(), slice_options()
    return _answer(get_graph().neighbourhood(author_id, slicing), options, fmt, author_id)


@bp.get("/papers/<path:entity_id>/analysis", defaults={"kind": "papers"})
@bp.get("/topics/<path:entity_id>/analysis", defaults={"kind": "topics"})
@bp.get("/institutions/<path:entity_id>/analysis", defaults={"kind": "institutions"})
def group_analysis(kind: str, entity_id: str) -> Response:
    """The same for the slice of a paper's, a topic's or an institution's people."""
    fmt, options, slicing = _format(), analysis_options(), slice_options()
    return _answer(get_graph().group_slice(kind, entity_id, slicing), options, fmt,
                   entity_id)


@bp.get("/authors/<path:author_id>/timeline")
def timeline(author_id: str) -> Response:
    topics = int_arg("topics", DEFAULT_TOPICS, low=1, high=50)
    return answer(author_timeline(get_graph(), author_id, topics=topics), timeline_table,
                  "timeline")


def timeline_table(series: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One row per year: works, new and total co-authors, works on each main topic."""
    topics = series.get("topics") or []
    columns = ["year", "works", "new_coauthors", "coauthors_total",
               *(t["name"] for t in topics), "other_topics"]
    rows = [[year, series["works"][i], series["new_coauthors"][i],
             series["coauthors_total"][i], *(t["counts"][i] for t in topics),
             series["other_topics"][i]] for i, year in enumerate(series["years"])]
    return columns, rows


def overview_data() -> dict[str, Any]:
    """The whole-graph overview for this request (?top=, ?refresh=1), cached while the
    graph's counts stay the same; the /overview page shows the same."""
    from ..analytics.overview import DEFAULT_TOP, OverviewCache

    config = current_app.config["EXPLORER"]
    cache = current_app.extensions.setdefault("coauthor_overview", OverviewCache())
    top = int_arg("top", DEFAULT_TOP, low=1, high=100)
    refresh = request.args.get("refresh", "") not in ("", "0", "false")
    return cache.get(get_graph().store, refresh=refresh, top=top,
                     timeout_ms=config.analysis_timeout_ms,
                     max_pairs=config.components_max_pairs)


#: The overview's tables, for ``?format=csv&table=…``.
OVERVIEW_TABLES = ("counts", "degree_distribution", "weight_distribution", "top_pairs",
                   "top_authors", "top_institutions", "top_topics")


def overview_table(data: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """One of the overview's tables (``table=``, default ``counts``)."""
    name = request.args.get("table", "counts")
    if name not in OVERVIEW_TABLES:
        raise InvalidParameter(f"table must be one of {', '.join(OVERVIEW_TABLES)}")
    part = data[name]
    if name == "counts":
        return ["what", "total"], [[k, v] for k, v in part.items()]
    if name == "degree_distribution":
        return ["degree", "authors"], [list(r) for r in zip(part["degree"], part["authors"],
                                                            strict=True)]
    if name == "weight_distribution":
        return ["weight", "pairs"], [list(r) for r in zip(part["weight"], part["pairs"],
                                                          strict=True)]
    if name == "top_pairs":
        return records_table({"source": p["source"]["id"], "source_name": p["source"]["name"],
                              "target": p["target"]["id"], "target_name": p["target"]["name"],
                              "weight": p["weight"], "first_year": p["first_year"],
                              "last_year": p["last_year"]} for p in part)
    return records_table(part)


@bp.get("/overview")
def overview() -> Response:
    """Cached while the graph's counts stay the same; ?refresh=1 recomputes. As CSV, one of
    its tables (``table=counts|degree_distribution|…``)."""
    return answer(overview_data(), overview_table, "overview")
