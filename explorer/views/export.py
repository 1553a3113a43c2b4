"""Downloads of a graph, as the CLI's ``export`` writes them: ``/export/<kind>/<id>`` and
``/export/path?from=&to=``, with ``format=html|json|graphml|gexf`` and the slice options of
the JSON API (plus ``colour`` and ``theme`` for the HTML page). Errors are HTML pages, as
for every page outside /api/."""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..app import get_graph
from ..targets import Target
from .api import slice_options

bp = Blueprint("export", __name__, url_prefix="/export")


def _download(target: Target) -> Response:
    from ..exports import export_document  # pyvis and networkx: only when exporting

    document = export_document(
        get_graph(), target, request.args.get("format", "html"), slice_options(),
        colour=request.args.get("colour", "") or "ring",
        theme=request.args.get("theme", "") or "light")
    return Response(document.text, mimetype=document.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{document.filename}"'})


@bp.get("/<any(author,paper,topic,institution):kind>/<path:entity_id>")
def graph(kind: str, entity_id: str) -> Response:
    """The graph of an author, a paper, a topic or an institution."""
    return _download(Target(kind, entity_id))


@bp.get("/path")
def path() -> Response:
    """The collaboration path between two authors (?from=&to=)."""
    return _download(Target("path", request.args.get("from", ""),
                            request.args.get("to", "")))
