"""Author identity: which person each byline names, decided before a batch is written.

In order: a recorded decision (``Alias`` nodes from ``authors merge|split``, or the load's
thesaurus) wins; an ORCID or a source author id is the person; an author known only by a
name is matched within its block ('smith j') to a person whose every spelling is compatible
with it, and only with evidence — this paper loaded before with them in its byline, a
co-author whose name matches one of this paper's other bylines, or a shared institution.
Without evidence, or with equal evidence for two people known apart, the name becomes a new
person: two people are never merged for sharing a surname and an initial. (Equal evidence
for copies of one name that nothing tells apart goes to the first of them.)

People are compared the same way whether they come from memory or from the store: a
person is filed under its ``Author.name_key`` only and its spellings are parsed from their
display form. Resolution is sequential (a work sees every work before it), so a load
resumed after a crash, which finds the finished batches' papers in the store, ends with the
same graph. The resolver keeps the people it has met in memory; the incremental loader lets
it forget them between batches once there are many (the store still has them).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from .names import fold
from .personal_names import PersonalName, name_block, parse_name
from .records import AuthorRef, Work
from .store.base import GraphStore, NamedTransaction
from .thesaurus import Thesaurus

NAME_SCHEME = "name:"
_SUFFIXES_CHECKED = 4  # ids 'name:x', 'name:x~2' … 'name:x~4' are looked up per batch

REASONS = {
    "coauthor": "shared co-author",
    "institution": "shared institution",
    "thesaurus": "thesaurus",
    "alias": "recorded merge or split",
}
"""Why a byline was matched to a person it does not name by id (printed after a load)."""


def is_name_only(author_id: str) -> bool:
    return author_id.startswith(NAME_SCHEME)


def name_key(ref: AuthorRef) -> str:
    """``Author.name_key`` for an author first seen as this byline: the block of the
    source's own family/given split when it has one."""
    return name_block(ref.name, ref.family, ref.given)


@dataclass
class Person:
    """What the resolver compares for one author: spellings, co-author ids by their name
    key, institutions. A stored person's co-authors and institutions are read from the
    store when first needed (``fetched``) and added to what this load has seen; the
    co-authors this load has seen are its bylines' ids by name key (``bylines``, shared by
    everyone on a paper, who is in it too: no copy per pair of authors)."""

    id: str
    key: str
    names: list[PersonalName] = field(default_factory=list)
    spellings: set[str] = field(default_factory=set)
    coauthors: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    bylines: list[dict[str, set[str]]] = field(default_factory=list)
    institutions: set[str] = field(default_factory=set)
    fetched: bool = True

    @classmethod
    def stored(cls, author_id: str, key: str | None, variants: list[str] | None) -> Person:
        person = cls(author_id, key or "", fetched=False)
        for variant in variants or []:
            person.add_spelling(variant)
        return person

    def add_spelling(self, spelling: str) -> None:
        folded = fold(spelling)
        if folded and folded not in self.spellings:
            self.spellings.add(folded)
            self.names.append(parse_name(spelling))

    def wrote_with(self, author_id: str) -> bool:
        """Whether ``author_id`` is among this person's co-authors (stored or this load's)."""
        return any(author_id in ids for group in (self.coauthors, *self.bylines)
                   for ids in group.values())

    def answers_to(self, spelling: str) -> bool:
        """The same spelling, or a name compatible with every spelling seen ('J. Smith'
        joins 'John Smith'; 'James Smith' then joins neither)."""
        if fold(spelling) in self.spellings:
            return True
        name = parse_name(spelling)
        return bool(self.names) and all(n.compatible(name) for n in self.names)


@dataclass
class IdentityReport:
    """How bylines were resolved, summed over a load."""

    matched: Counter[str] = field(default_factory=Counter)
    reloaded: int = 0
    new_people: int = 0
    kept_apart: int = 0

    def lines(self) -> list[str]:
        merged = sum(self.matched.values())
        why = ", ".join(f"{n:,} {REASONS[r]}" for r, n in self.matched.most_common())
        return [
            f"identity          {merged:,} name-only bylines merged into a known author"
            + (f" ({why})" if why else ""),
            f"                  {self.new_people:,} new name-only authors, of which "
            f"{self.kept_apart:,} kept apart from a same-name author for lack of evidence",
        ]


Row = dict[str, Any]


