"""A run of resolved works as columns: what a bulk import ingests, whoever parsed them.

:func:`chunk_from_works` builds a :class:`Chunk` from :class:`~explorer.records.Work`
objects (any loader, after identity resolution); ``loaders.openalex_columns`` builds the
same chunk straight from OpenAlex JSON without making objects. Local integers number the
chunk's papers (in order) and its distinct author ids (in order of first appearance), so
that the importer maps each id to its global number once per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from .digests import id_hash
from .model import NODE_PROPERTIES
from .names import search_keys
from .records import Work
from .writer import fingerprint

PAPER_SCHEMA = pa.schema([
    (name, pa.int64() if kind == "INT64" else pa.string())
    for name, kind in NODE_PROPERTIES["Paper"].items()
])
"""The Paper node table, in the model's column order (LadybugDB's COPY needs it)."""

BYLINES_SCHEMA = pa.schema([
    ("paper", pa.int32()),      # local paper number
    ("position", pa.int32()),   # 1-based among the work's distinct ids; 0 = id repeated
    ("author", pa.int32()),     # local author number (index into Chunk.authors)
    ("name", pa.string()),
    ("orcid", pa.string()),
    ("family", pa.string()),    # the source's own split of the name, when it gives one
    ("given", pa.string()),
])
TOPIC_LINKS_SCHEMA = pa.schema([("paper", pa.int32()), ("topic", pa.string()),
                                ("score", pa.float64())])
AFFILIATIONS_SCHEMA = pa.schema([("paper", pa.int32()), ("author", pa.int32()),
                                 ("institution", pa.string())])


@dataclass
class Chunk:
    """Works in file order as Arrow tables; topics and institutions as small dicts (the
    last record of an id gives its properties, as with the writer)."""

    papers: pa.Table
    paper_hashes: list[int]
    authors: pa.Array
    bylines: pa.Table
    topic_links: pa.Table
    affiliations: pa.Table
    topics: dict[str, str] = field(default_factory=dict)
    institutions: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return self.papers.num_rows


class ChunkBuilder:
    """Collects columns work by work; :meth:`build` makes the chunk."""

    def __init__(self) -> None:
        self.papers: dict[str, list] = {name: [] for name in PAPER_SCHEMA.names
                                        if name != "search_key"}  # made by build()
        self.hashes: list[int] = []
        self.author_index: dict[str, int] = {}
        self.bylines: list[tuple] = []       # rows in BYLINES_SCHEMA's order
        self.links: list[tuple] = []         # rows in TOPIC_LINKS_SCHEMA's order
        self.affiliations: list[tuple] = []  # rows in AFFILIATIONS_SCHEMA's order
        self.topics: dict[str, str] = {}
        self.institutions: dict[str, tuple[str, str | None, str | None]] = {}

    def author(self, author_id: str) -> int:
        index = self.author_index.get(author_id)
        if index is None:
            index = self.author_index[author_id] = len(self.author_index)
        return index

    def build(self) -> Chunk:
        """The chunk; the papers' search keys are made here, for the whole column."""
        keys = search_keys(pa.array(self.papers["title"], pa.string()))
        return Chunk(
            papers=pa.table({name: keys if name == "search_key" else self.papers[name]
                             for name in PAPER_SCHEMA.names}, schema=PAPER_SCHEMA),
            paper_hashes=self.hashes,
            authors=pa.array(list(self.author_index), pa.string()),
            bylines=_table(self.bylines, BYLINES_SCHEMA),
            topic_links=_table(self.links, TOPIC_LINKS_SCHEMA),
            affiliations=_table(self.affiliations, AFFILIATIONS_SCHEMA),
            topics=self.topics, institutions=self.institutions,
        )


def _table(rows: list[tuple], schema: pa.Schema) -> pa.Table:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pa.table([pa.array(c, f.type) for c, f in zip(columns, schema, strict=True)],
                    schema=schema)


def chunk_from_works(works: Sequence[Work]) -> Chunk:
    """The columns of resolved works, with every derived per-paper value the writer
    stores (author count, search key, fingerprint)."""
    out = ChunkBuilder()
    papers, bylines, links, affiliations = out.papers, out.bylines, out.links, out.affiliations
    for number, work in enumerate(works):
        seen: set[str] = set()
        for ref in work.authors:
            local = out.author(ref.id)
            position = 0
            if ref.id not in seen:
                seen.add(ref.id)
                position = len(seen)
            bylines.append((number, position, local, ref.name, ref.orcid, ref.family,
                            ref.given))
            for inst in ref.institutions:
                out.institutions[inst.id] = (inst.name, inst.country, inst.ror)
                affiliations.append((number, local, inst.id))
        for topic in {t.id: t for t in work.topics}.values():
            out.topics[topic.id] = topic.name
            links.append((number, topic.id, topic.score))
        for name, value in (
                ("id", work.id), ("title", work.title), ("year", work.year), ("doi", work.doi),
                ("arxiv_id", work.arxiv_id), ("pmid", work.pmid), ("venue", work.venue),
                ("type", work.type), ("source", work.source), ("author_count", len(seen)),
                ("fingerprint", fingerprint(work)),
                ("publication_date", work.publication_date), ("abstract", work.abstract)):
            papers[name].append(value)
        out.hashes.append(id_hash(work.id))
    return out.build()
