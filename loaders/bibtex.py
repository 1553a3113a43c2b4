"""BibTeX (.bib): entries with their full author lists, parsed by bibtexparser 2."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry

from explorer.names import fold
from explorer.records import AuthorRef, Work

from .base import Rejected, name_id, read_text

_ARXIV = re.compile(r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})")
_YEAR = re.compile(r"\b(\d{4})\b")


def _paper_id(fields: dict[str, str], title: str, year: int | None) -> str:
    if fields.get("doi"):
        return f"doi:{fields['doi'].strip().lower()}"
    eprint = fields.get("eprint", "")
    if eprint and _ARXIV.fullmatch(eprint.strip()):
        return f"arxiv:{eprint.strip()}"
    digest = hashlib.blake2b(f"{fold(title)}|{year}".encode(), digest_size=8).hexdigest()
    return f"title:{digest}"


def _display_name(name: str) -> str:
    """'Rae, Jack W.' -> 'Jack W. Rae'; names already in display order stay as they are."""
    last, sep, first = name.partition(",")
    return f"{first.strip()} {last.strip()}".strip() if sep else name.strip()


def _middleware() -> list:
    return [LatexDecodingMiddleware(), SeparateCoAuthors()]


def _recovered(block: object) -> Entry | None:
    """The entry inside a block bibtexparser set aside although it is a real record: a key
    used twice in one file (exports repeat keys for different papers) or a field given
    twice (Scopus repeats ``funding_details``; the first value is kept)."""
    if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
        entry = block.ignore_error_block
        if isinstance(entry, Entry):
            library = bibtexparser.Library([entry])
            for middleware in _middleware():
                library = middleware.transform(library)
            return library.entries[0] if library.entries else None
    return None


def read(path: Path) -> Iterator[Work | Rejected]:
    text = read_text(path)
    library = bibtexparser.parse_string(text, append_middleware=_middleware())
    if not library.entries and not library.failed_blocks:
        reason = "the file is empty" if not text.strip() else "no BibTeX entries: wrong format?"
        yield Rejected(str(path), "file", reason)
        return
    entries = list(library.entries)
    for block in library.failed_blocks:
        entry = _recovered(block)
        if entry is not None:
            entries.append(entry)
            continue
        yield Rejected(str(path), f"line {block.start_line + 1}",
                       f"not a valid BibTeX entry ({type(block).__name__})")
    entries.sort(key=lambda e: e.start_line or 0)  # file order: a later record wins
    for entry in entries:
        fields = {k.lower(): v for k, v in entry.fields_dict.items()}
        record = f"entry {entry.key} (line {entry.start_line + 1})"
        title = " ".join(str(fields["title"].value).split()) if "title" in fields else ""
        if not title:
            yield Rejected(str(path), record, "no title")
            continue
        names = fields["author"].value if "author" in fields else []
        if isinstance(names, str):
            names = [names]
        shown = [_display_name(n) for n in names if fold(n)]
        authors = tuple(AuthorRef(name_id(n), n) for n in shown)
        year_match = _YEAR.search(str(fields["year"].value)) if "year" in fields else None
        year = int(year_match.group(1)) if year_match else None
        plain = {k: str(v.value).strip() for k, v in fields.items() if k != "author"}
        paper_id = _paper_id(plain, title, year)
        yield Work(
            id=paper_id, title=title, year=year,
            doi=plain.get("doi", "").lower() or None,
            arxiv_id=plain.get("eprint") if paper_id.startswith("arxiv:") else None,
            venue=plain.get("journal") or plain.get("booktitle") or plain.get("publisher"),
            type=entry.entry_type.lower(), source="bibtex", authors=authors,
        )
