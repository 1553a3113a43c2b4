"""A user's corrections to author identity: merge several authors into one, or split some
papers off an author. Each is one transaction, keeps every derived value exact (the papers
are rewritten through GraphWriter) and is recorded as ``Alias`` nodes so that later loads
repeat it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .names import search_key
from .records import AuthorRef, TopicRef, Work
from .store.base import GraphStore, NamedTransaction
from .views.wording import counted
from .writer import GraphWriter


class CurationError(ValueError):
    """The correction cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Outcome:
    author: str
    papers: int
    message: str


def _stored_work(tx: NamedTransaction, paper_id: str, rename: dict[str, AuthorRef]) -> Work:
    """A paper as the store holds it, with some authors replaced."""
    row = tx.run("paper", id=paper_id)[0]
    byline = sorted((a for a in row["authors"] if a["id"]), key=lambda a: a["position"])
    authors = tuple(rename.get(a["id"]) or AuthorRef(a["id"], a["name"] or a["id"])
                    for a in byline)
    topics = tuple(TopicRef(t["id"], t["name"] or "", t["score"])
                   for t in row["topics"] if t["id"])
    return Work(id=row["id"], title=row["title"], year=row["year"], doi=row["doi"],
                arxiv_id=row["arxiv_id"], pmid=row["pmid"], venue=row["venue"],
                type=row["type"], source=row["source"], authors=authors, topics=topics,
                publication_date=row["publication_date"], abstract=row["abstract"])


def _author(tx: NamedTransaction, author_id: str) -> dict:
    rows = tx.run("write/existing_authors", ids=[author_id])
    if not rows:
        raise CurationError(f"no author with id {author_id!r}")
    return rows[0]


def _papers_of(tx: NamedTransaction, author_id: str) -> list[str]:
    return [r["id"] for r in tx.run("write/author_papers", id=author_id)]


def _record(tx: NamedTransaction, rows: list[dict]) -> None:
    tx.run("write/delete_aliases", ids=[r["id"] for r in rows])
    tx.run("write/create_aliases", rows=rows)


def merge_authors(store: GraphStore, sources: Sequence[str], target: str) -> Outcome:
    """Make ``sources`` one person with ``target``: their papers, spellings, ORCID and
    affiliations move to it, and they are gone (later loads read their ids as ``target``)."""
    sources = list(dict.fromkeys(s for s in sources if s != target))
    if not sources:
        raise CurationError("name at least one author to merge, other than the target")
    writer = GraphWriter(store)

    def merge(tx: NamedTransaction) -> list[str]:
        kept = _author(tx, target)
        merged = [_author(tx, s) for s in sources]
        affiliations = tx.run("write/affiliations_of", ids=sources)
        rename = {m["id"]: AuthorRef(target, m["name"] or target) for m in merged}
        papers_of = {a: set(_papers_of(tx, a)) for a in [target, *sources]}
        _refuse_coauthors(papers_of)
        papers = sorted(set().union(*(papers_of[s] for s in sources)))
        writer.write_in(tx, [_stored_work(tx, p, rename) for p in papers])
        spellings = [kept, *merged]
        variants = list(dict.fromkeys(v for a in spellings for v in a["name_variants"] or []))
        orcid = kept["orcid"] or next((m["orcid"] for m in merged if m["orcid"]), None)
        tx.run("write/update_authors", rows=[{
            "id": target, "name": kept["name"], "orcid": orcid, "name_variants": variants,
            "search_key": search_key(variants), "name_key": kept["name_key"]}])
        _move_affiliations(tx, target, affiliations)
        tx.run("write/delete_authors", ids=sources)
        tx.run("write/delete_aliases", ids=[target])  # the target is a person again
        for source in sources:
            tx.run("write/retarget_aliases", old=source, new=target)
        _record(tx, [{"id": s, "author": target, "reason": "merged by user"} for s in sources])
        return papers

    papers = store.write(merge)
    return Outcome(target, len(papers),
                   f"merged {', '.join(sources)} into {target} "
                   f"({counted(len(papers), 'paper')} moved); "
                   "later loads keep them together")


