"""BibTeX (.bib): entries with their full author lists, parsed by bibtexparser 2.

Keywords become topics (``keyword:<folded keyword>``): ``keywords`` (biblatex, Zotero,
JabRef, Web of Science), except in Scopus exports (``source = {Scopus}``), where only the
authors' own ``author_keywords`` are used (their ``keywords`` are Scopus's index terms,
'human', 'article' and the like). A Scopus entry's ``affiliation`` lists the paper's
institutions without saying whose they are: they go to authors only where the list leaves
little doubt (one author: all of them; one institution: every author's, even an author
Scopus gave none), as in the Scopus CSV loader. ``pubmed_id`` is the paper's PMID (so
PubMed's deletions find the paper, as for Scopus CSV, WoS and OpenAlex records).

The abstract is ``abstract`` as plain text (LaTeX decoded, markup such as Scopus's
``<inline-formula>`` removed). The publication date is biblatex's ``date`` (``2022-04-29``) when
it is in the paper's year, else ``year`` with ``month`` (``apr``, ``{April}``, ``4``) and
``day``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import bibtexparser
from bibtexparser.middlewares import BlockMiddleware, LatexDecodingMiddleware, SeparateCoAuthors
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from explorer.names import fold
from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work

from .base import (
    Rejected,
    doi_id,
    institution_from_text,
    keyword_topics,
    name_id,
    read_text,
    title_id,
)
from .paper_details import in_year, iso_date, plain_abstract, publication_date

# Its warnings about broken entries become this loader's rejects (with file and line).
logging.getLogger("bibtexparser").setLevel(logging.ERROR)

_USED_FIELDS = frozenset({"author", "title", "year", "doi", "eprint", "journal", "booktitle",
                          "publisher", "keywords", "author_keywords", "affiliation",
                          "source", "pubmed_id", "abstract", "month", "day", "date",
                          "howpublished"})

_ARXIV = re.compile(r"(?i:arXiv:)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
"""An eprint that is an arXiv id: '0704.0002', 'arXiv:0704.0002v2' (a version is the same
paper), 'hep-th/9901001'."""
_YEAR = re.compile(r"\b(\d{4})\b")


def _paper_id(fields: dict[str, str], title: str, year: int | None) -> str:
    found = doi_id(fields.get("doi"))
    if found:
        return found
    arxiv = _arxiv_id(fields.get("eprint", ""))
    return f"arxiv:{arxiv}" if arxiv else title_id(title, year)


def _arxiv_id(eprint: str) -> str | None:
    found = _ARXIV.fullmatch(eprint.strip())
    return found.group(1) if found else None


class _UsedFieldsOnly(BlockMiddleware):
    """Drop the fields the graph does not use before LaTeX decoding: references and
    funding texts are most of an export and decoding them is most of the parse time."""

    def transform_entry(self, entry: Entry, library: object) -> Entry:
        entry.fields = [f for f in entry.fields if f.key.lower() in _USED_FIELDS]
        return entry


_BARE_SPECIAL = re.compile(r"(\$[^$]*\$)|(?<!\\)([&%])")  # math ($…$) is left as written


class _BareAmpersandsAndPercents(BlockMiddleware):
    """A bare '&' (hand-written .bib files have 'Smith & Jones' in titles and names) is the
    text's ampersand, not LaTeX's column separator, which decoding would drop; a bare '%'
    (Scopus abstracts: 'a gain of 12%') is the text's percent sign, not a LaTeX comment,
    which would drop the rest of the value: escape both first, as '\\&' and '\\%' are."""

    def transform_entry(self, entry: Entry, library: object) -> Entry:
        for item in entry.fields:
            if isinstance(item.value, str) and ("&" in item.value or "%" in item.value):
                item.value = _BARE_SPECIAL.sub(lambda m: m[1] or "\\" + m[2], item.value)
        return entry


def _author(name: str) -> AuthorRef:
    """'Rae, Jack W.' -> 'Jack W. Rae' with family 'Rae' and given 'Jack W.'; names already
    in display order stay as they are, unsplit."""
    last, sep, first = (part.strip() for part in name.partition(","))
    if not sep:
        return AuthorRef(name_id(last), last)
    shown = f"{first} {last}".strip()
    return AuthorRef(name_id(shown), shown, family=last or None, given=first or None)


def _year(fields: dict[str, str]) -> int | None:
    """``year``, else the year of biblatex's ``date`` ('2022-04-29', '2022')."""
    found = _YEAR.search(fields.get("year", "")) or _YEAR.search(fields.get("date", ""))
    return int(found.group(1)) if found else None


def _date(fields: dict[str, str], year: int | None) -> str | None:
    """biblatex's date ('2022-04-29') when it is in the paper's year, else the year with
    month ('apr', 'April', '4') and day."""
    if year is None:
        return None
    return (in_year(year, iso_date(fields.get("date")))
            or publication_date(year, fields.get("month"), fields.get("day")))


