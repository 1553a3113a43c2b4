"""The demo data counted independently of the loader: a plain regex over the .bib file."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

from explorer.cli import DEMO_FILE

_ENTRY = re.compile(r"@misc\{[^,]+,\s*title = \{(?P<title>.*?)\},\s*author = \{(?P<authors>.*?)\},"
                    r"\s*year = \{(?P<year>\d{4})\}", re.S)


def demo_entries() -> list[tuple[str, int, list[str]]]:
    text = DEMO_FILE.read_text(encoding="utf-8")
    return [(m["title"].replace("\\&", "&"), int(m["year"]),
             [a.strip() for a in m["authors"].split(" and ")]) for m in _ENTRY.finditer(text)]


SAME_PERSON = {"Jack Rae": "Jack W. Rae"}
"""Spellings of one person in the demo papers: the seed page bylines Jack W. Rae (DeepMind)
both ways; identity resolution merges them on their shared co-authors."""


def person_id(name: str) -> str:
    """The id a name-only author gets: lower case, punctuation to single spaces (all demo
    names are plain ASCII, so this needs no accent folding)."""
    name = SAME_PERSON.get(name, name)
    return "name:" + " ".join(re.split(r"[^a-z]+", name.lower())).strip()


def demo_pair_weights() -> Counter:
    """Joint papers per pair of author ids (a < b)."""
    weights: Counter = Counter()
    for _, _, authors in demo_entries():
        for a, b in combinations(sorted({person_id(n) for n in authors}), 2):
            weights[(a, b)] += 1
    return weights
