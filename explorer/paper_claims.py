"""One PubMed record, one paper: a record whose DOI another PMID already gave keeps a paper
of its own (``pmid:<PMID>``) instead of replacing that PMID's paper.

Papers are keyed by DOI where there is one, so that a paper's records from several sources
meet. PubMed has records of different articles that carry one DOI (in the bundled sample,
PMIDs 420122 and 420123, two articles of one journal issue); keyed by DOI, the later record
would replace the earlier one and its authors would lose the paper. A PMID is PubMed's id
of one record, so two PMIDs are two papers. Records of other sources with that DOI still
meet the paper the DOI was first stored with.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from .records import Work
from .store.base import GraphStore


class PaperClaims:
    """Which PMID each DOI-keyed PubMed paper belongs to: the stored paper's, else the first
    record of the load that gave the DOI."""

    def __init__(self, store: GraphStore, note: Callable[[str], None]) -> None:
        self.store = store
        self.note = note
        self.claims: dict[str, str] = {}  # doi: paper id -> PMID
        self.separated = 0

    def settle(self, works: Sequence[Work]) -> list[Work]:
        """The works with each claimed DOI's later PMIDs moved to ``pmid:`` ids, in order."""
        keyed = [w for w in works if _doi_keyed_pubmed(w)]
        if not keyed:
            return list(works)
        self._read_stored({w.id for w in keyed} - self.claims.keys())
        settled = []
        for work in works:
            if _doi_keyed_pubmed(work):
                owner = self.claims.setdefault(work.id, work.pmid)
                if owner != work.pmid:
                    work = self._separate(work, owner)
            settled.append(work)
        return settled

    def forget(self) -> None:
        """Drop what the store now holds (the batch is written); a bulk load, which writes
        at the end, keeps its claims."""
        self.claims.clear()

    def _read_stored(self, ids: set[str]) -> None:
        if not ids:
            return
        with self.store.transaction() as tx:
            for row in tx.run("write/paper_pmids", ids=sorted(ids)):
                if row["pmid"]:
                    self.claims[row["id"]] = row["pmid"]

    def _separate(self, work: Work, owner: str) -> Work:
        self.separated += 1
        self.note(f"PMID {work.pmid}: its DOI {work.doi} is also PMID {owner}'s; kept as a "
                  f"paper of its own, pmid:{work.pmid}")
        return replace(work, id=f"pmid:{work.pmid}")


def _doi_keyed_pubmed(work: Work) -> bool:
    return work.source == "pubmed" and bool(work.pmid) and work.id.startswith("doi:")