def _kind(entry_type: str, fields: dict[str, str], arxiv_id: str | None) -> str:
    """The entry type, except that a ``@misc`` or ``@unpublished`` entry of an arXiv paper
    (an arXiv eprint, or arXiv as its publisher, journal or ``howpublished``) is a preprint."""
    kind = entry_type.lower()
    if kind in ("misc", "unpublished", "online") and (arxiv_id or any(
            "arxiv" in fields.get(key, "").lower()
            for key in ("publisher", "journal", "howpublished"))):
        return "preprint"
    return kind


def _keywords(fields: dict[str, str]) -> tuple[TopicRef, ...]:
    """The entry's keywords as topics, each folded keyword once, in the order given."""
    scopus = fields.get("source", "").lower() == "scopus"
    text = fields.get("author_keywords", "") if scopus else fields.get("keywords", "")
    return keyword_topics(text.split(";" if ";" in text else ","))


def _with_affiliations(authors: tuple[AuthorRef, ...],
                       fields: dict[str, str]) -> tuple[AuthorRef, ...]:
    """Scopus entries: the listed institutions given to authors where the list leaves
    little doubt (see the module's notes)."""
    if fields.get("source", "").lower() != "scopus" or not authors:
        return authors
    places: dict[str, InstitutionRef] = {}
    for text in fields.get("affiliation", "").split(";"):
        found = institution_from_text(text)
        if found is not None:
            places.setdefault(found.id, found)
    if not places or (len(authors) > 1 and len(places) > 1):
        return authors
    return tuple(replace(a, institutions=tuple(places.values())) for a in authors)


_LATEX = re.compile(r"[\\{}$%~&#^_]|--|``|''|!`|\?`")
"""What LaTeX decoding can change in a value: macros, groups, math, special characters,
dashes and quote ligatures."""


class _LatexDecodingWherePresent(LatexDecodingMiddleware):
    """LaTeX decoding for the values that hold some LaTeX; plain values (most of an export,
    keywords and affiliations especially) stay as they are, which decoding would give too
    (tests/test_load_bibtex.py compares them) at a tenth of the time."""

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        if not _LATEX.search(python_string):
            return python_string, ""
        return super()._transform_python_value_string(python_string)


def _kept_macro(node: Any, l2tobj: object = None) -> str:
    return "\\" + node.macroname + (" " if node.macro_post_space else "")


def _decoder() -> LatexNodes2Text:
    """bibtexparser's decoder (math as written, URLs bare), except that a macro it does not
    know stays as written: arXiv abstracts use the paper's own (``\\chinchilla``), which
    the default would drop, word and all."""
    context = get_default_latex_context_db()
    context.add_context_category("bibtexparse-default-context", prepend=True,
                                 macros=[MacroTextSpec("url", simplify_repl="%s")])
    context.set_unknown_macro_spec(MacroTextSpec("", simplify_repl=_kept_macro))
    return LatexNodes2Text(latex_context=context, keep_braced_groups=False,
                           math_mode="verbatim")


def _middleware() -> list:
    return [_UsedFieldsOnly(), _BareAmpersandsAndPercents(),
            _LatexDecodingWherePresent(decoder=_decoder()), SeparateCoAuthors()]


def _failure(block: object) -> str:
    reason = getattr(getattr(block, "error", None), "abort_reason", None)
    detail = " ".join(str(reason).split())[:160] if reason else type(block).__name__
    return f"not a valid BibTeX entry ({detail})"


def _recovered(block: object, middlewares: list) -> Entry | None:
    """The entry inside a block bibtexparser set aside although it is a real record: a key
    used twice in one file (exports repeat keys for different papers) or a field given
    twice (Scopus repeats ``funding_details``; the first value is kept). Its values are
    as written (braces included): ``middlewares`` are the whole parse stack."""
    if isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)):
        entry = block.ignore_error_block
        if isinstance(entry, Entry):
            library = bibtexparser.Library([entry])
            for middleware in middlewares:
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
    middlewares = [*default_parse_stack(), *_middleware()]
    for block in library.failed_blocks:
        entry = _recovered(block, middlewares)
        if entry is not None:
            entries.append(entry)
            continue
        yield Rejected(str(path), f"line {block.start_line + 1}", _failure(block))
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
        authors = tuple(_author(n) for n in names if fold(n))
        plain = {k: str(v.value).strip() for k, v in fields.items() if k != "author"}
        year = _year(plain)
        paper_id = _paper_id(plain, title, year)
        arxiv_id = paper_id.removeprefix("arxiv:") if paper_id.startswith("arxiv:") else None
        yield Work(
            id=paper_id, title=title, year=year,
            doi=paper_id.removeprefix("doi:") if paper_id.startswith("doi:") else None,
            arxiv_id=arxiv_id,
            pmid=plain.get("pubmed_id") if plain.get("pubmed_id", "").isdigit() else None,
            venue=plain.get("journal") or plain.get("booktitle") or plain.get("publisher"),
            type=_kind(entry.entry_type, plain, arxiv_id), source="bibtex",
            authors=_with_affiliations(authors, plain), topics=_keywords(plain),
            publication_date=_date(plain, year), abstract=plain_abstract(plain.get("abstract")),
        )
