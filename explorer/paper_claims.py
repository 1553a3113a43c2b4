"""One PubMed record, one paper: a record whose DOI another PMID already gave keeps a paper
of its own (``pmid:<PMID>``) instead of replacing that PMID's paper.

Papers are keyed by DOI where there is one, so that a paper's records from several sources
meet. PubMed has records of different articles that carry one DOI (in the bundled sample,
PMIDs 420122 and 420123, two articles of one journal issue); keyed by DOI, the later record
would replace the earlier one and its authors would lose the paper. A PMID is PubMed's id
of one record, so two PMIDs are two papers. The DOI's paper belongs to the PMID it is
stored with (whichever source wrote it last, as the store keeps it); a PMID that was kept
apart once stays at its ``pmid:`` paper, and a deleted PMID gives its DOI up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from .records import Work
from .store.base import GraphStore


class PaperClaims:
    """Which PMID each DOI-keyed paper belongs to, as the store has it (or will have it,
    once the records settled so far are written)."""

    def __init__(self, store: GraphStore, note: Callable[[str], None]) -> None:
        self.store = store
        self.note = note
        self.owners: dict[str, str | None] = {}  # doi: paper id -> its PMID (None: none)
        self.apart: set[str] = set()  # PMIDs with a pmid: paper of their own
        self.separated = 0

    def settle(self, works: Sequence[Work]) -> list[Work]:
        """The works, in order, with each PubMed record whose DOI's paper is another PMID's
        moved to its ``pmid:`` id."""
        if not any(_doi_keyed(w) and w.source == "pubmed" for w in works):
            return list(works)
        self._read_stored(works)
        return [self._settled(work) if _doi_keyed(work) else work for work in works]

    def deleted(self, paper_ids: Iterable[str]) -> None:
        """Deleted papers (``pmid:`` ids, as PubMed names them) give up their DOI."""
        gone = {i.removeprefix("pmid:") for i in paper_ids if i.startswith("pmid:")}
        self.apart -= gone
        for paper, owner in self.owners.items():
            if owner in gone:
                self.owners[paper] = None

    def forget(self) -> None:
        """Drop what the store now holds (the batch is written); a bulk load, which writes
        at the end, keeps it."""
        self.owners.clear()
        self.apart.clear()

    def _settled(self, work: Work) -> Work:
        if work.source != "pubmed":  # written as it is: the stored PMID becomes its own
            self.owners[work.id] = work.pmid
            return work
        if work.pmid in self.apart:
            return replace(work, id=f"pmid:{work.pmid}")
        owner = self.owners.get(work.id)
        if owner is None:
            self.owners[work.id] = work.pmid
            return work
        if owner == work.pmid:
            return work
        self.separated += 1
        self.apart.add(work.pmid)
        self.note(f"PMID {work.pmid}: its DOI {work.doi} is also PMID {owner}'s; kept as a "
                  f"paper of its own, pmid:{work.pmid}")
        return replace(work, id=f"pmid:{work.pmid}")

    def _read_stored(self, works: Sequence[Work]) -> None:
        papers = {w.id for w in works if _doi_keyed(w)} - self.owners.keys()
        pmids = {w.pmid for w in works if _doi_keyed(w) and w.source == "pubmed"} - self.apart
        ids = sorted(papers | {f"pmid:{p}" for p in pmids})
        if not ids:
            return
        self.owners.update(dict.fromkeys(papers))
        with self.store.transaction() as tx:
            for row in tx.run("write/paper_pmids", ids=ids):
                if row["id"].startswith("pmid:"):
                    self.apart.add(row["id"].removeprefix("pmid:"))
                else:
                    self.owners[row["id"]] = row["pmid"] or None


def _doi_keyed(work: Work) -> bool:
    """A DOI-keyed paper whose owning PMID the record sets: a PubMed record's own, or any
    other source's (its PMID or none: the record written last gives the paper's)."""
    return work.id.startswith("doi:") and (bool(work.pmid) or work.source != "pubmed")
