"""The JSON API: every read of the graph, by id or by query string."""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, jsonify, request
from werkzeug.wrappers import Response

from ..app import get_graph
from ..errors import InvalidParameter
from ..slices import ALL_YEARS, MAX_EXPANSION, MAX_SLICE, SliceOptions, first_row
from .formats import answer, next_link, page_args, paged, slice_table

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
    """What the API offers, with the size of the graph; /api/openapi.json describes it all."""
    return jsonify({"stats": get_graph().stats(), "openapi": "/api/openapi.json",
                    "formats": "format=json (default) or format=csv on every list and object",
                    "endpoints": [
        "/api/search?q=…&kind=authors|papers|topics|institutions&offset=&limit=",
        "/api/authors/<id>", "/api/authors/<id>/works?offset=&limit=",
        "/api/authors/<id>/collaborators?offset=&limit=",
        "/api/authors/<id>/slice?depth=&limit=&min_weight=&year_from=&year_to=&topic=&facets=",
        "POST /api/authors/<id>/expand?limit= with {\"shown\": [ids]}",
        "/api/path?from=<id>&to=<id>", "/api/path/slice?from=<id>&to=<id>",
        "/api/papers/<id>", "/api/papers/<id>/slice", "/api/topics/<id>",
        "/api/topics/<id>/authors", "/api/topics/<id>/papers", "/api/topics/<id>/slice",
        "/api/institutions/<id>", "/api/institutions/<id>/people",
        "/api/institutions/<id>/slice",
        "/api/authors/<id>/analysis (also papers, topics, institutions)",
        "/api/authors/<id>/timeline", "/api/overview", "/api/stats",
        "POST /api/cypher with {\"query\": …, \"params\": {…}}",
        "/api/queries", "/api/queries/<name>?<parameter>=…"]})


@bp.get("/stats")
def stats() -> Response:
    """Counts by kind; as CSV, one row per kind."""
    figures = get_graph().stats()
    return answer(figures, lambda d: (["what", "total"], [[k, v] for k, v in d.items()]),
                  "stats")


@bp.get("/search")
def search() -> Response:
    """A page of hits (``offset``, ``limit`` up to 100)."""
    kind = request.args.get("kind", "authors")
    offset, limit = page_args(limit=20, most=100, max_offset=1000)
    text = request.args.get("q", "")
    return paged(lambda n: get_graph().search(text, kind=kind, limit=n), offset=offset,
                 limit=limit, filename=f"search-{kind}")


@bp.get("/authors/<path:author_id>/works")
def author_works(author_id: str) -> Response:
    """A page of the researcher's works, newest first (``offset``, or ``skip``)."""
    offset, limit = page_args(limit=50, most=500, max_offset=10**9, offset_aliases=("skip",))
    graph = get_graph()
    total = first_row(graph.store, "author_profile", id=author_id)["works"]
    works = graph.works(author_id, skip=offset, limit=limit, total=total)
    headers = next_link(offset, limit, offset + limit < total)
    return answer(works, filename="works", headers={**headers, "X-Total-Count": str(total)})


@bp.get("/authors/<path:author_id>/collaborators")
def author_collaborators(author_id: str) -> Response:
    """A page of the researcher's co-authors, most joint papers first."""
    offset, limit = page_args(limit=50, most=500)
    graph = get_graph()
    graph.author_ref(author_id)  # 404 for an unknown id
    return paged(lambda n: graph.collaborators(author_id, limit=n), offset=offset,
                 limit=limit, filename="collaborators")


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
    return answer(get_graph().neighbourhood(author_id, slice_options()), slice_table,
                  "slice")


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
    """The profile; as CSV, one row (its lists as names)."""
    return answer(get_graph().author(author_id), filename="author")


def path_table(found: dict) -> tuple[list[str], list[list]]:
    """One row per link of the chain, with the joint papers' titles."""
    names = {a["id"]: a["name"] for a in found["authors"]}
    return (["step", "source", "source_name", "target", "target_name", "papers"],
            [[i + 1, link["source"], names.get(link["source"]), link["target"],
              names.get(link["target"]), "; ".join(p["title"] or "" for p in link["papers"])]
             for i, link in enumerate(found["links"])])


@bp.get("/path")
def path() -> Response:
    source, target = request.args.get("from"), request.args.get("to")
    if not source or not target:
        raise InvalidParameter("give two author ids: ?from=…&to=…")
    return answer(get_graph().path(source, target), path_table, "path")


@bp.get("/path/slice")
def path_slice() -> Response:
    """The collaboration path as a graph slice."""
    source, target = request.args.get("from"), request.args.get("to")
    if not source or not target:
        raise InvalidParameter("give two author ids: ?from=…&to=…")
    return answer(get_graph().path_slice(source, target, facets=facets_arg()), slice_table,
                  "path-slice")


@bp.get("/papers/<path:entity_id>/slice", defaults={"kind": "papers"})
@bp.get("/topics/<path:entity_id>/slice", defaults={"kind": "topics"})
@bp.get("/institutions/<path:entity_id>/slice", defaults={"kind": "institutions"})
def group_slice(kind: str, entity_id: str) -> Response:
    """The people of a paper, a topic or an institution (depth 2 adds their co-authors)."""
    return answer(get_graph().group_slice(kind, entity_id, slice_options()), slice_table,
                  "slice")


@bp.get("/papers/<path:paper_id>")
def paper(paper_id: str) -> Response:
    return answer(get_graph().paper(paper_id), filename="paper")


@bp.get("/topics/<path:entity_id>/authors", defaults={"query": "topic_authors", "of": "topic"})
@bp.get("/topics/<path:entity_id>/papers", defaults={"query": "topic_papers", "of": "topic"})
@bp.get("/institutions/<path:entity_id>/people",
        defaults={"query": "institution_authors", "of": "institution"})
def group_list(entity_id: str, query: str, of: str) -> Response:
    """A page of a topic's researchers or works, or of an institution's people."""
    offset, limit = page_args(limit=50, most=500)
    store = get_graph().store
    first_row(store, of, id=entity_id)  # 404 for an unknown id
    return paged(lambda n: store.query(query, id=entity_id, limit=n), offset=offset,
                 limit=limit, filename=query.replace("_", "-"))


@bp.get("/topics/<path:topic_id>")
def topic(topic_id: str) -> Response:
    return answer(get_graph().topic(topic_id), filename="topic")


@bp.get("/institutions/<path:institution_id>")
def institution(institution_id: str) -> Response:
    return answer(get_graph().institution(institution_id), filename="institution")
