"""``/api/openapi.json``: the OpenAPI 3.1 document of the API, written by hand in
explorer/openapi.yaml (a test checks it against the app's routes and validates it)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint
from werkzeug.wrappers import Response

from .formats import json_response

bp = Blueprint("openapi", __name__)
DOCUMENT = Path(__file__).resolve().parent.parent / "openapi.yaml"


@cache
def openapi_document() -> dict[str, Any]:
    """The document, read once."""
    with DOCUMENT.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@bp.get("/api/openapi.json")
def document() -> Response:
    return json_response(openapi_document(), headers={"Cache-Control": "max-age=300"})
