"""Deterministic synthetic co-authorship corpus, shaped like real bibliographic data.

The corpus has the features the explorer must cope with at scale:

* heavy-tailed productivity: each author has a Pareto-distributed popularity and is picked
  for papers in proportion to it, so papers per author follow a power law;
* heavy-tailed team sizes: most papers have 1-8 authors (median 3), a rare tail reaches
  a few hundred and, very rarely, a consortium paper has 1,000+ authors (above the
  co-author threshold of 100);
* collaboration locality: authors belong to research groups (contiguous id ranges); most
  co-authors of a paper come from the first author's group, so pairs repeat (weights > 1)
  and the graph has communities; large papers draw from neighbouring groups too;
* years 1990-2025 growing ~6%/year; a home institution per author (mostly the group's),
  ~10% move once; 1-3 topics per paper from 200, correlated with the group;
* accented and compound names ("Zoë García Márquez", "Łukasz de las Casas") and homonyms.

Only a few int/float arrays per author and per group are kept; works are streamed.
Ids: ``openalex:A<n>``, ``openalex:W<n>``, ``openalex:I<n>``, ``topic:T<n>``.
"""

from __future__ import annotations

import argparse
import gzip
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import numpy as np
import orjson

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work

FIRST_NAMES = (
    "José", "Zoë", "Łukasz", "María", "François", "Søren", "Jürgen", "Ana", "Chloé", "Björn",
    "Małgorzata", "İlker", "Ángel", "Renée", "Siobhán", "Miloš", "Tomáš", "Çağla", "Thanh",
    "Wei", "Jing", "Hiroshi", "Yuki", "Priya", "Arjun", "Olúwaseun", "Chinedu", "Fatima",
    "Mohammed", "Ahmed", "Elena", "Ivan", "Olga", "Sergei", "Anna", "John", "Mary", "David",
    "Sarah", "Michael", "Emma", "James", "Laura", "Pierre", "Marie", "Hans", "Greta", "Luca",
    "Giulia", "Paolo", "Sofia", "Mateo", "Lucía", "Joaquín", "Inés", "Raúl", "Håkon", "Åsa",
    "Aoife", "Seán", "Zsófia", "Gergő", "Ştefan", "Andrés", "Noémie", "Kateřina", "Jiří",
    "Mihály", "Dóra", "Karen", "Jean-Luc", "Anne-Sophie", "Xiaoming", "Min-jun", "Ji-woo",
)
SURNAMES = (
    "Müller", "García Márquez", "de las Casas", "Smith", "Wang", "Li", "Zhang", "Chen", "Liu",
    "Kim", "Park", "Nguyen", "Tanaka", "Suzuki", "Sato", "Kumar", "Singh", "Patel", "Sharma",
    "Okafor", "Adeyemi", "Silva", "Santos", "Oliveira", "Fernández", "González", "Rodríguez",
    "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Núñez", "Ibáñez", "Rossi", "Russo",
    "Bianchi", "Dubois", "Lefèvre", "Girard", "Martin", "Bernard", "Schmidt", "Schneider",
    "Fischer", "Weiß", "Schäfer", "Böhm", "Groß", "Jansen", "de Vries", "van der Berg",
    "van 't Hof", "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Dvořák", "Novák", "Horváth",
    "Kovács", "Szabó", "Nagy", "Tóth", "Ivanov", "Petrov", "Smirnov", "Popescu", "Ionescu",
    "Yılmaz", "Kaya", "Öztürk", "Şahin", "Andersen", "Nielsen", "Sørensen", "Ødegaard",  # noqa: RUF001
    "Johansson", "Åberg", "Lindqvist", "Virtanen", "Mäkinen", "O'Brien", "Ó Súilleabháin",
    "MacDonald", "Müller-Lüdenscheidt", "Papadopoulos", "Georgiou", "Cohen", "Levi", "Haddad",
    "Al-Sayed", "Ben Ali", "da Silva", "dos Santos", "Jiménez", "Díaz", "Álvarez", "Simonyan",
)
INITIALS = "ABCDEFGHIJKLMNOPRSTVWZ"
CITIES = (
    ("Zürich", "CH"), ("São Paulo", "BR"), ("Kraków", "PL"), ("Montréal", "CA"),
    ("Göttingen", "DE"), ("München", "DE"), ("Łódź", "PL"), ("Málaga", "ES"),
    ("Reykjavík", "IS"), ("Besançon", "FR"), ("Paris", "FR"), ("Lyon", "FR"), ("Oxford", "GB"),
    ("Edinburgh", "GB"), ("Cambridge", "US"), ("Berkeley", "US"), ("Chicago", "US"),
    ("Toronto", "CA"), ("Tokyo", "JP"), ("Kyoto", "JP"), ("Beijing", "CN"), ("Shanghai", "CN"),
    ("Seoul", "KR"), ("Bangalore", "IN"), ("Delhi", "IN"), ("Lagos", "NG"), ("Nairobi", "KE"),
    ("Cape Town", "ZA"), ("Sydney", "AU"), ("Auckland", "NZ"), ("Santiago", "CL"),
    ("Bogotá", "CO"), ("Ciudad de México", "MX"), ("Madrid", "ES"), ("Barcelona", "ES"),
    ("Lisboa", "PT"), ("Milano", "IT"), ("Roma", "IT"), ("Wien", "AT"), ("Praha", "CZ"),
    ("Budapest", "HU"), ("București", "RO"), ("İstanbul", "TR"), ("Athína", "GR"),
    ("Helsinki", "FI"), ("Göteborg", "SE"), ("Århus", "DK"), ("Tromsø", "NO"), ("Leuven", "BE"),
    ("Delft", "NL"),
)
INSTITUTION_PATTERNS = (
    "University of {}", "{} Institute of Technology", "Technical University of {}",
    "{} Medical Center", "{} Research Institute", "National Laboratory of {}",
)
TOPIC_SUBJECTS = (
    "Graph Neural Networks", "Protein Folding", "Quantum Error Correction", "Climate Modelling",
    "Dark Matter", "Gene Regulation", "Natural Language Processing", "Computer Vision",
    "Reinforcement Learning", "Cryptography", "Epidemiology", "Neuroimaging",
    "Battery Materials", "Catalysis", "Exoplanets", "Ocean Acidification", "Soil Microbiomes",
    "Social Networks", "Labour Economics", "Cognitive Development", "Wireless Communication",
    "Distributed Databases", "Compiler Optimisation", "Cancer Immunotherapy", "Plasma Physics",
)
TOPIC_PREFIXES = ("", "Advanced ", "Applied ", "Computational ", "Statistical ",
                  "Experimental ", "Theoretical ", "Scalable ")