def _move_affiliations(tx: NamedTransaction, target: str, moved: list[dict]) -> None:
    """The target's affiliations widen to cover the merged authors' ones."""
    if not moved:
        return
    stored = {r["institution"]: r for r in tx.run("write/affiliations_of", ids=[target])}
    rows, replaced = [], []
    for row in moved:
        old = stored.get(row["institution"])
        years = [y for y in (row["first_year"], row["last_year"],
                             *((old["first_year"], old["last_year"]) if old else ()))
                 if y is not None]
        span = (min(years), max(years)) if years else (None, None)
        if old is not None:
            if (old["first_year"], old["last_year"]) == span:
                continue
            replaced.append({"author": target, "institution": row["institution"]})
        stored[row["institution"]] = {"first_year": span[0], "last_year": span[1]}
        rows.append({"author": target, "institution": row["institution"],
                     "first_year": span[0], "last_year": span[1]})
    tx.run("write/delete_affiliations", rows=replaced)
    tx.run("write/create_affiliations", rows=list({r["institution"]: r for r in rows}.values()))


def split_author(store: GraphStore, author_id: str, paper_ids: Sequence[str],
                 into: str | None = None) -> Outcome:
    """Give some of an author's papers to another person (``into``, new or existing; by
    default a new id ``<author id>~N``); later loads of those papers keep them apart."""
    paper_ids = list(dict.fromkeys(paper_ids))
    if not paper_ids:
        raise CurationError("name the papers to split off")
    writer = GraphWriter(store)

    def split(tx: NamedTransaction) -> str:
        author = _author(tx, author_id)
        own = set(_papers_of(tx, author_id))
        foreign = [p for p in paper_ids if p not in own]
        if foreign:
            raise CurationError(f"{author_id} is not an author of {', '.join(foreign)}")
        target = into if into is not None else _free_id(tx, author_id)
        if target == author_id:
            raise CurationError("split into a different id than the author's own")
        aliased = tx.run("write/aliases_of", ids=[target])
        if aliased:
            raise CurationError(f"{target} was merged into {aliased[0]['author']}; split into "
                                "another id")
        existing = tx.run("write/existing_authors", ids=[target])
        on_paper = sorted(p for p in paper_ids if p in set(_papers_of(tx, target)))
        if on_paper:
            raise CurationError(f"{target} is already an author of {on_paper[0]}: two bylines "
                                "of one paper are two people")
        name = (existing[0]["name"] if existing else None) or author["name"] or target
        rename = {author_id: AuthorRef(target, name)}
        writer.write_in(tx, [_stored_work(tx, p, rename) for p in paper_ids])
        _record(tx, [{"id": f"{author_id} on {p}", "author": target, "reason": "split by user"}
                     for p in paper_ids])
        return target

    target = store.write(split)
    return Outcome(target, len(paper_ids),
                   f"split {counted(len(paper_ids), 'paper')} of {author_id} off to "
                   f"{target}; "
                   "later loads keep them apart")


def _refuse_coauthors(papers_of: dict[str, set[str]]) -> None:
    """One person cannot sign a paper twice: merging two bylines of a paper is refused."""
    ids = list(papers_of)
    for i, first in enumerate(ids):
        for second in ids[i + 1:]:
            shared = sorted(papers_of[first] & papers_of[second])
            if shared:
                more = f" and {len(shared) - 1} more papers" if len(shared) > 1 else ""
                raise CurationError(f"{first} and {second} are co-authors of {shared[0]}"
                                    f"{more}: two bylines of one paper are two people")


def _free_id(tx: NamedTransaction, author_id: str) -> str:
    """The first ``<author id>~N`` that is neither a person nor an id merged into one."""
    number = 2
    while (tx.run("write/existing_authors", ids=[f"{author_id}~{number}"])
           or tx.run("write/aliases_of", ids=[f"{author_id}~{number}"])):
        number += 1
    return f"{author_id}~{number}"
