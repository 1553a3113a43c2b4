"""The explorer's HTML pages: search, researcher profile, paper, topic, institution and
collaboration path. Each shows the same data as its JSON twin under /api/ (Jinja escapes
every value; the graph is drawn by static/graph.js from the JSON API)."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from ..app import get_graph
from ..slices import first_row
from .analytics import overview_data
from .api import int_arg
from .wording import counted, document_type, paragraphs, published, year_span

bp = Blueprint("pages", __name__)
bp.add_app_template_filter(counted, "counted")
bp.add_app_template_filter(document_type, "document_type")
bp.add_app_template_filter(paragraphs, "paragraphs")
bp.add_app_template_global(year_span, "year_span")
bp.add_app_template_global(published, "published")


@bp.get("/")
def search() -> str:
    return render_template("search.html", query=request.args.get("q", ""),
                           stats=get_graph().stats())


WORKS_PER_PAGE = 100


@bp.get("/authors/<path:author_id>")
def author(author_id: str) -> str:
    graph = get_graph()
    profile = graph.author(author_id)
    pages = max(1, -(-profile["works"] // WORKS_PER_PAGE))
    page = int_arg("page", 1, low=1, high=pages)
    works = graph.works(author_id, skip=(page - 1) * WORKS_PER_PAGE, limit=WORKS_PER_PAGE,
                        total=profile["works"])
    return render_template("author.html", author=profile, works=works, page=page,
                           pages=pages, first=(page - 1) * WORKS_PER_PAGE + 1)


COAUTHORS_PER_PAGE = 100
COAUTHOR_PAGES = 100
"""Pages of co-authors shown (the first 10,000, as far as the JSON and CSV pages go)."""


@bp.get("/authors/<path:author_id>/coauthors")
def coauthors(author_id: str) -> str:
    """Every co-author of a researcher, most joint papers first, a page at a time."""
    graph = get_graph()
    profile = first_row(graph.store, "author_profile", id=author_id)
    pages = min(max(1, -(-profile["coauthors"] // COAUTHORS_PER_PAGE)), COAUTHOR_PAGES)
    page = int_arg("page", 1, low=1, high=pages)
    skip = (page - 1) * COAUTHORS_PER_PAGE
    shown = graph.collaborators(author_id, limit=skip + COAUTHORS_PER_PAGE)[skip:]
    return render_template("coauthors.html", author=profile, coauthors=shown, page=page,
                           pages=pages, first=skip + 1,
                           cut=profile["coauthors"] > COAUTHOR_PAGES * COAUTHORS_PER_PAGE)


@bp.get("/papers/<path:paper_id>")
def paper(paper_id: str) -> str:
    return render_template("paper.html", paper=get_graph().paper(paper_id))


@bp.get("/topics/<path:topic_id>")
def topic(topic_id: str) -> str:
    return render_template("topic.html", topic=get_graph().topic(topic_id))


@bp.get("/institutions/<path:institution_id>")
def institution(institution_id: str) -> str:
    return render_template("institution.html",
                           institution=get_graph().institution(institution_id))


@bp.get("/overview")
def overview() -> str:
    return render_template("overview.html", overview=overview_data())


@bp.get("/path")
def path() -> str:
    source, target = request.args.get("from", ""), request.args.get("to", "")
    graph = get_graph()
    ends = [graph.author_ref(i) if i else None for i in (source, target)]
    same = bool(source) and source == target
    found = graph.path(source, target) if source and target and not same else None
    query = urlencode({"from": source, "to": target})
    return render_template("path.html", ends=ends, found=found, same=same,
                           twin=url_for("api.path") + "?" + query,
                           path_slice_api=url_for("api.path_slice") + "?" + query)