class IdentityLookups(Protocol):
    """What the resolver asks about the graph written before the batch it resolves.

    :class:`StoreLookups` answers from the store's named queries; a bulk import answers
    from what it has collected (explorer.bulk_lookups). The rows have the named queries'
    columns.
    """

    def aliases(self) -> dict[str, str]:
        """Every recorded decision: an author id (or 'id on paper id') -> the author."""
        ...

    def paper_bylines(self, paper_ids: list[str]) -> list[Row]:
        """Stored bylines of these papers: paper, id, position, name_key, name_variants."""
        ...

    def block_candidates(self, keys: list[str]) -> list[Row]:
        """Stored authors in these blocks: id, name_key, name_variants."""
        ...

    def existing_authors(self, ids: list[str]) -> list[Row]:
        """Stored authors among these ids: id, name_key, name_variants."""
        ...

    def author_evidence(self, author_id: str) -> tuple[list[Row], list[str]]:
        """A stored author's co-authors (id, key, names) and institution ids."""
        ...


@dataclass
class StoreLookups:
    """Identity lookups through the store's named queries, in the caller's transaction."""

    tx: NamedTransaction

    def aliases(self) -> dict[str, str]:
        return {r["id"]: r["author"] for r in self.tx.run("write/aliases_all")}

    def paper_bylines(self, paper_ids: list[str]) -> list[Row]:
        return self.tx.run("write/paper_authors", ids=paper_ids)

    def block_candidates(self, keys: list[str]) -> list[Row]:
        return self.tx.run("write/block_candidates", keys=keys)

    def existing_authors(self, ids: list[str]) -> list[Row]:
        return self.tx.run("write/existing_authors", ids=ids)

    def author_evidence(self, author_id: str) -> tuple[list[Row], list[str]]:
        rows = self.tx.run("write/author_evidence", id=author_id)
        if not rows:
            return [], []
        # An author with no co-author in one direction collects one all-null entry.
        return ([c for c in rows[0]["coauthors"] if c["id"]],
                [i for i in rows[0]["institutions"] if i])


@dataclass
class _Byline:
    """One author of the work being resolved, as the evidence check sees it."""

    ref: AuthorRef
    key: str
    strong: str | None  # the resolved id when the source gave one


