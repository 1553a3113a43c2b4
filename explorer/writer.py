"""Write works into the graph, keeping every derived value exact.

One batch is one transaction, so a load killed half-way leaves whole batches only, and a
rerun finishes the job. Co-author edges are maintained by deltas: each rewritten paper
takes back the pairs it added before and adds its new pairs; a pair that only gains papers
is updated in place, a pair that loses one is recounted from the papers themselves.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence, Set
from dataclasses import asdict, dataclass, field
from itertools import combinations

import orjson

from .identity import name_key
from .names import search_key
from .records import AuthorRef, Work
from .store.base import GraphStore, NamedTransaction

Pair = tuple[str, str]


@dataclass
class WriteSummary:
    """What a write changed; added up over batches by loaders."""

    papers_created: int = 0
    papers_updated: int = 0
    papers_unchanged: int = 0
    papers_deleted: int = 0
    authors_created: int = 0
    authors_updated: int = 0
    authorships: int = 0
    topics_created: int = 0
    institutions_created: int = 0
    coauthor_pairs_created: int = 0
    coauthor_pairs_updated: int = 0
    coauthor_pairs_removed: int = 0

    def add(self, other: WriteSummary) -> None:
        for name, value in asdict(other).items():
            setattr(self, name, getattr(self, name) + value)


def fingerprint(work: Work) -> str:
    """Hash of everything a work says (orjson serialises the dataclasses natively)."""
    return hashlib.blake2b(orjson.dumps(work), digest_size=16).hexdigest()


def unique_authors(work: Work) -> list[AuthorRef]:
    """The work's authors in order, each id once (sources sometimes list a person twice)."""
    seen: set[str] = set()
    authors = []
    for author in work.authors:
        if author.id not in seen:
            seen.add(author.id)
            authors.append(author)
    return authors


def _pairs(author_ids: Iterable[str]) -> list[Pair]:
    return [(a, b) if a < b else (b, a) for a, b in combinations(sorted(set(author_ids)), 2)]


def _span(years: Iterable[int | None]) -> tuple[int | None, int | None]:
    known = [y for y in years if y is not None]
    return (min(known), max(known)) if known else (None, None)


@dataclass
class _PairDelta:
    gained: list[int | None] = field(default_factory=list)
    lost: int = 0


