"""Search keys: the whole-column form (bulk imports) equals the one-text form (the writer)."""

from __future__ import annotations

import pyarrow as pa

from explorer.names import search_key, search_keys

TEXTS = [
    "Attention Is All You Need", "Éva  Müller-Łaska", "  ", "", None, "???",
    "\u03a9mega\u20133 fatty acids",
    "日本語のタイトル", "Ça va? Señor O'Brien, Jr.", "x" * 250 + " ü", "A\tB\nC", "naïve Bayes 2.0",
]


def test_a_columns_search_keys_are_each_texts_own():
    expected = [search_key([t]) if t is not None else "" for t in TEXTS]
    assert search_keys(pa.array(TEXTS, pa.string())).to_pylist() == expected
    chunked = pa.chunked_array([TEXTS[:5], TEXTS[5:]], pa.string())
    assert search_keys(chunked).to_pylist() == expected
    ascii_only = [t for t in TEXTS if t is not None and t.isascii()]
    assert search_keys(pa.array(ascii_only)).to_pylist() == [search_key([t]) for t in ascii_only]
    assert expected[1] == " eva muller laska |" and expected[2] == ""