TOPICS = tuple(p + s for s in TOPIC_SUBJECTS for p in TOPIC_PREFIXES)  # 200, subject-major
VENUE_PATTERNS = ("Journal of {}", "{} Letters", "Advances in {}",
                  "Proceedings of the Symposium on {}")
TITLE_ADJECTIVES = ("Efficient", "Robust", "Scalable", "Exact", "Approximate", "Bayesian",
                    "Sparse", "Adaptive", "Causal", "Distributed", "Data-driven", "Non-linear")
TITLE_NOUNS = ("methods", "models", "estimators", "algorithms", "bounds", "measurements",
               "simulations", "representations", "experiments", "frameworks")
TITLE_TEMPLATES = ("{a} {n} for {t}", "On the {n} of {t}", "{t}: {a} {n} revisited",
                   "Towards {a} {n} in {t}", "A study of {a} {n} for {t}")
WORK_TYPES = ("article", "preprint", "review", "book-chapter", "dataset", "dissertation")
WORK_TYPE_P = (0.80, 0.10, 0.04, 0.03, 0.02, 0.01)
YEARS = np.arange(1990, 2026)
YEAR_P = np.exp(0.06 * (YEARS - 1990)) / np.exp(0.06 * (YEARS - 1990)).sum()

_GIVEN = [f"{first} {INITIALS[m - 1] + '. ' if m else ''}" for first in FIRST_NAMES
          for m in range(len(INITIALS) + 1)]  # given names with an optional middle initial
_CHUNK = 1024          # papers drawn per vectorised step
_LOCAL_MAX = 40        # larger papers draw distinct co-authors from a window of groups
_P_GROUP = 0.7         # co-authors from the first author's group,
_P_NEAR = 0.2          # from groups nearby (ids within _NEAR), the rest from anyone
_NEAR = 200
_P_MOVE = 0.10         # authors who change institution once
_P_ORCID = 0.40
_P_NO_INSTITUTION = 0.03