class IdentityResolver:
    """Resolves the authors of successive batches of works."""

    def __init__(self, store: GraphStore, thesaurus: Thesaurus | None = None, *,
                 max_people: int | None = 500_000) -> None:
        self.store = store
        self.thesaurus = thesaurus or Thesaurus()
        self.max_people = max_people
        self.max_authors = store.coauthor_max_authors
        self.report = IdentityReport()
        self._aliases: dict[str, str] | None = None
        self._clear()

    def _clear(self) -> None:
        self._blocks: dict[str, dict[str, Person]] = defaultdict(dict)
        self._people: dict[str, Person] = {}
        self._names: dict[str, Person] = {}  # stored co-authors, known by name only
        self._loaded: set[str] = set()  # blocks whose stored people are in memory
        self._bylines: dict[str, list[tuple[int, Person]]] = {}  # works resolved so far
        self._stored: dict[str, Person] = {}  # authors of this batch the store holds

    # -- public -------------------------------------------------------------------------

    def resolve(self, works: Sequence[Work],
                lookups: IdentityLookups | None = None) -> list[Work]:
        """The works with every author id resolved (in order; each sees those before it).
        What was written before is asked of ``lookups`` (default: the store)."""
        if lookups is None:
            with self.store.transaction() as tx:
                return self.resolve(works, StoreLookups(tx))
        if self._aliases is None:
            self._aliases = lookups.aliases()
        earlier = self._earlier_bylines(lookups, works)
        self._load_blocks(lookups, works, earlier)
        self._check_stored_ids(lookups, works)
        return [self._resolve_work(lookups, work, [*self._bylines.get(work.id, []),
                                                   *earlier.get(work.id, [])])
                for work in works]

    @property
    def aliases(self) -> dict[str, str]:
        """The recorded decisions read by the first :meth:`resolve` (empty before)."""
        return dict(self._aliases or {})

    def forget(self, *, everything: bool = False) -> None:
        """Drop the people held in memory if there are many, or ``everything`` (after a
        deletion). Call only after the batch is written: the store has them all."""
        if everything or (self.max_people is not None and len(self._people) > self.max_people):
            self._clear()

    # -- lookups, once per batch --------------------------------------------------------

    def _earlier_bylines(self, lookups: IdentityLookups,
                         works: Sequence[Work]) -> dict[str, list[tuple[int, Person]]]:
        ids = sorted({w.id for w in works if any(is_name_only(a.id) for a in w.authors)})
        bylines: dict[str, list[tuple[int, Person]]] = {}
        for row in lookups.paper_bylines(ids) if ids else []:
            person = Person.stored(row["id"], row["name_key"], row["name_variants"])
            bylines.setdefault(row["paper"], []).append((row["position"], person))
        return bylines

    def _load_blocks(self, lookups: IdentityLookups, works: Sequence[Work],
                     earlier: dict[str, list[tuple[int, Person]]]) -> None:
        """Stored people of the blocks this batch needs: not for a byline its paper's
        stored byline already spells the same way (a reload)."""
        wanted: set[str] = set()
        for work in works:
            before = [*self._bylines.get(work.id, []), *earlier.get(work.id, [])]
            spelled = {s for _, p in before for s in p.spellings}
            wanted.update(name_key(a) for a in work.authors
                          if is_name_only(a.id) and fold(a.name) not in spelled)
        keys = sorted(wanted - self._loaded)
        self._loaded.update(keys)
        for row in lookups.block_candidates(keys) if keys else []:
            if row["id"] not in self._people:
                person = Person.stored(row["id"], row["name_key"], row["name_variants"])
                self._people[person.id] = person
                self._blocks[person.key][person.id] = person

    def _check_stored_ids(self, lookups: IdentityLookups, works: Sequence[Work]) -> None:
        """Which of the batch's author ids, and of the ids a new name-only person could
        take, are already someone's in the store (with their key and spellings)."""
        ids = {a.id for w in works for a in w.authors} - self._people.keys()
        ids |= {f"{a.id}~{n}" for w in works for a in w.authors if is_name_only(a.id)
                for n in range(2, _SUFFIXES_CHECKED + 1)}
        rows = lookups.existing_authors(list(ids)) if ids else []  # any order
        self._stored = {r["id"]: Person.stored(r["id"], r["name_key"], r["name_variants"])
                        for r in rows}

    def _evidence(self, lookups: IdentityLookups, person: Person) -> Person:
        if not person.fetched:
            person.fetched = True
            coauthors, institutions = lookups.author_evidence(person.id)
            for coauthor in coauthors:
                if coauthor["id"]:
                    person.coauthors[coauthor["key"] or ""].add(coauthor["id"])
                    if coauthor["id"] not in self._people:
                        self._names[coauthor["id"]] = Person.stored(
                            coauthor["id"], coauthor["key"], coauthor["names"])
            person.institutions.update(institutions)
        return person

    # -- decisions, byline by byline ----------------------------------------------------

    def _resolve_work(self, lookups: IdentityLookups, work: Work,
                      earlier: list[tuple[int, Person]]) -> Work:
        bylines = [_Byline(ref, name_key(ref), None if is_name_only(ref.id) else
                           self._final(ref.id, work.id, counted=False)) for ref in work.authors]
        taken = {b.strong for b in bylines if b.strong}
        resolved = []
        for position, byline in enumerate(bylines, start=1):
            if byline.strong:
                author_id = byline.strong
            else:
                others = [b for b in bylines if b is not byline]
                author_id = self._decide(lookups, work, position, byline, others, taken,
                                         earlier)
                taken.add(author_id)
            ref = byline.ref
            resolved.append(ref if author_id == ref.id else replace(ref, id=author_id))
        self._learn(work, resolved)
        return replace(work, authors=tuple(resolved))

    def _decide(self, lookups: IdentityLookups, work: Work, position: int, byline: _Byline,
                others: list[_Byline], taken: set[str],
                earlier: list[tuple[int, Person]]) -> str:
        ref = byline.ref
        chosen = self.thesaurus.target(ref.name)
        if chosen is not None:
            self.report.matched["thesaurus"] += 1
            return self._final(chosen, work.id, counted=False)
        before = [(abs(p - position), person.id) for p, person in earlier
                  if person.id not in taken and person.answers_to(ref.name)]
        if before:
            self.report.reloaded += 1
            return min(before)[1]  # what this paper's byline was resolved to before
        compatible = [p for p in self._blocks[byline.key].values()
                      if p.id not in taken and p.answers_to(ref.name)]
        if compatible and not self.thesaurus.keeps_apart(ref.id, ref.name):
            found = self._best_supported(lookups, compatible, byline, others)
            if found is not None:
                return self._final(found, work.id, counted=False)
        self.report.new_people += 1
        self.report.kept_apart += bool(compatible)
        return self._final(self._new_name_id(lookups, ref.id, taken), work.id, counted=True)

    def _best_supported(self, lookups: IdentityLookups, candidates: list[Person],
                        byline: _Byline, others: list[_Byline]) -> str | None:
        """The one candidate with the most shared co-authors, then institutions; None when
        none has any. When several have the most, the first of them made takes the byline
        if nothing tells them apart (``_copies_of_one_name``): they were kept apart for
        want of evidence, not found to differ, and a new person would be one more copy
        that ties next time (six "C. Warisarn" for one). Evidence for people known apart
        (by ORCID, a source's id, given names, a shared paper or the user's split) alike
        is no evidence."""
        institutions = {i.id for i in byline.ref.institutions}
        scored = []
        for person in candidates:
            self._evidence(lookups, person)
            shared = sum(self._has_coauthor(person, other) for other in others)
            common = len(person.institutions & institutions)
            if shared or common:
                scored.append((shared, common, person.id))
        if not scored:
            return None
        best = max(score[:2] for score in scored)
        tied = [person_id for *score, person_id in scored if tuple(score) == best]
        if len(tied) > 1 and not self._copies_of_one_name(
                [p for p in candidates if p.id in tied]):
            return None
        self.report.matched["coauthor" if best[0] else "institution"] += 1
        return min(tied, key=_made_order)

    def _copies_of_one_name(self, people: list[Person]) -> bool:
        """Whether nothing tells these people apart: ids of one name (``name:x``,
        ``name:x~2``), spellings that could all be one person's ('John' and 'James' cannot),
        never co-authors of each other (two bylines of one paper), and none split off by
        the user (``authors split``)."""
        split_off = {target for source, target in (self._aliases or {}).items()
                     if " on " in source}
        if any(not p.id.startswith("name:") or p.id in split_off for p in people):
            return False
        if len({_made_order(p.id)[0] for p in people}) != 1:
            return False
        for i, first in enumerate(people):
            for second in people[i + 1:]:
                if not all(a.compatible(b) for a in first.names for b in second.names):
                    return False
                if first.wrote_with(second.id):
                    return False
        return True

    def _has_coauthor(self, person: Person, other: _Byline) -> bool:
        if other.strong:
            return other.strong != person.id and person.wrote_with(other.strong)
        for group in (person.coauthors, *person.bylines):
            for coauthor_id in group.get(other.key, ()):
                if coauthor_id == person.id:
                    continue
                known = self._people.get(coauthor_id) or self._names.get(coauthor_id)
                if known is not None and known.answers_to(other.ref.name):
                    return True
        return False

    def _new_name_id(self, lookups: IdentityLookups, proposed: str, taken: set[str]) -> str:
        candidate, number = proposed, 1
        while (candidate in self._people or candidate in taken or candidate in self._stored
               or (number > _SUFFIXES_CHECKED  # rare: a name shared by many people
                   and lookups.existing_authors([candidate]))):
            number += 1
            candidate = f"{proposed}~{number}"
        return candidate

    def _final(self, author_id: str, paper_id: str, *, counted: bool) -> str:
        """Apply the thesaurus's id entries, then recorded merges and splits (a chain of
        them; a cycle stops where it would repeat)."""
        if author_id in self.thesaurus.ids:
            author_id = self.thesaurus.ids[author_id]
            self.report.matched["thesaurus"] += 1
            if counted:
                self.report.new_people -= 1
                counted = False
        aliases = self._aliases or {}
        seen = {author_id}
        while True:
            target = aliases.get(f"{author_id} on {paper_id}") or aliases.get(author_id)
            if target is None or target in seen:
                return author_id
            if counted:
                self.report.matched["alias"] += 1
                self.report.new_people -= 1
                counted = False
            seen.add(target)
            author_id = target

    # -- memory -------------------------------------------------------------------------

    def _learn(self, work: Work, authors: list[AuthorRef]) -> None:
        people = []
        for ref in authors:
            person = self._people.get(ref.id)
            if person is None:
                # known from the store as someone's co-author, or new to the graph
                person = (self._names.pop(ref.id, None) or self._stored.get(ref.id)
                          or Person(ref.id, name_key(ref)))
                self._people[ref.id] = person
                self._blocks[person.key][person.id] = person
            person.add_spelling(ref.name)
            people.append(person)
        if len({a.id for a in authors}) <= self.max_authors:
            by_key: dict[str, set[str]] = {}  # this byline's people, by name key
            for person in people:
                by_key.setdefault(person.key, set()).add(person.id)
            if len(by_key) > 1 or len(next(iter(by_key.values()), ())) > 1:
                for person in {p.id: p for p in people}.values():
                    person.bylines.append(by_key)
        for person, ref in zip(people, authors, strict=True):
            person.institutions.update(i.id for i in ref.institutions)
        self._bylines[work.id] = [(n, p) for n, p in enumerate(people, start=1)]


def _made_order(person_id: str) -> tuple[str, int]:
    """``name:x`` before ``name:x~2`` before ``name:x~10``: the order people of one name
    were made in."""
    base, _, number = person_id.partition("~")
    return base, int(number) if number.isdigit() else 1