class GraphWriter:
    """Writes batches of works through a store's named write queries."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.max_authors = store.coauthor_max_authors

    def write(self, works: Sequence[Work]) -> WriteSummary:
        """Write one batch in one transaction; unchanged works cost one lookup."""
        if not works:
            return WriteSummary()
        return self.store.write(lambda tx: self.write_in(tx, works))

    def write_in(self, tx: NamedTransaction, works: Sequence[Work]) -> WriteSummary:
        """Write works inside a transaction the caller holds (curation commands)."""
        batch = {w.id: w for w in works}  # the last record of an id wins
        summary = WriteSummary()
        stored = {r["id"]: r for r in tx.run("write/existing_papers", ids=list(batch))}
        changed = []
        for work in batch.values():
            fp = fingerprint(work)
            old = stored.get(work.id)
            if old is not None and old["fingerprint"] == fp:
                summary.papers_unchanged += 1
            else:
                changed.append((work, fp))
        if changed:
            self._write_changed(tx, changed, stored, summary)
        return summary

    def _write_changed(self, tx: NamedTransaction, changed: list[tuple[Work, str]],
                       stored: dict[str, dict], summary: WriteSummary) -> None:
        # LadybugDB 0.22 does not show a transaction's reads every relationship of a node
        # created in that transaction (bench/RESULTS.md, eighth round). So the joint papers
        # of pairs that lose one are read before the first write; reads after it start
        # from stored nodes only (edges and affiliations of stored authors, which this
        # transaction has not written yet when they are read).
        deltas = self._pair_deltas(changed, stored)
        rewritten = [w.id for w, _ in changed if w.id in stored]
        recounted = self._recount(tx, deltas, without=rewritten)
        new_authors = self._write_authors(tx, [w for w, _ in changed], summary)
        self._write_topics_and_institutions(tx, [w for w, _ in changed], summary)

        if rewritten:
            tx.run("write/delete_authorships", ids=rewritten)
            tx.run("write/delete_paper_topics", ids=rewritten)
        paper_rows = [self._paper_row(w, fp) for w, fp in changed]
        tx.run("write/create_papers", rows=[r for r in paper_rows if r["id"] not in stored])
        tx.run("write/update_papers", rows=[r for r in paper_rows if r["id"] in stored])
        summary.papers_updated += len(rewritten)
        summary.papers_created += len(changed) - len(rewritten)

        authorships = [{"author": a.id, "paper": w.id, "position": i + 1}
                       for w, _ in changed for i, a in enumerate(unique_authors(w))]
        tx.run("write/create_authorships", rows=authorships)
        summary.authorships += len(authorships)
        tx.run("write/create_paper_topics", rows=[
            {"paper": w.id, "topic": t.id, "score": t.score}
            for w, _ in changed for t in {t.id: t for t in w.topics}.values()])
        self._write_affiliations(tx, [w for w, _ in changed], new_authors)

        # Authors created here got their paper count with them (for the same reason:
        # recounting them here could find too few papers, or none, and delete them).
        touched_authors = {a for w, _ in changed for a in (x.id for x in w.authors)}
        for work, _ in changed:
            if work.id in stored:
                touched_authors.update(stored[work.id]["authors"])
        touched_authors -= new_authors
        self._apply_pair_deltas(tx, deltas, recounted, summary, new_authors)
        tx.run("write/recount_papers", ids=sorted(touched_authors))
        tx.run("write/delete_orphan_authors", ids=sorted(touched_authors))

    def delete(self, paper_ids: Sequence[str]) -> WriteSummary:
        """Remove papers (a source retracted them), in one transaction; co-author edges and
        paper counts stay exact, and authors left with no paper go too. ``pmid:`` ids also
        find papers stored under their DOI. Unknown ids are ignored, so replaying a deletion
        changes nothing."""
        return self.store.write(lambda tx: self._delete_in(tx, paper_ids))

    def _delete_in(self, tx: NamedTransaction, paper_ids: Sequence[str]) -> WriteSummary:
        summary = WriteSummary()
        ids = set(paper_ids)
        pmids = sorted(i.removeprefix("pmid:") for i in ids if i.startswith("pmid:"))
        ids |= {r["id"] for r in tx.run("write/papers_by_pmid", pmids=pmids)}
        stored = tx.run("write/existing_papers", ids=sorted(ids))
        if not stored:
            return summary
        deltas: dict[Pair, _PairDelta] = defaultdict(_PairDelta)
        for paper in stored:
            self._take_back(deltas, paper)
        gone = [p["id"] for p in stored]
        recounted = self._recount(tx, deltas, without=gone)
        tx.run("write/delete_papers", ids=gone)
        self._apply_pair_deltas(tx, deltas, recounted, summary)
        touched = sorted({a for p in stored for a in p["authors"]})
        tx.run("write/recount_papers", ids=touched)
        tx.run("write/delete_orphan_authors", ids=touched)
        summary.papers_deleted += len(stored)
        return summary

    def _write_authors(self, tx: NamedTransaction, works: list[Work],
                       summary: WriteSummary) -> set[str]:
        """Create and update the works' authors; return the ids created (each with the
        number of these works that list it as its paper count)."""
        seen: dict[str, list[AuthorRef]] = defaultdict(list)
        papers: Counter[str] = Counter()
        for work in works:
            for author in work.authors:
                seen[author.id].append(author)
            papers.update(a.id for a in unique_authors(work))
        existing = {r["id"]: r for r in tx.run("write/existing_authors", ids=list(seen))}
        created, updated = [], []
        for author_id, refs in seen.items():
            old = existing.get(author_id)
            variants = list(old["name_variants"] or []) if old else []
            for ref in refs:
                if ref.name and ref.name not in variants:
                    variants.append(ref.name)
            name = (old["name"] if old and old["name"] else None) or refs[0].name
            orcid = (old["orcid"] if old else None) or next(
                (r.orcid for r in refs if r.orcid), None)
            key = (old["name_key"] if old else None) or name_key(refs[0])
            row = {"id": author_id, "name": name, "orcid": orcid, "name_variants": variants,
                   "search_key": search_key(variants), "name_key": key}
            if old is None:
                created.append({**row, "paper_count": papers[author_id]})
            elif (old["name"], old["orcid"], old["name_variants"], old["name_key"]) != (
                    name, orcid, variants, key):
                updated.append(row)
        tx.run("write/create_authors", rows=created)
        tx.run("write/update_authors", rows=updated)
        summary.authors_created += len(created)
        summary.authors_updated += len(updated)
        return {row["id"] for row in created}

    def _write_topics_and_institutions(self, tx: NamedTransaction, works: list[Work],
                                       summary: WriteSummary) -> None:
        # The last record of an id wins; its search key is built once per id.
        latest_topics = {t.id: t for w in works for t in w.topics}
        latest_institutions = {i.id: i for w in works for a in w.authors for i in a.institutions}
        topics = {k: {"id": k, "name": t.name, "search_key": search_key([t.name])}
                  for k, t in latest_topics.items()}
        institutions = {k: {"id": k, "name": i.name, "country": i.country, "ror": i.ror,
                            "search_key": search_key([i.name])}
                        for k, i in latest_institutions.items()}
        for kind, rows in (("topics", topics), ("institutions", institutions)):
            if not rows:
                continue
            existing = {r["id"] for r in tx.run(f"write/existing_{kind}", ids=list(rows))}
            tx.run(f"write/create_{kind}", rows=[r for k, r in rows.items() if k not in existing])
            tx.run(f"write/update_{kind}", rows=[r for k, r in rows.items() if k in existing])
            setattr(summary, f"{kind}_created",
                    getattr(summary, f"{kind}_created") + len(rows) - len(existing))

    def _write_affiliations(self, tx: NamedTransaction, works: list[Work],
                            new_authors: Set[str]) -> None:
        """Affiliations span the years of the works that show them (they only widen);
        authors created in this transaction have none stored."""
        seen: dict[Pair, list[int | None]] = defaultdict(list)
        for work in works:
            for author in work.authors:
                for institution in author.institutions:
                    seen[(author.id, institution.id)].append(work.year)
        if not seen:
            return
        stored = {(r["author"], r["institution"]): (r["first_year"], r["last_year"])
                  for r in tx.run("write/affiliations_of",
                                  ids=sorted({a for a, _ in seen} - new_authors))}
        rows, replaced = [], []
        for (author, institution), years in seen.items():
            old = stored.get((author, institution))
            first, last = _span([*years, *(old or ())])
            if old == (first, last):
                continue
            if old is not None:
                replaced.append({"author": author, "institution": institution})
            rows.append({"author": author, "institution": institution,
                         "first_year": first, "last_year": last})
        tx.run("write/delete_affiliations", rows=replaced)
        tx.run("write/create_affiliations", rows=rows)

    def _paper_row(self, work: Work, fp: str) -> dict:
        return {"id": work.id, "title": work.title, "year": work.year, "doi": work.doi,
                "arxiv_id": work.arxiv_id, "pmid": work.pmid, "venue": work.venue,
                "type": work.type, "source": work.source,
                "author_count": len(unique_authors(work)),
                "search_key": search_key([work.title]), "fingerprint": fp,
                "publication_date": work.publication_date, "abstract": work.abstract}

    def _counts_pairs(self, author_count: int) -> bool:
        return author_count <= self.max_authors

    def _pair_deltas(self, changed: list[tuple[Work, str]],
                     stored: dict[str, dict]) -> dict[Pair, _PairDelta]:
        """Each rewritten paper takes back its old pairs; each written paper adds its pairs."""
        deltas: dict[Pair, _PairDelta] = defaultdict(_PairDelta)
        for work, _ in changed:
            old = stored.get(work.id)
            if old is not None:
                self._take_back(deltas, old)
            new_ids = [a.id for a in unique_authors(work)]
            if self._counts_pairs(len(new_ids)):
                for pair in _pairs(new_ids):
                    deltas[pair].gained.append(work.year)
        return deltas

    def _recount(self, tx: NamedTransaction, deltas: dict[Pair, _PairDelta],
                 without: list[str]) -> dict[Pair, dict]:
        """The stored joint papers of the pairs that lose one, leaving out the papers
        ``without`` (those being rewritten or deleted): count and years."""
        recount = [{"a": a, "b": b} for (a, b), d in deltas.items() if d.lost]
        if not recount:
            return {}
        rows = tx.run("write/recount_coauthor_pairs", max_authors=self.max_authors,
                      pairs=recount, without=without)
        return {(r["a"], r["b"]): r for r in rows}

    def _take_back(self, deltas: dict[Pair, _PairDelta], stored_paper: dict) -> None:
        """A stored paper that is rewritten or deleted takes back the pairs it added."""
        if self._counts_pairs(len(stored_paper["authors"])):
            for pair in _pairs(stored_paper["authors"]):
                deltas[pair].lost += 1

    def _apply_pair_deltas(self, tx: NamedTransaction, deltas: dict[Pair, _PairDelta],
                           recounted: dict[Pair, dict], summary: WriteSummary,
                           new_authors: Set[str] = frozenset()) -> None:
        """Pairs that only gained papers are updated from their stored edge; pairs that lost
        one from their recount (``_recount``); both add what they gained (a pair left with
        no paper disappears). A pair with an author created in this transaction has no
        stored edge yet, so it is not looked up."""
        if not deltas:
            return
        edges = {(r["a"], r["b"]): r for r in tx.run(
            "write/coauthor_edges_between", pairs=[
                {"a": a, "b": b} for a, b in deltas
                if a not in new_authors and b not in new_authors])}
        fresh: dict[Pair, dict] = {}
        for pair, delta in deltas.items():
            old = recounted.get(pair) if delta.lost else edges.get(pair)
            weight = len(delta.gained) + (old["weight"] if old else 0)
            if not weight:
                continue
            first, last = _span([*delta.gained, *((old["first_year"], old["last_year"])
                                                 if old else ())])
            fresh[pair] = {"a": pair[0], "b": pair[1], "weight": weight,
                           "first_year": first, "last_year": last}
        replaced = [{"a": a, "b": b} for a, b in deltas if (a, b) in edges]
        tx.run("write/delete_coauthor_edges", rows=replaced)
        tx.run("write/create_coauthor_edges", rows=list(fresh.values()))
        summary.coauthor_pairs_created += sum(1 for p in fresh if p not in edges)
        summary.coauthor_pairs_updated += sum(1 for p in fresh if p in edges)
        summary.coauthor_pairs_removed += sum(1 for p in deltas if p in edges and p not in fresh)
