"""The records loaders produce and the store writes: one bibliographic work with its people.

Ids carry their scheme (``orcid:…``, ``openalex:…``, ``doi:…``, ``dblp:…``, ``arxiv:…``,
``pmid:…``); a loader decides the ids, the store only writes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InstitutionRef:
    id: str
    name: str
    country: str | None = None
    ror: str | None = None


@dataclass(frozen=True)
class AuthorRef:
    """An author as named on one work.

    ``id`` is the strongest identifier the source gives: ``orcid:…``, else the source's own
    author id (``openalex:…``, ``dblp:…``, ``scopus:…``), else ``name:<folded name>``, which
    is only a proposal: the identity resolver (explorer.identity) decides which person a
    name-only author is. ``family`` and ``given`` are filled when the source separates them.
    """

    id: str
    name: str
    orcid: str | None = None
    institutions: tuple[InstitutionRef, ...] = ()
    family: str | None = None
    given: str | None = None


@dataclass(frozen=True)
class TopicRef:
    id: str
    name: str
    score: float | None = None


@dataclass(frozen=True)
class Work:
    """One paper with its ordered author list and topics. ``publication_date`` is ISO
    ``YYYY-MM`` or ``YYYY-MM-DD`` (None when only the year is known); ``abstract`` is plain
    text (loaders.paper_details makes both)."""

    id: str
    title: str
    year: int | None = None
    doi: str | None = None
    arxiv_id: str | None = None
    pmid: str | None = None
    venue: str | None = None
    type: str | None = None
    source: str | None = None
    authors: tuple[AuthorRef, ...] = ()
    topics: tuple[TopicRef, ...] = field(default=())
    publication_date: str | None = None
    abstract: str | None = None


@dataclass(frozen=True)
class Deletion:
    """A source's instruction to remove a work (PubMed ``DeleteCitation``)."""

    id: str
