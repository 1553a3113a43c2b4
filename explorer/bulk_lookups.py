"""Identity lookups answered from what a bulk import has collected, not from the store.

The identity resolver asks what was written before the batch it resolves
(explorer.identity.IdentityLookups). During a bulk import nothing is written until the
end, so the importer answers instead, with the same rows the named queries would return
from a graph holding every earlier chunk: authors with their name key and spellings, the
bylines of a paper, an author's co-authors (papers of 2..max authors) and institutions.
Indexes by author and by paper are built only when the resolver needs them (a load whose
every byline carries an id never does).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .bulk_state import Runs
from .identity import Row

if TYPE_CHECKING:
    from .bulk import BulkImporter


class BulkLookups:
    """The resolver's view of an importer; one per load, reused batch after batch."""

    def __init__(self, importer: BulkImporter, aliases: dict[str, str]) -> None:
        self.importer = importer
        self._aliases = aliases
        self._papers_of = Runs()        # author -> paper
        self._bylines_of = Runs()       # paper -> author << 16 | position
        self._institutions_of = Runs()  # author -> institution << 32 | paper
        self._indexed = (0, 0)          # authorship and affiliation parts indexed
        self._columns: dict[str, tuple[int, pa.Array]] = {}

    def _index(self) -> None:
        links, affiliations = self.importer.authorships.parts, self.importer.affiliations.parts
        done_links, done_affiliations = self._indexed
        authors, papers = links.get("author", []), links.get("paper", [])
        positions = links.get("position", [])
        for k in range(done_links, len(authors)):
            author, paper = authors[k].astype(np.int64), papers[k].astype(np.int64)
            self._papers_of.add(author, paper)
            self._bylines_of.add(paper, (author << 16) | positions[k])
        aff_authors = affiliations.get("author", [])
        for k in range(done_affiliations, len(aff_authors)):
            institution = affiliations["institution"][k].astype(np.int64)
            self._institutions_of.add(
                aff_authors[k].astype(np.int64),
                (institution << 32) | affiliations["paper"][k].astype(np.int64))
        self._indexed = (len(authors), len(aff_authors))

    def _live(self, papers: np.ndarray) -> np.ndarray:
        dead = self.importer.dead
        return papers if not dead else papers[[int(p) not in dead for p in papers]]

    def _has_papers(self, number: int) -> bool:
        """An author whose every paper was replaced or deleted is gone, as in the store."""
        return not self.importer.dead or bool(len(self._live(self._papers_of.get(number))))

    def _column(self, name: str) -> pa.Array:
        """The authors' ids or keys, concatenated again only after new authors came."""
        authors = self.importer.authors
        count, column = self._columns.get(name, (-1, None))
        if count != authors.count or column is None:
            column = authors.ids() if name == "id" else authors.keys()
            self._columns[name] = (authors.count, column)
        return column

    def _row(self, number: int) -> Row:
        return {"id": self._column("id")[number].as_py(),
                "name_key": self._column("key")[number].as_py(),
                "name_variants": self.importer.authors.variants(number)}

    # -- explorer.identity.IdentityLookups -------------------------------------------------

    def aliases(self) -> dict[str, str]:
        return dict(self._aliases)

    def existing_authors(self, ids: list[str]) -> list[Row]:
        self._index()
        index = self.importer.authors.index
        return [self._row(index[i]) for i in ids if i in index and self._has_papers(index[i])]

    def block_candidates(self, keys: list[str]) -> list[Row]:
        self._index()
        hits = pc.is_in(self._column("key"), pa.array(keys, pa.string()))
        numbers = np.flatnonzero(hits.to_numpy(zero_copy_only=False)).tolist()
        return [self._row(n) for n in numbers if self._has_papers(n)]

    def paper_bylines(self, paper_ids: list[str]) -> list[Row]:
        self._index()
        importer, rows = self.importer, []
        for paper_id in paper_ids:
            live = [n for n in importer.papers.numbers(paper_id) if n not in importer.dead]
            if not live:
                continue
            for packed in self._bylines_of.get(max(live)).tolist():
                rows.append({"paper": paper_id, "position": packed & 0xFFFF,
                             **self._row(packed >> 16)})
        return rows

    def author_evidence(self, author_id: str) -> tuple[list[Row], list[str]]:
        self._index()
        importer = self.importer
        number = importer.authors.index.get(author_id)
        if number is None:
            return [], []
        papers = self._live(self._papers_of.get(number))
        counts = importer.author_count[papers] if len(papers) else np.zeros(0, np.int32)
        papers = papers[(counts >= 2) & (counts <= importer.max_authors)]
        coauthors: dict[int, None] = {}
        for paper in papers.tolist():
            for packed in self._bylines_of.get(paper).tolist():
                if packed >> 16 != number:
                    coauthors[packed >> 16] = None
        rows = [{"id": row["id"], "key": row["name_key"], "names": row["name_variants"]}
                for row in map(self._row, coauthors)]
        places = self._institutions_of.get(number)
        live = self._live(places & 0xFFFFFFFF) if len(places) else places
        keep = np.isin(places & 0xFFFFFFFF, live)
        institutions = list(importer.inst_index)
        return rows, sorted({institutions[i] for i in (places[keep] >> 32).tolist()})