def orcids(numbers: np.ndarray) -> list[str]:
    """Synthetic ORCIDs ``0000-000X-XXXX-XXXC`` (valid ISO 7064 11-2 check digit), one per
    number below 10**8."""
    total = np.zeros(len(numbers), np.int64)
    for power in range(7, -1, -1):  # the leading zeros add nothing to the checksum
        total = (total + numbers // 10**power % 10) * 2
    checks = (12 - total % 11) % 11
    return [f"0000-000{v // 10**7}-{v // 1000 % 10000:04d}-{v % 1000:03d}{'0123456789X'[c]}"
            for v, c in zip(numbers.tolist(), checks.tolist(), strict=True)]


def author_counts(rng: np.random.Generator, size: int) -> np.ndarray:
    """Authors per paper: a log-normal body (median 3), a Pareto tail from 9 up to 500 for
    2% of papers, and consortium papers of 1,000-3,000 authors for 1 in 50,000."""
    counts = np.maximum(1, np.rint(np.exp(rng.normal(1.1, 0.55, size)))).astype(np.int64)
    tail = rng.random(size) < 0.02
    counts[tail] = np.minimum(500, 9 * (1 + rng.pareto(1.5, tail.sum()))).astype(np.int64)
    huge = rng.random(size) < 2e-5
    counts[huge] = rng.integers(1000, 3001, huge.sum())
    return counts


class _Pools:
    """Authors, groups and institutions as flat arrays indexed by number (0-based)."""

    def __init__(self, authorships: int, rng: np.random.Generator) -> None:
        n = self.n_authors = max(1, authorships // 4)
        n_inst = self.n_institutions = max(1, n // 200)
        # Popularity: Pareto weights, capped so no author takes over the corpus.
        weight = np.minimum(1.0 + rng.pareto(1.3, n), 1000.0)
        self.cum = np.concatenate(([0.0], np.cumsum(weight)))  # cum[i]..cum[i+1] is author i
        sizes = np.clip(np.rint(np.exp(rng.normal(np.log(25), 0.8, n // 3 + 2))), 3, 400)
        ends = np.cumsum(sizes).astype(np.int64)
        ends = np.append(ends[ends < n], n)
        self.group_end = ends
        self.group_start = np.concatenate(([0], ends[:-1]))
        n_groups = len(ends)
        self.group_of = np.repeat(np.arange(n_groups, dtype=np.int32),
                                  self.group_end - self.group_start)
        self.group_topic = rng.integers(0, len(TOPICS), n_groups).astype(np.int16)
        inst_weight = np.cumsum(1.0 + rng.pareto(1.2, n_inst))
        def pick_inst(k: int) -> np.ndarray:
            return np.searchsorted(inst_weight, rng.random(k) * inst_weight[-1]).astype(np.int32)
        group_inst = pick_inst(n_groups)
        self.home = np.where(rng.random(n) < 0.75, group_inst[self.group_of], pick_inst(n))
        self.moved_to = np.where(rng.random(n) < _P_MOVE, pick_inst(n), -1).astype(np.int32)
        self.move_year = rng.integers(1995, 2023, n).astype(np.int16)
        self.first_name = rng.integers(0, len(FIRST_NAMES), n).astype(np.uint8)
        self.surname = rng.integers(0, len(SURNAMES), n).astype(np.uint8)
        middle = rng.integers(0, 4 * len(INITIALS), n)  # a middle initial for a quarter
        self.middle = np.where(middle < len(INITIALS), middle, -1).astype(np.int8)
        self.has_orcid = rng.random(n) < _P_ORCID
        self._institutions: dict[int, InstitutionRef] = {}

    def pick(self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Authors drawn by popularity within the author ranges [lo, hi)."""
        x = self.cum[lo] + rng.random(len(lo)) * (self.cum[hi] - self.cum[lo])
        return np.clip(np.searchsorted(self.cum, x, side="right") - 1, lo, hi - 1)

    def authors(self, flat: np.ndarray, inst: list[int], seed: int) -> list[AuthorRef]:
        """Authors by number as listed on papers, each at an institution number (or -1)."""
        names = (self.first_name[flat].astype(np.int64) * (len(INITIALS) + 1)
                 + self.middle[flat] + 1).tolist()
        surnames = self.surname[flat].tolist()
        with_orcid = self.has_orcid[flat]
        ids = orcids((flat[with_orcid] * 7919 + seed) % 10**8)[::-1]
        return [AuthorRef(f"openalex:A{a + 1}", _GIVEN[g] + SURNAMES[s],
                          ids.pop() if o else None,
                          (self.institution(i),) if i >= 0 else ())
                for a, g, s, o, i in zip(flat.tolist(), names, surnames, with_orcid.tolist(),
                                         inst, strict=True)]

    def institution(self, k: int) -> InstitutionRef:
        ref = self._institutions.get(k)
        if ref is None:
            city, country = CITIES[k % len(CITIES)]
            rest = k // len(CITIES)
            name = INSTITUTION_PATTERNS[rest % len(INSTITUTION_PATTERNS)].format(city)
            if rest >= len(INSTITUTION_PATTERNS):
                name += f", Campus {rest // len(INSTITUTION_PATTERNS) + 1}"
            ror = f"ror:synth{k + 1:04d}" if k % 10 < 7 else None
            ref = InstitutionRef(f"openalex:I{k + 1}", name, country, ror)
            self._institutions[k] = ref
        return ref


def _coauthors(pools: _Pools, rng: np.random.Generator, first: np.ndarray,
               sizes: np.ndarray) -> list[list[int]]:
    """Author numbers of each paper, first author first, each author once."""
    group = pools.group_of[first]
    small = sizes <= _LOCAL_MAX
    need = np.where(small, sizes - 1, 0)
    draws = need + (need + 1) // 2 + np.minimum(need, 1)  # oversample to survive duplicates
    slot_paper = np.repeat(np.arange(len(first)), draws)
    where = rng.random(len(slot_paper))
    slot_group = group[slot_paper]
    start, end = pools.group_start[slot_group], pools.group_end[slot_group]
    near = (where >= _P_GROUP) & (where < _P_GROUP + _P_NEAR)
    start = np.where(near, np.maximum(0, start - _NEAR), start)
    end = np.where(near, np.minimum(pools.n_authors, end + _NEAR), end)
    anyone = where >= _P_GROUP + _P_NEAR
    lo = np.where(anyone, 0, start)
    hi = np.where(anyone, pools.n_authors, end)
    picked = pools.pick(rng, lo, hi).tolist()
    ends = np.cumsum(draws)
    bounds = zip((ends - draws).tolist(), ends.tolist(), strict=True)
    papers = []
    for i, (f, n, (start, end)) in enumerate(zip(first.tolist(), sizes.tolist(), bounds,
                                                  strict=True)):
        extra = picked[start:end]
        if n > _LOCAL_MAX:  # a consortium: distinct authors from a window of groups
            g = group[i]
            span = min(pools.n_authors, max(3 * n, int(pools.group_end[g] - pools.group_start[g])))
            start = int(min(max(0, pools.group_start[g] - span // 3), pools.n_authors - span))
            extra = (rng.choice(span, size=min(n, span), replace=False) + start).tolist()
        authors = dict.fromkeys([f, *extra])
        papers.append(list(authors)[:n])
    return papers


def generate_works(authorships: int, seed: int = 42) -> Iterator[Work]:
    """Yield works until their authorships (author-list entries) total exactly ``authorships``.

    Deterministic for a seed; memory is a few arrays sized by the number of authors.
    """
    rng = np.random.default_rng(seed)
    pools = _Pools(authorships, rng)
    total = 0
    next_id = 1
    while total < authorships:
        sizes = np.minimum(author_counts(rng, _CHUNK), pools.n_authors)
        first = pools.pick(rng, np.zeros(_CHUNK, np.int64),
                           np.full(_CHUNK, pools.n_authors, np.int64))
        years = rng.choice(YEARS, size=_CHUNK, p=YEAR_P)
        papers = _coauthors(pools, rng, first, sizes)
        for i, authors in enumerate(papers):  # cut the last work short to hit the target
            papers[i] = authors = authors[:max(0, authorships - total)]
            total += len(authors)
        papers = [p for p in papers if p]
        years = years[:len(papers)]
        year_list = years.tolist()
        flat = np.fromiter((a for p in papers for a in p), np.int64)
        slot_year = np.repeat(years, [len(p) for p in papers])
        moved = (pools.moved_to[flat] >= 0) & (slot_year >= pools.move_year[flat])
        inst = np.where(moved, pools.moved_to[flat], pools.home[flat])
        inst = np.where(rng.random(len(flat)) < _P_NO_INSTITUTION, -1, inst).tolist()
        refs = pools.authors(flat, inst, seed)
        n_topics = rng.integers(1, 4, len(papers)).tolist()
        topic_draw = rng.random((len(papers), 3, 2)).tolist()
        title_draw = rng.integers(0, 1 << 30, (len(papers), 3)).tolist()
        kinds = rng.choice(len(WORK_TYPES), size=len(papers), p=WORK_TYPE_P).tolist()
        group_topics = pools.group_topic[pools.group_of[[p[0] for p in papers]]].tolist()
        k = 0
        for i, authors in enumerate(papers):
            k += len(authors)
            topics = _topics(group_topics[i], n_topics[i], topic_draw[i])
            kind = WORK_TYPES[kinds[i]]
            subject = TOPIC_SUBJECTS[(int(topics[0].id[7:]) - 1) // len(TOPIC_PREFIXES)]
            a_i, n_i, t_i = title_draw[i]
            title = TITLE_TEMPLATES[t_i % len(TITLE_TEMPLATES)].format(
                a=TITLE_ADJECTIVES[a_i % len(TITLE_ADJECTIVES)].lower(),
                n=TITLE_NOUNS[n_i % len(TITLE_NOUNS)], t=topics[0].name)
            title = title[0].upper() + title[1:]
            venue = "arXiv" if kind == "preprint" else \
                VENUE_PATTERNS[a_i % len(VENUE_PATTERNS)].format(subject)
            yield Work(id=f"openalex:W{next_id}", title=title, year=year_list[i],
                       doi=f"10.5555/synth.w{next_id}" if n_i % 5 else None, venue=venue,
                       type=kind, source="synthetic", authors=tuple(refs[k - len(authors):k]),
                       topics=topics)
            next_id += 1


def _topics(home: int, count: int, draw: list[list[float]]) -> tuple[TopicRef, ...]:
    """1-3 topics: mostly the group's topic, then siblings of the same subject or any."""
    per = len(TOPIC_PREFIXES)
    chosen: dict[int, float] = {}
    for j in range(count):
        kind, u = draw[j]
        if j == 0 and kind < 0.7:
            t = home
        elif kind < 0.85:
            t = home // per * per + int(u * per)
        else:
            t = int(u * len(TOPICS))
        chosen.setdefault(t, round(0.99 - 0.25 * j - 0.2 * u, 4))
    return tuple(TopicRef(f"topic:T{t + 1}", TOPICS[t], s) for t, s in chosen.items())


def _openalex_url(scheme_id: str) -> str:
    return "https://openalex.org/" + scheme_id.split(":", 1)[1]


def to_openalex(work: Work) -> dict[str, Any]:
    """A work as an OpenAlex snapshot work object."""
    last = len(work.authors) - 1
    return {
        "id": _openalex_url(work.id),
        "doi": f"https://doi.org/{work.doi}" if work.doi else None,
        "title": work.title,
        "display_name": work.title,
        "publication_year": work.year,
        "type": work.type,
        "primary_location": {"source": {"display_name": work.venue}} if work.venue else None,
        "authorships": [{
            "author_position": "first" if i == 0 else "last" if i == last else "middle",
            "author": {"id": _openalex_url(a.id), "display_name": a.name,
                       "orcid": f"https://orcid.org/{a.orcid}" if a.orcid else None},
            "institutions": [{
                "id": _openalex_url(inst.id), "display_name": inst.name,
                "ror": f"https://ror.org/{inst.ror.split(':', 1)[1]}" if inst.ror else None,
                "country_code": inst.country} for inst in a.institutions],
            "countries": sorted({inst.country for inst in a.institutions if inst.country}),
            "raw_author_name": a.name,
        } for i, a in enumerate(work.authors)],
        "topics": [{"id": _openalex_url(t.id), "display_name": t.name, "score": t.score}
                   for t in work.topics],
    }


def _open(path: Path) -> IO[bytes]:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".gz":
        return gzip.open(path, "wb", compresslevel=5)
    return path.open("wb")


def write_openalex_jsonl(works: Iterable[Work], path: str | Path) -> int:
    """Write works as OpenAlex JSON Lines (gzipped when the path ends in .gz); return count."""
    count = 0
    with _open(Path(path)) as out:
        for work in works:
            out.write(orjson.dumps(to_openalex(work)) + b"\n")
            count += 1
    return count


def parse_count(text: str) -> int:
    """'1000000', '1_000_000', '100k' or '1M'."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1]) * scale) if scale > 1 else int(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorships", type=parse_count, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, help="OpenAlex JSON Lines file (.gz to compress)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    seen = bytearray(max(1, args.authorships // 4))
    counts = {"works": 0, "authorships": 0}

    def tally(works: Iterable[Work]) -> Iterator[Work]:
        for work in works:
            counts["works"] += 1
            counts["authorships"] += len(work.authors)
            for author in work.authors:
                seen[int(author.id[10:]) - 1] = 1
            yield work

    works = tally(generate_works(args.authorships, args.seed))
    if args.out:
        write_openalex_jsonl(works, args.out)
    else:
        for _ in works:
            pass
    elapsed = time.perf_counter() - started
    print(f"works {counts['works']:,}  authorships {counts['authorships']:,}  "
          f"distinct authors {sum(seen):,}  in {elapsed:.1f}s"
          + (f"  -> {args.out}" if args.out else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
