"""Browser libraries served from installed Python packages, never from a CDN:
vis-network ships inside pyvis."""

from __future__ import annotations

from pathlib import Path

import pyvis
from flask import Blueprint, Response, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")

VIS_NETWORK_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"


@bp.get("/vis-network.min.js")
def vis_network() -> Response:
    return send_from_directory(VIS_NETWORK_DIR, "vis-network.min.js", max_age=86400)
