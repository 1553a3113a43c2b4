"""Name folding for search: case-, accent- and punctuation-insensitive keys."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa
import pyarrow.compute as pc
from unidecode import unidecode

_NON_WORD = re.compile(r"[^0-9a-z]+")


_CACHED_LENGTH = 200  # names, affiliations and topics; longer texts are folded afresh


def fold(text: str) -> str:
    """Lower-case ASCII words, single-spaced: 'Éva  Müller-Łaska' -> 'eva muller laska'.

    Cached for short texts: a load folds the same names, affiliations and topics again and
    again. (What users type is folded by :func:`search_needle`, without the cache, so that
    requests cannot fill it.)"""
    if text and len(text) <= _CACHED_LENGTH:
        return _fold_cached(text)
    return _fold(text)


@lru_cache(maxsize=1 << 18)
def _fold_cached(text: str) -> str:
    return _fold(text)


def _fold(text: str) -> str:
    return _NON_WORD.sub(" ", unidecode(text or "").lower()).strip()


def search_key(names: Iterable[str]) -> str:
    """The indexed key of an entity: every folded spelling, each word preceded by a space.

    A prefix search for the folded query ``q`` is then ``key CONTAINS ' ' + q``, which
    matches the start of any word of any spelling ('simonyan', 'karen s', 'kar').
    """
    spellings: list[str] = []
    for name in names:
        folded = fold(name)
        if folded and folded not in spellings:
            spellings.append(folded)
    return "".join(f" {s} |" for s in spellings)


def search_needle(query: str) -> str:
    """The CONTAINS argument for a user's search text ('' when nothing searchable remains)."""
    folded = _fold(query)
    return f" {folded}" if folded else ""


def search_keys(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`search_key` of each text alone (``search_key([text])``), for a whole column:
    a title's key, a first spelling's."""
    folded = fold_array(texts)
    return pc.if_else(pc.equal(folded, ""), "",
                      pc.binary_join_element_wise(" ", folded, " |", ""))


def fold_array(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`fold` of every string of an Arrow array (nulls fold to ''): ASCII strings
    in Arrow's compute kernels, the others through unidecode one by one (not cached: the
    callers fold distinct texts)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.fill_null(texts, "")
    ascii_only = pc.string_is_ascii(texts)
    words = pc.replace_substring_regex(pc.ascii_lower(texts), r"[^0-9a-z]+", " ")
    folded = pc.utf8_trim(words, " ")
    if pc.all(ascii_only).as_py() is not False:
        return folded
    others = pc.invert(ascii_only)
    replacements = pa.array([_fold(t) for t in pc.filter(texts, others).to_pylist()],
                            pa.string())
    return pc.replace_with_mask(folded, others, replacements)
