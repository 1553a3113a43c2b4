"""Embeddable graph widgets: ``/embed/<kind>/<id>`` and ``/embed/path?from=&to=`` draw just
the interactive graph (static/graph.js, as on the explorer's pages) with a link back to the
full explorer, for an ``<iframe>`` on another site. Options come from the query string;
who may frame these pages is the ``embed_origins`` setting (explorer/origins.py).

Also gives every graph view the links its Embed dialog needs (``embed_links``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from ..app import get_graph, unavailable_message
from ..errors import InvalidParameter, NotFound
from ..slices import filter_topic
from ..store import StoreUnavailable
from ..targets import Target
from .api import int_arg, slice_options

bp = Blueprint("embed", __name__, url_prefix="/embed")

KIND_PATTERN = "any(author,paper,topic,institution)"
COLOURS = ("ring", "topic", "institution", "community", "avg_year")
PATH_COLOURS = ("ring", "topic", "institution")  # a path has no analysis
THEMES = ("light", "dark")
HEIGHT = (480, 150, 2000)  # default, least, most (pixels)
SLICE_ARGS = ("depth", "limit", "min_weight", "year_from", "year_to", "topic")
PAGES = {"author": ("pages.author", "author_id"), "paper": ("pages.paper", "paper_id"),
         "topic": ("pages.topic", "topic_id"),
         "institution": ("pages.institution", "institution_id")}


def choice_arg(name: str, choices: tuple[str, ...]) -> str:
    """A query-string argument that must be one of ``choices`` (default the first)."""
    value = request.args.get(name, "") or choices[0]
    if value not in choices:
        raise InvalidParameter(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def _apis(target: Target) -> tuple[str, str]:
    """The slice and analysis endpoints the graph draws from."""
    if target.kind == "path":
        return url_for("api.path_slice") + "?" + urlencode({"from": target.id,
                                                            "to": target.to}), ""
    if target.kind == "author":
        return (url_for("api.author_slice", author_id=target.id),
                url_for("analytics.author_analysis", author_id=target.id))
    kinds = target.kind + "s"
    return (url_for("api.group_slice", kind=kinds, entity_id=target.id),
            url_for("analytics.group_analysis", kind=kinds, entity_id=target.id))


def _page(target: Target, query: dict[str, str]) -> str:
    """The full explorer's page of the target, with the same view options."""
    if target.kind == "path":
        return url_for("pages.path", **{"from": target.id, "to": target.to}, **query)
    endpoint, argument = PAGES[target.kind]
    return url_for(endpoint, **{argument: target.id}, **query)


def _render(target: Target) -> str:
    is_path = target.kind == "path"
    colour = choice_arg("colour", PATH_COLOURS if is_path else COLOURS)
    theme = choice_arg("theme", THEMES)
    height = int_arg("height", HEIGHT[0], low=HEIGHT[1], high=HEIGHT[2])
    options = slice_options()  # checks every slice option before anything is drawn
    graph = get_graph()
    topic = filter_topic(graph.store, options.topic) if options.topic and not is_path else None
    title = target.title(graph)
    given = {name: request.args[name] for name in SLICE_ARGS
             if request.args.get(name) and not is_path}
    slice_api, analysis_api = _apis(target)
    return render_template(
        "embed.html", target=target, title=title, colour=colour, theme=theme, height=height,
        filters=given, topic=topic,
        slice_api=slice_api, analysis_api=analysis_api,
        page_url=_page(target, {**given, **({"colour": colour} if colour != "ring" else {})}))


@bp.get(f"/<{KIND_PATTERN}:kind>/<path:entity_id>")
def graph(kind: str, entity_id: str) -> str:
    """The graph of an author, a paper, a topic or an institution."""
    return _render(Target(kind, entity_id))


@bp.get("/path")
def path() -> str:
    """The collaboration path between two authors (?from=&to=)."""
    return _render(Target("path", request.args.get("from", ""), request.args.get("to", "")))


@bp.errorhandler(NotFound)
def not_found(exc: NotFound) -> tuple[str, int]:
    return render_template("embed_error.html", status=404,
                           message=f"nothing has the id {exc.args[0]!r}"), 404


@bp.errorhandler(InvalidParameter)
def bad_request(exc: InvalidParameter) -> tuple[str, int]:
    return render_template("embed_error.html", status=400, message=str(exc)), 400


@bp.errorhandler(StoreUnavailable)
def unavailable(exc: StoreUnavailable) -> tuple[str, int, dict[str, str]]:
    return render_template("embed_error.html", status=503,
                           message=unavailable_message(exc)), 503, {"Retry-After": "5"}


def embed_links(kind: str, centre: str) -> dict[str, Any]:
    """What a graph view's Embed dialog builds its snippets from: the embed page, the
    export route, the widget script and the widget's attributes (a path's ends come from
    the request, as the path page takes them)."""
    if kind == "path":
        ends = {"from": request.args.get("from", centre), "to": request.args.get("to", "")}
        return {"embed": url_for("embed.path"), "export": url_for("export.path"),
                "ends": ends, "widget": ends,
                "script": url_for("static", filename="coauthor-graph.js")}
    return {"embed": url_for("embed.graph", kind=kind, entity_id=centre),
            "export": url_for("export.graph", kind=kind, entity_id=centre), "ends": {},
            "widget": {kind: centre},
            "script": url_for("static", filename="coauthor-graph.js")}


@bp.app_context_processor
def graph_view_helpers() -> dict[str, Any]:
    return {"embed_links": embed_links}
