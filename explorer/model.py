"""The graph model, the single reference for labels, relationship types and properties.

Both engines hold exactly this model (docs/graph-model.md explains it; a test checks that
the LadybugDB schema and that document both match the declarations below).

Derived data, maintained by the store after every write and never by callers:
- ``Author.paper_count``: number of AUTHORED relationships.
- ``Author.search_key`` and the other ``search_key``: folded spellings for prefix search.
- ``Author.name_key``: block key of the display name ('smith j'), for identity resolution.
- ``Paper.author_count``: number of authors; papers above the co-author threshold add no pairs.
- ``Paper.fingerprint``: hash of the written work, so an unchanged reload writes nothing.
- ``Paper.publication_date`` (ISO, month at least) and ``Paper.abstract`` (plain text) are
  as the loaders give them; both come last so that an older database gains them as columns.
- ``COAUTHORED_WITH``: one relationship per pair of authors, directed from the smaller id
  to the larger, ``weight`` = joint papers, first and last year of those papers.
"""

from __future__ import annotations

NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "Author": {
        "id": "STRING", "name": "STRING", "orcid": "STRING", "name_variants": "STRING[]",
        "search_key": "STRING", "paper_count": "INT64", "name_key": "STRING",
    },
    "Paper": {
        "id": "STRING", "title": "STRING", "year": "INT64", "doi": "STRING",
        "arxiv_id": "STRING", "pmid": "STRING", "venue": "STRING", "type": "STRING",
        "source": "STRING", "author_count": "INT64", "search_key": "STRING",
        "fingerprint": "STRING", "publication_date": "STRING", "abstract": "STRING",
    },
    "Topic": {"id": "STRING", "name": "STRING", "search_key": "STRING"},
    "Institution": {
        "id": "STRING", "name": "STRING", "country": "STRING", "ror": "STRING",
        "search_key": "STRING",
    },
    "Alias": {"id": "STRING", "author": "STRING", "reason": "STRING"},
}

RELATIONSHIPS: dict[str, tuple[str, str, dict[str, str]]] = {
    "AUTHORED": ("Author", "Paper", {"position": "INT64"}),
    "HAS_TOPIC": ("Paper", "Topic", {"score": "DOUBLE"}),
    "AFFILIATED_WITH": ("Author", "Institution", {"first_year": "INT64", "last_year": "INT64"}),
    "COAUTHORED_WITH": (
        "Author", "Author", {"weight": "INT64", "first_year": "INT64", "last_year": "INT64"},
    ),
}

ID_SCHEMES = (
    "orcid", "openalex", "doi", "dblp", "arxiv", "pmid", "scopus", "wos", "ror", "mesh",
    "keyword", "affiliation", "topic", "name", "title",
)
