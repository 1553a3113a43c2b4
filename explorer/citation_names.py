"""Names typed the way reference lists write them: 'Simonyan K', 'Simonyan KS',
'Simonyan, K.', 'K. Simonyan', 'Simonyan, Karen'. A name search finds the authors such a
name could be, whatever spelling the graph keeps ('Karen Simonyan')."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import fold
from .personal_names import PersonalName, parse_name

_INITIAL = re.compile(r"[A-Za-z]\.?|[A-Z]{2,3}\.?|(?:[A-Z]\.-?){2,3}")
"""'K', 'K.', 'KS' (capitals only), 'K.S.', 'J.-P.'."""
_WORD = re.compile(r"[^\s,]+")
_SUFFIX = re.compile(r"(?i:jr|sr|ii|iii|iv)\.?")


@dataclass(frozen=True)
class CitationName:
    """A name read from a citation form: the family name as typed (to search for) and the
    parsed name (to compare spellings with)."""

    family: str
    name: PersonalName

    def could_be(self, spelling: str) -> bool:
        """Could this spelling of an author's name be the cited person?"""
        return self.name.compatible(parse_name(spelling))


def citation_name(query: str) -> CitationName | None:
    """The family name and given names (or initials) of a query in a citation form; None
    for a query that is not one (a single word, a title, a plain 'Karen Simonyan')."""
    family, comma, given = query.partition(",")
    if comma:
        return _cited(family, given) if fold(family) and fold(given) else None
    words = _WORD.findall(query)
    while len(words) > 2 and _SUFFIX.fullmatch(words[-1]):  # 'Smith J Jr'
        words.pop()
    if len(words) < 2:
        return None
    trailing = _count_initials(reversed(words))
    if 0 < trailing < len(words):  # 'Simonyan K', 'van der Berg JW'
        return _cited(" ".join(words[:-trailing]), " ".join(words[-trailing:]))
    leading = _count_initials(words)
    if 0 < leading < len(words):  # 'K. Simonyan', 'KS Simonyan', 'K.S. Simonyan'
        return _cited(" ".join(words[leading:]), " ".join(words[:leading]))
    return None


def _count_initials(words) -> int:
    count = 0
    for word in words:
        if not _INITIAL.fullmatch(word):
            break
        count += 1
    return count


def _cited(family: str, given: str) -> CitationName | None:
    family, given = family.strip(), given.strip()
    name = parse_name(f"{family}, {given}", family, given)
    return CitationName(family, name) if name.family and name.given else None
