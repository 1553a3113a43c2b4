"""Author identity: which person each byline names, decided before a batch is written.

In order: a recorded decision (``Alias`` nodes from ``authors merge|split``, or the load's
thesaurus) wins; an ORCID or a source author id is the person; an author known only by a
name is matched within its block ('smith j') to a person with compatible given names, and
only with evidence — this paper loaded before with them in its byline, a shared co-author,
or a shared institution. Without evidence the name becomes a new person: two people are
never merged for sharing a surname and an initial.

Resolution is sequential (a work sees every work before it), so a load resumed after a
crash, which finds the finished batches' papers in the store, ends with the same graph.
The resolver keeps the people of the blocks it has met in memory; the incremental loader
lets it forget them between batches once there are many (the store still has them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from .names import fold
from .personal_names import PersonalName, parse_name
from .records import AuthorRef, Work
from .store.base import GraphStore, NamedTransaction
from .thesaurus import Thesaurus

NAME_SCHEME = "name:"

REASONS = {
    "coauthor": "shared co-author",
    "institution": "shared institution",
    "thesaurus": "thesaurus",
    "alias": "recorded merge or split",
}
"""Why a byline was matched to a person it does not name by id (printed after a load)."""


def is_name_only(author_id: str) -> bool:
    return author_id.startswith(NAME_SCHEME)


def name_of(ref: AuthorRef) -> PersonalName:
    return parse_name(ref.name, ref.family, ref.given)


def name_key(ref: AuthorRef) -> str:
    """``Author.name_key`` for an author first seen as this byline."""
    return name_of(ref).block


@dataclass
class Person:
    """What the resolver compares for one author."""

    id: str
    names: list[PersonalName] = field(default_factory=list)
    spellings: set[str] = field(default_factory=set)  # folded, as written
    coauthors: set[str] = field(default_factory=set)
    institutions: set[str] = field(default_factory=set)

    @classmethod
    def stored(cls, author_id: str, variants: list[str] | None) -> Person:
        variants = variants or []
        return cls(author_id, [parse_name(v) for v in variants], {fold(v) for v in variants})

    def answers_to(self, ref: AuthorRef, name: PersonalName) -> bool:
        """The same spelling (stored names are display strings: their parse can differ from
        one with the source's family/given split), or a compatible name."""
        return fold(ref.name) in self.spellings or any(n.compatible(name) for n in self.names)


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


class IdentityResolver:
    """Resolves the authors of successive batches of works."""

    def __init__(self, store: GraphStore, thesaurus: Thesaurus | None = None, *,
                 max_people: int | None = 500_000) -> None:
        self.store = store
        self.thesaurus = thesaurus or Thesaurus()
        self.max_people = max_people
        self.max_authors = store.coauthor_max_authors
        self.report = IdentityReport()
        self._blocks: dict[str, dict[str, Person]] = {}
        self._people: dict[str, Person] = {}
        self._loaded: set[str] = set()  # blocks whose stored people are in memory
        self._bylines: dict[str, list[tuple[int, Person]]] = {}  # works resolved so far
        self._aliases: dict[str, str] | None = None

    # -- public -------------------------------------------------------------------------

    def resolve(self, works: Sequence[Work]) -> list[Work]:
        """The works with every author id resolved (in order; each sees those before it)."""
        with self.store.transaction() as tx:
            if self._aliases is None:
                self._aliases = {r["id"]: r["author"] for r in tx.run("write/aliases_all")}
            earlier = self._earlier_bylines(tx, works)
            self._load_blocks(tx, works)
        return [self._resolve_work(work, self._bylines.get(work.id) or earlier.get(work.id, []))
                for work in works]

    def forget(self) -> None:
        """Drop the people held in memory if there are many (call after a batch is
        written: the store has them all)."""
        if self.max_people is not None and len(self._people) > self.max_people:
            self._blocks.clear()
            self._people.clear()
            self._loaded.clear()
            self._bylines.clear()

    # -- lookups, once per batch --------------------------------------------------------

    def _earlier_bylines(self, tx: NamedTransaction,
                         works: Sequence[Work]) -> dict[str, list[tuple[int, Person]]]:
        ids = sorted({w.id for w in works if any(is_name_only(a.id) for a in w.authors)})
        bylines: dict[str, list[tuple[int, Person]]] = {}
        for row in tx.run("write/paper_authors", ids=ids):
            person = Person.stored(row["id"], row["name_variants"])
            bylines.setdefault(row["paper"], []).append((row["position"], person))
        return bylines

    def _load_blocks(self, tx: NamedTransaction, works: Sequence[Work]) -> None:
        wanted = sorted({name_of(a).block for w in works for a in w.authors
                         if is_name_only(a.id)} - self._loaded)
        self._loaded.update(wanted)
        for row in tx.run("write/block_candidates", keys=wanted):
            if row["id"] in self._people:
                continue
            evidence = tx.run("write/author_evidence", id=row["id"])
            person = Person.stored(row["id"], row["name_variants"])
            if evidence:
                person.coauthors = {c for c in evidence[0]["coauthors"] if c}
                person.institutions = set(evidence[0]["institutions"])
            self._remember(person)

    # -- decisions, byline by byline ----------------------------------------------------

    def _resolve_work(self, work: Work, earlier: list[tuple[int, Person]]) -> Work:
        keys = [a.id if not is_name_only(a.id) else name_of(a).block for a in work.authors]
        taken: set[str] = set()
        resolved = []
        for position, ref in enumerate(work.authors, start=1):
            own = keys[position - 1]
            others = {k for i, k in enumerate(keys) if i != position - 1 and k != own}
            author_id = self._decide(work, position, ref, taken, others, earlier)
            taken.add(author_id)
            resolved.append(ref if author_id == ref.id else replace(ref, id=author_id))
        self._learn(work, resolved, keys)
        self._bylines[work.id] = [(position, self._people[a.id])
                                  for position, a in enumerate(resolved, start=1)]
        return replace(work, authors=tuple(resolved))

    def _decide(self, work: Work, position: int, ref: AuthorRef, taken: set[str],
                coauthor_keys: set[str], earlier: list[tuple[int, Person]]) -> str:
        name_only = is_name_only(ref.id)
        chosen = self.thesaurus.target(ref.id, ref.name, name_only)
        if chosen is not None:
            self.report.matched["thesaurus"] += 1
        elif not name_only:
            chosen = ref.id
        else:
            chosen = self._match_name(work, position, ref, taken, coauthor_keys, earlier)
        return self._follow_aliases(chosen, work.id, counted=name_only)

    def _match_name(self, work: Work, position: int, ref: AuthorRef, taken: set[str],
                    coauthor_keys: set[str], earlier: list[tuple[int, Person]]) -> str:
        name = name_of(ref)
        before = [(abs(p - position), person.id) for p, person in earlier
                  if person.id not in taken and person.answers_to(ref, name)]
        if before:
            self.report.reloaded += 1
            return min(before)[1]
        block = self._blocks.setdefault(name.block, {})
        compatible = [p for p in block.values() if p.id not in taken and p.answers_to(ref, name)]
        if not self.thesaurus.keeps_apart(ref.id, ref.name):
            institutions = {i.id for i in ref.institutions}
            scored = sorted(
                ((len(p.coauthors & coauthor_keys), len(p.institutions & institutions), p.id)
                 for p in compatible if p.coauthors & coauthor_keys
                 or p.institutions & institutions), reverse=True)
            # Evidence for two people equally is no evidence: the byline stays apart.
            if scored and (len(scored) == 1 or scored[0][:2] != scored[1][:2]):
                shared, _, person_id = scored[0]
                self.report.matched["coauthor" if shared else "institution"] += 1
                return person_id
        self.report.new_people += 1
        self.report.kept_apart += bool(compatible)
        return self._new_name_id(ref.id, block, taken)

    def _new_name_id(self, proposed: str, block: dict[str, Person], taken: set[str]) -> str:
        candidate, number = proposed, 1
        while candidate in block or candidate in self._people or candidate in taken:
            number += 1
            candidate = f"{proposed}~{number}"
        return candidate

    def _follow_aliases(self, author_id: str, paper_id: str, *, counted: bool) -> str:
        aliases = self._aliases or {}
        for _ in range(16):  # a chain of merges; never loop forever on a bad cycle
            target = aliases.get(f"{author_id} on {paper_id}") or aliases.get(author_id)
            if target is None or target == author_id:
                break
            author_id = target
            if counted:
                self.report.matched["alias"] += 1
                counted = False
        return author_id

    # -- memory -------------------------------------------------------------------------

    def _learn(self, work: Work, authors: list[AuthorRef], keys: list[str]) -> None:
        counts_pairs = len({a.id for a in authors}) <= self.max_authors
        for index, ref in enumerate(authors):
            person = self._people.get(ref.id) or Person(ref.id)
            name = name_of(ref)
            if name not in person.names:
                person.names.append(name)
            person.spellings.add(fold(ref.name))
            if counts_pairs:
                person.coauthors.update(k for i, k in enumerate(keys) if i != index)
            person.institutions.update(i.id for i in ref.institutions)
            self._remember(person)

    def _remember(self, person: Person) -> None:
        self._people[person.id] = person
        for name in person.names:
            self._blocks.setdefault(name.block, {})[person.id] = person
