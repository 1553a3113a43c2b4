"""The words of every paper's title, in memory: the answer to ``search_papers`` without a
scan of every title (LadybugDB has no prefix index: ~0.6 s a search at 10M authorships).

Built with the author index from ``index_paper_titles``, which lists the papers in the
order ``search_papers`` answers in (``ORDER BY year DESC, title, id``, sorted by the engine
itself). Each search key (``' word word |'``) becomes its words' numbers in sorted word
order, one int32 each, with -1 for the spaces before them and the ``|`` after them, all
papers end to end. A needle ``' w1 w2 pre'`` (what ``CONTAINS`` looks for) is then
consecutive numbers: whole words ``w1``, ``w2``, and a word number within the range of
words that start with ``pre``. Scanning the numbers from the first paper on finds the
first hits first, so a common word stops early and a rare one scans the ~24M numbers of
10M authorships in ~20 ms. It holds 4 bytes per word of every title, each paper's id, and
each distinct word once (an Arrow array, searched by bisection).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SEPARATOR = -1  # the space before a key, and the '|' that ends each spelling
_CHUNK = 1 << 18  # numbers scanned at a time: a common word stops after the first chunk


@dataclass(frozen=True)
class PaperTitles:
    """Paper ids in ``search_papers`` order, and the words of their search keys."""

    ids: pa.Array  # string per paper, in search order
    words: pa.Array  # every distinct word, sorted
    numbers: np.ndarray  # int32 per word of every key: its number in ``words`` (or -1)
    starts: np.ndarray  # int64 per paper + 1: where its numbers start

    @classmethod
    def build(cls, papers: pa.Table) -> PaperTitles:
        """From ``index_paper_titles`` (id, search_key), in search order."""
        keys = papers.column("search_key").fill_null("").combine_chunks()
        split = pc.split_pattern(keys, " ")
        starts = split.offsets.to_numpy().astype(np.int64)
        encoded = pc.dictionary_encode(split.flatten())
        dictionary = encoded.dictionary
        order = pc.sort_indices(dictionary).to_numpy()
        sorted_words = dictionary.take(pa.array(order, type=pa.int64()))
        number = np.empty(len(order), dtype=np.int32)
        number[order] = np.arange(len(order), dtype=np.int32)
        number[pc.is_in(dictionary, pa.array(["", "|"])).to_numpy(zero_copy_only=False)] = \
            SEPARATOR
        numbers = number[encoded.indices.to_numpy()] if len(number) else \
            np.zeros(0, dtype=np.int32)
        return cls(papers.column("id").combine_chunks(), sorted_words, numbers, starts)

    def arrays(self) -> dict[str, np.ndarray | pa.Array]:
        """Every array by name, for saving; ``from_arrays`` makes the same titles again."""
        return {"ids": self.ids, "words": self.words, "numbers": self.numbers,
                "starts": self.starts}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray | pa.Array]) -> PaperTitles:
        return cls(arrays["ids"], arrays["words"], arrays["numbers"], arrays["starts"])

    def search(self, needle: str, limit: int) -> list[str]:
        """The ids of the first ``limit`` papers whose key contains ``needle`` (' ' + a
        folded query), in ``search_papers`` order."""
        *whole, prefix = needle[1:].split(" ")
        if not prefix or limit <= 0:
            return []
        exact = [self._number(word) for word in whole]
        if None in exact:
            return []
        low = self._first_at_or_after(prefix)
        high = self._first_at_or_after(prefix + "\U0010ffff", low)
        if low == high:
            return []
        papers = self._first_papers(exact, low, high, limit)
        return self.ids.take(pa.array(papers, type=pa.int64())).to_pylist()

    def _first_at_or_after(self, word: str, low: int = 0) -> int:
        """The number of the first word not sorted before ``word`` (UTF-8 byte order, as
        Arrow sorts, is code point order, as Python compares)."""
        return bisect_left(self.words, word, low, key=_text)

    def _number(self, word: str) -> int | None:
        at = self._first_at_or_after(word)
        return at if at < len(self.words) and self.words[at].as_py() == word else None

    def _first_papers(self, exact: list[int], low: int, high: int, limit: int) -> list[int]:
        """The first ``limit`` papers with the words ``exact`` followed by a word numbered
        within [low, high), scanning a chunk at a time."""
        span = len(exact)
        found: list[int] = []
        for begin in range(0, len(self.numbers), _CHUNK):
            window = self.numbers[begin:begin + _CHUNK + span]
            count = min(_CHUNK, len(window) - span)
            if count <= 0:
                break
            last = window[span:span + count]
            hit = (last >= low) & (last < high)
            for at, number in enumerate(exact):  # stop as soon as nothing is left: a
                if not hit.any():  # needle of a thousand words costs a few passes
                    break
                hit &= window[at:at + count] == number
            where = np.flatnonzero(hit)
            if not len(where):
                continue
            papers = np.unique(np.searchsorted(self.starts, where + begin, side="right") - 1)
            if found and papers[0] == found[-1]:  # one paper across two chunks
                papers = papers[1:]
            found.extend(papers[:limit - len(found)].tolist())
            if len(found) >= limit:
                break
        return found


def _text(word: pa.StringScalar) -> str | None:
    return word.as_py()
