"""Citation forms of a name, as reference lists write them, read for the name search."""

from __future__ import annotations

import pytest

from explorer.citation_names import citation_name


@pytest.mark.parametrize("text,family,given", [
    ("Simonyan K", "Simonyan", ("k",)),
    ("Simonyan KS", "Simonyan", ("k", "s")),
    ("Simonyan K S", "Simonyan", ("k", "s")),
    ("Simonyan, K.", "Simonyan", ("k",)),
    ("Simonyan, Karen", "Simonyan", ("karen",)),
    ("K. Simonyan", "Simonyan", ("k",)),
    ("J W Smith", "Smith", ("j", "w")),
    ("van der Berg JW", "van der Berg", ("j", "w")),
    ("de las Heras M", "de las Heras", ("m",)),
    ("Müller, J.-P.", "Müller", ("j", "p")),
    ("Simonyan K.S.", "Simonyan", ("k", "s")),  # Scopus, Vancouver
    ("Garn S.M.", "Garn", ("s", "m")),
    ("K.S. Simonyan", "Simonyan", ("k", "s")),
    ("KS Simonyan", "Simonyan", ("k", "s")),
    ("Smith J Jr", "Smith", ("j",)),
    ("Smith JW Jr.", "Smith", ("j", "w")),
])
def test_citation_forms(text, family, given):
    cited = citation_name(text)
    assert cited is not None and (cited.family, cited.name.given) == (family, given)


@pytest.mark.parametrize("text", [
    "Simonyan", "Karen Simonyan", "deep learning", "Smith jw", "Smith, ", ", K", "K", "",
    "Attention is all you need",
])
def test_other_queries_are_not_citation_forms(text):
    assert citation_name(text) is None


@pytest.mark.parametrize("text,spelling,could", [
    ("Simonyan K", "Karen Simonyan", True),
    ("Simonyan K", "K. Simonyan", True),
    ("Simonyan K", "Jack Simonyan", False),
    ("Simonyan KS", "Karen S. Simonyan", True),
    ("Simonyan KS", "Karen T. Simonyan", False),
    ("Simonyan, Karen", "Kirill Simonyan", False),
    ("Simonyan K", "Karen Simonyanova", False),
    ("van der Berg JW", "Jan Willem van der Berg", True),
    ("Muller J", "Jürgen Müller", True),
])
def test_which_spellings_could_be_the_cited_person(text, spelling, could):
    assert citation_name(text).could_be(spelling) is could
