"""Loaders: read bibliographic files into :class:`explorer.records.Work` records.

Each source is one module with ``read(path) -> Iterator[Work | Deletion | Rejected]``;
modules are imported when first used, so one source's parser never slows another's start.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

from .base import Rejected

Reader = Callable[[Path], Iterator["object"]]

SOURCES: dict[str, str] = {
    "openalex": "OpenAlex works: API pages, single works, snapshot JSON Lines",
    "dblp": "DBLP XML (dblp.xml with its DTD), streamed",
    "arxiv": "arXiv metadata: Kaggle snapshot JSON Lines or OAI-PMH XML",
    "crossref": "Crossref works JSON: API responses or one work per line",
    "pubmed": "PubMed/MEDLINE XML (PubmedArticleSet) or MEDLINE text (.nbib/.txt)",
    "bibtex": "BibTeX (.bib)",
    "ris": "RIS (.ris)",
    "scopus": "Scopus CSV export",
    "wos": "Web of Science plain-text or tab-delimited export",
}
"""Every source, with the one-line description the CLI shows."""


def reader(source: str) -> Reader:
    """The ``read`` function of a source's module."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; choose from {', '.join(SOURCES)}")
    return import_module(f"loaders.{source}").read


__all__ = ["SOURCES", "Rejected", "reader"]
