"""Where the packaged resources live, installed (wheel) or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """``cypher`` etc.: inside the installed package, else at the top of the checkout."""
    installed = _PACKAGE_DIR / "_resources" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


CYPHER_DIR = resource_dir("cypher")
