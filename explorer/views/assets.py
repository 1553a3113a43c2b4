"""Browser libraries served from installed Python packages, never from a CDN:
vis-network ships inside pyvis (found without importing pyvis, which brings networkx)."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path

from flask import Blueprint, Response, send_from_directory

bp = Blueprint("assets", __name__, url_prefix="/assets")



def _vis_network_dir() -> Path:
    """The newest vis-network that the installed pyvis ships (lib/vis-<version>/)."""
    spec = find_spec("pyvis")
    package = Path(spec.origin).parent if spec and spec.origin else Path("pyvis-not-installed")
    found = sorted((package / "lib").glob("vis-*/vis-network.min.js"),
                   key=lambda p: tuple(int(x) for x in p.parent.name[4:].split(".")
                                       if x.isdigit()))
    if not found:
        raise RuntimeError("the installed pyvis ships no vis-network.min.js; "
                           "reinstall coauthor-explorer's dependencies")
    return found[-1].parent


VIS_NETWORK_DIR = _vis_network_dir()


@bp.get("/vis-network.min.js")
def vis_network() -> Response:
    return send_from_directory(VIS_NETWORK_DIR, "vis-network.min.js", max_age=86400)
