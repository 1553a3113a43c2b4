"""Which source a file comes from, told from its first bytes (for ``load auto``)."""

from __future__ import annotations

import re
from pathlib import Path

from .base import open_binary, reporting_bytes_read, unreadable_file_errors

_HEAD_BYTES = 64 * 1024
_XML_ROOTS = {"PubmedArticleSet": "pubmed", "MedlineCitationSet": "pubmed",
              "PubmedBookArticleSet": "pubmed", "dblp": "dblp", "OAI-PMH": "arxiv"}
_XML_ROOT = re.compile(rb"<(?!\?|!)([A-Za-z][\w.-]*:)?([A-Za-z][\w.-]*)")
_JSON_HINTS = (("authorships", "openalex"), ("openalex.org", "openalex"),
               ("authors_parsed", "arxiv"), ('"message-type"', "crossref"),
               ('"container-title"', "crossref"), ('"DOI"', "crossref"))


def _head(path: Path) -> str:
    with reporting_bytes_read(lambda _: None), unreadable_file_errors(path), \
            open_binary(path) as handle:  # a look ahead: not the load's progress
        raw = handle.read(_HEAD_BYTES)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    return raw.decode("utf-8-sig", errors="replace")  # may end mid-character


def _xml_source(head: str) -> str | None:
    body = re.sub(r"<!--.*?-->|<!DOCTYPE[^>]*>", "", head, flags=re.S)
    match = _XML_ROOT.search(body.encode())
    return _XML_ROOTS.get(match.group(2).decode()) if match else None


def detect_source(path: Path) -> str | None:
    """The source name for a file, or None when its first bytes match no known format."""
    head = _head(path)
    text = head.lstrip("\ufeff \t\r\n")
    first_line = text.splitlines()[0] if text else ""
    if text.startswith("<"):
        return _xml_source(text)
    if text.startswith(("{", "[")):
        return next((source for hint, source in _JSON_HINTS if hint in head), None)
    if text.startswith("@"):
        return "bibtex"
    if re.match(r"TY  - ", text):
        return "ris"
    if re.match(r"(PMID|PMC)- ", text):
        return "pubmed"
    if first_line.startswith(("FN ", "PT ")) or re.match(r"PT\tAU\t|PT\t", first_line):
        return "wos"
    if "EID" in first_line and ("Source title" in first_line or "Title" in first_line):
        return "scopus"
    if re.search(r"^@\w+\s*[{(]", text, re.M):  # BibTeX after a comment preamble
        return "bibtex"
    return None
