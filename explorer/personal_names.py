"""Personal names compared the way identity resolution needs: family name, given-name
tokens and a block key ('smith j') that groups the spellings that might be one person."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .names import fold

PARTICLES = frozenset({
    "al", "bin", "da", "das", "de", "del", "della", "der", "den", "des", "di", "do", "dos",
    "du", "el", "ibn", "la", "las", "le", "les", "lo", "los", "st", "ten", "ter", "van",
    "von", "zu",
})
"""Lower-case words that belong to the family name that follows them ('de las Heras');
single letters are never particles ('J Y Chang' has the initial Y)."""

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_GIVEN_SPLIT = re.compile(r"[\s.\-\u2010\u2013]+")  # spaces, dots, hyphens, dashes


@dataclass(frozen=True)
class PersonalName:
    """A parsed name: folded family name (spaces removed) and folded given-name tokens."""

    family: str
    given: tuple[str, ...]

    @property
    def block(self) -> str:
        """Family name and first initial: the spellings a resolver compares at all."""
        return f"{self.family} {self.given[0][0]}" if self.given else self.family

    def compatible(self, other: PersonalName) -> bool:
        """Could both spellings name one person? Same family name, and given names that
        agree token by token where both have one, an initial matching any name it begins
        ('J. W.' ~ 'John' ~ 'John William'; 'John' !~ 'James'; 'John W.' !~ 'John K.')."""
        if self.family != other.family:
            return False
        for mine, theirs in zip(self.given, other.given, strict=False):
            if mine == theirs:
                continue
            if len(mine) == 1 and theirs.startswith(mine):
                continue
            if len(theirs) == 1 and mine.startswith(theirs):
                continue
            return False
        return True


def _given_tokens(given: str) -> tuple[str, ...]:
    tokens: list[str] = []
    for token in _GIVEN_SPLIT.split(given.strip()):
        if not token:
            continue
        if token.isalpha() and token.isupper() and 2 <= len(token) <= 3:
            tokens.extend(token.lower())  # PubMed/WoS initials: 'JW' -> 'j', 'w'
            continue
        folded = fold(token).replace(" ", "")
        if folded:
            tokens.append(folded)
    return tuple(tokens)


def _family_key(family: str) -> str:
    return fold(family).replace(" ", "")


def parse_name(name: str, family: str | None = None, given: str | None = None) -> PersonalName:
    """Parse a byline: separate parts when the source gave them, 'Family, Given', or
    'Given [particles] Family [Jr.]'. Cached: the resolver parses each spelling often
    (one cache entry for a spelling however it is asked: ``given`` counts only with a
    ``family``)."""
    return _parsed(name, family, given) if family else _parsed(name, None, None)


@lru_cache(maxsize=1 << 18)
def _parsed(name: str, family: str | None, given: str | None) -> PersonalName:
    if family:
        return PersonalName(_family_key(family), _given_tokens(given or ""))
    if "," in name:
        family_part, _, given_part = name.partition(",")
        given_words = [w for w in given_part.split() if fold(w) not in SUFFIXES]
        while len(given_words) > 1 and fold(given_words[-1]) in PARTICLES:
            family_part = f"{given_words.pop()} {family_part}"  # 'Heras, J. de las'
        return PersonalName(_family_key(family_part), _given_tokens(" ".join(given_words)))
    words = [w for w in name.split() if w]
    while len(words) > 1 and fold(words[-1]) in SUFFIXES:
        words.pop()
    if len(words) <= 1:
        return PersonalName(_family_key(" ".join(words)), ())
    start = len(words) - 1
    while start > 1 and fold(words[start - 1]) in PARTICLES:
        start -= 1
    family_words, given_words = words[start:], words[:start]
    return PersonalName(_family_key(" ".join(family_words)), _given_tokens(" ".join(given_words)))


@lru_cache(maxsize=1 << 18)
def name_block(name: str, family: str | None = None, given: str | None = None) -> str:
    """The block key ('smith j') of a byline, parsed as :func:`parse_name` does; cached."""
    return parse_name(name, family, given).block
