"""The JSON API: every read of the graph, by id or by query string."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from ..app import get_graph
from ..errors import InvalidParameter
from ..slices import ALL_YEARS, MAX_EXPANSION, MAX_SLICE, SliceOptions

bp = Blueprint("api", __name__, url_prefix="/api")


def int_arg(name: str, default: int, *, low: int, high: int) -> int:
    """An integer query-string argument within bounds; a bad one is a 400."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidParameter(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise InvalidParameter(f"{name} must be between {low} and {high}")
    return value


@bp.get("/")
def index() -> Response:
    """What the API offers, with the size of the graph."""
    return jsonify({"stats": get_graph().stats(), "endpoints": [
        "/api/search?q=…&kind=authors|papers|topics|institutions", "/api/authors/<id>",
        "/api/authors/<id>/works",
        "/api/authors/<id>/slice?depth=&limit=&min_weight=&year_from=&year_to=&topic=&facets=",
        "POST /api/authors/<id>/expand?limit= with {\"shown\": [ids]}",
        "/api/path?from=<id>&to=<id>", "/api/path/slice?from=<id>&to=<id>",
        "/api/papers/<id>", "/api/papers/<id>/slice", "/api/topics/<id>",
        "/api/topics/<id>/slice", "/api/institutions/<id>", "/api/institutions/<id>/slice",
        "/api/authors/<id>/analysis (also papers, topics, institutions)",
        "/api/authors/<id>/timeline", "/api/overview", "/api/stats"]})


@bp.get("/stats")
def stats() -> Response:
    return jsonify(get_graph().stats())


@bp.get("/search")
def search() -> Response:
    kind = request.args.get("kind", "authors")
    limit = int_arg("limit", 20, low=1, high=100)
    return jsonify(get_graph().search(request.args.get("q", ""), kind=kind, limit=limit))


@bp.get("/authors/<path:author_id>/works")
def author_works(author_id: str) -> Response:
    skip = int_arg("skip", 0, low=0, high=10**9)
    limit = int_arg("limit", 50, low=1, high=500)
    return jsonify(get_graph().works(author_id, skip=skip, limit=limit))


def slice_options(*, depth: int = 1) -> SliceOptions:
    """The slice options of a request's query string (shared by every slice endpoint)."""
    return SliceOptions(
        depth=int_arg("depth", depth, low=1, high=2),
        limit=int_arg("limit", 100, low=1, high=MAX_SLICE),
        min_weight=int_arg("min_weight", 1, low=1, high=10**6),
        year_from=int_arg("year_from", ALL_YEARS[0], low=0, high=9999),
        year_to=int_arg("year_to", ALL_YEARS[1], low=0, high=9999),
        topic=request.args.get("topic", "").strip(),
        facets=facets_arg(),
    )


def facets_arg() -> bool:
    """``facets=1``: give each person their main topic and latest institution."""
    return request.args.get("facets", "") in ("1", "true", "yes")


@bp.get("/authors/<path:author_id>/slice")
def author_slice(author_id: str) -> Response:
    """The researcher's neighbourhood: depth, limit, min_weight, year_from, year_to, topic,
    facets."""
    return jsonify(get_graph().neighbourhood(author_id, slice_options()))


@bp.post("/authors/<path:author_id>/expand")
def author_expand(author_id: str) -> Response:
    """The next strongest co-authors of a drawn person; the JSON body lists the drawn ids
    (``{"shown": [...]}``), the query string takes the slice options (limit default 25)."""
    body = request.get_json(silent=True)
    shown = body.get("shown") if isinstance(body, dict) else None
    if not isinstance(shown, list) or not all(isinstance(i, str) for i in shown):
        raise InvalidParameter('send a JSON body {"shown": [ids of the people drawn]}')
    options = replace(slice_options(), limit=int_arg("limit", 25, low=1, high=MAX_EXPANSION))
    return jsonify(get_graph().expansion(author_id, shown, options))


@bp.get("/authors/<path:author_id>")
def author(author_id: str) -> Response:
    return jsonify(get_graph().author(author_id))


@bp.get("/path")
def path() -> Response:
    source, target = request.args.get("from"), request.args.get("to")
    if not source or not target:
        raise InvalidParameter("give two author ids: ?from=…&to=…")
    return jsonify(get_graph().path(source, target))


@bp.get("/path/slice")
def path_slice() -> Response:
    """The collaboration path as a graph slice."""
    source, target = request.args.get("from"), request.args.get("to")
    if not source or not target:
        raise InvalidParameter("give two author ids: ?from=…&to=…")
    return jsonify(get_graph().path_slice(source, target, facets=facets_arg()))


@bp.get("/papers/<path:entity_id>/slice", defaults={"kind": "papers"})
@bp.get("/topics/<path:entity_id>/slice", defaults={"kind": "topics"})
@bp.get("/institutions/<path:entity_id>/slice", defaults={"kind": "institutions"})
def group_slice(kind: str, entity_id: str) -> Response:
    """The people of a paper, a topic or an institution (depth 2 adds their co-authors)."""
    return jsonify(get_graph().group_slice(kind, entity_id, slice_options()))


@bp.get("/papers/<path:paper_id>")
def paper(paper_id: str) -> Response:
    return jsonify(get_graph().paper(paper_id))


@bp.get("/topics/<path:topic_id>")
def topic(topic_id: str) -> Response:
    return jsonify(get_graph().topic(topic_id))


@bp.get("/institutions/<path:institution_id>")
def institution(institution_id: str) -> Response:
    return jsonify(get_graph().institution(institution_id))
