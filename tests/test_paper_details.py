"""The publication dates and abstracts every loader makes (loaders/paper_details.py)."""

from __future__ import annotations

import pytest

from loaders.paper_details import (
    MAX_ABSTRACT,
    date_parts,
    inverted_abstract,
    iso_date,
    labelled_abstract,
    month_number,
    plain_abstract,
    publication_date,
)


@pytest.mark.parametrize("value,number", [
    (4, 4), ("4", 4), ("04", 4), (" 12 ", 12), ("Apr", 4), ("apr.", 4), ("April", 4),
    ("APR 29", 4), ("Sept.", 9), ("sep", 9), ("Nov-Dec", 11), ("April/May", 4),
    ("Dec-1999 Jan", 12), ("May", 5),
])
def test_month_names_numbers_and_ranges(value, number):
    assert month_number(value) == number


@pytest.mark.parametrize("value", [0, 13, "13", "00", "SPR", "Spring", "Summer", "", "  ",
                                   None, True, 4.0, "2019", [4]])
def test_not_a_month(value):
    assert month_number(value) is None


def test_publication_date_precision():
    assert publication_date(2022, 4, 29) == "2022-04-29"
    assert publication_date("2022", "apr", "29") == "2022-04-29"
    assert publication_date(2022, "April", None) == "2022-04"
    assert publication_date(2022, "4", "5") == "2022-04-05"
    assert publication_date(2022) is None, "a year alone is the paper's year, not a date"
    assert publication_date(2022, "SPR") is None


@pytest.mark.parametrize("year,month,day,expected", [
    (2022, 2, 30, "2022-02"), (2022, 4, 31, "2022-04"), (2023, 2, 29, "2023-02"),
    (2024, 2, 29, "2024-02-29"), (2022, 4, 0, "2022-04"), (2022, 4, -1, "2022-04"),
    (2022, 4, 10**20, "2022-04"), (2022, 4, "29th", "2022-04"), (2022, 4, True, "2022-04"),
])
def test_a_day_that_does_not_exist_is_left_out(year, month, day, expected):
    assert publication_date(year, month, day) == expected


@pytest.mark.parametrize("year", [None, "", "20xx", 999, 3000, True, 2022.0, "2022-04"])
def test_not_a_year(year):
    assert publication_date(year, 4, 29) is None


@pytest.mark.parametrize("text,expected", [
    ("2022-04-29", "2022-04-29"), ("2022-04", "2022-04"), ("2022/04/29/", "2022-04-29"),
    ("2022/04//", "2022-04"), ("2022/4/9", "2022-04-09"), ("2022-04-29T10:00:00Z", "2022-04-29"),
    (" 2022-04-29", "2022-04-29"), ("2022-02-30", "2022-02"),
    ("2022///", None), ("2022", None), ("2022-13-01", None), ("29/04/2022", None),
    ("", None), ("April 2022", None), (None, None), (20220429, None),
])
def test_iso_forms(text, expected):
    assert iso_date(text) == expected


@pytest.mark.parametrize("parts,expected", [
    ([[2022, 4, 29]], "2022-04-29"), ([[2022, 4]], "2022-04"), ([2022, 4, 29], "2022-04-29"),
    ([["2019", "4"]], "2019-04"), ([[2022]], None), ([[None]], None), ([[2022, None]], None),
    ([], None), ([[]], None), (None, None), ("2022-04", None), ({"date-parts": [[2022, 4]]}, None),
    ([[2022, 4, 10**30]], "2022-04"), ([[2022.0, 4]], None),
])
def test_date_parts(parts, expected):
    assert date_parts(parts) == expected


def test_jats_with_nested_tags_and_a_leading_abstract_title():
    jats = ("<jats:title>Abstract</jats:title><jats:p>We study <jats:italic>E. coli</jats:italic>"
            " in H<jats:sub>2</jats:sub>O at 10<jats:sup>5</jats:sup>\n   cells.</jats:p>"
            "<jats:sec><jats:title>Methods</jats:title><jats:p>A <jats:bold>new</jats:bold>"
            " assay.</jats:p></jats:sec>")
    assert plain_abstract(jats) == ("We study E. coli in H2O at 105 cells.\n\nMethods\n\n"
                                    "A new assay.")


def test_html_paragraphs_entities_and_line_breaks():
    assert plain_abstract("<p>Caf&eacute; &amp; bar&nbsp;x</p><p>Second<br>third &#955;</p>") \
        == "Café & bar x\n\nSecond\n\nthird λ", "a no-break space is white space too"
    assert plain_abstract("R&amp;D costs &lt; 5%") == "R&D costs < 5%"
    assert plain_abstract("R&D in AT&T &notation") == "R&D in AT&T &notation", \
        "only a reference ending in ';' is an entity"
    assert plain_abstract("x <!-- a comment --> y") == "x y"


@pytest.mark.parametrize("text", [
    "p < 0.05 and n > 30", "for $0<x<1$ and $y>2$", "ages <18 and >65 years", "a<b, c>d",
])
def test_a_less_than_sign_in_plain_text_is_not_markup(text):
    assert plain_abstract(text) == text


def test_markup_false_keeps_what_looks_like_tags():
    assert plain_abstract("the mean <S_z> <i>n</i> vanishes") == "the mean <S_z> n vanishes", \
        "not a tag HTML or JATS has"
    assert plain_abstract("the mean <S_z> vanishes &amp;", markup=False) == \
        "the mean <S_z> vanishes &amp;"


def test_plain_text_paragraphs_and_headings():
    text = "  Abstract\n\nFirst line\n  wrapped.\n\n\n  Second\tparagraph.  \n"
    assert plain_abstract(text) == "First line wrapped.\n\nSecond paragraph."
    assert plain_abstract("Summary:\n\nText.") == "Text."
    assert plain_abstract("Abstract. We show it.") == "Abstract. We show it.", \
        "only a heading alone is dropped"


@pytest.mark.parametrize("value", [None, "", "   \n\n ", "<p> </p>", "<jats:title>Abstract"
                                   "</jats:title>", 42, ["text"]])
def test_no_abstract(value):
    assert plain_abstract(value) is None


def test_hostile_markup_never_raises():
    for text in ("<i>" * 5000 + "x", "<div>" * 100_000, "a\x00b <i>c</i>", "<", "<>",
                 "<?xml version='1.0'?><p>x</p>", "<p>\ud800</p>", "</p></p>x"):
        result = plain_abstract(text)
        assert result is None or isinstance(result, str)


def test_labelled_sections():
    assert labelled_abstract([("BACKGROUND", " Asthma  is\ncommon. "), ("METHODS", "A trial."),
                              (None, "Unlabelled."), ("", "Empty label.")]) == (
        "BACKGROUND: Asthma is common.\n\nMETHODS: A trial.\n\nUnlabelled.\n\nEmpty label.")
    assert labelled_abstract([("RESULTS", "   "), ("CONCLUSIONS", "Yes.")]) == \
        "CONCLUSIONS: Yes.", "a label without text is left out"
    assert labelled_abstract([]) is None
    assert labelled_abstract([(None, " "), (None, "")]) is None


def test_inverted_index():
    index = {"Despite": [0], "growing": [1], "interest": [2], "in": [3, 57], "Open": [4],
             "the": [5, 10]}
    text = inverted_abstract(index)
    assert text.startswith("Despite growing interest in Open the the in")
    assert inverted_abstract({"b": [1], "a": [0], "bad": "x", 3: [2], "neg": [-1],
                              "far": [10**9]}) == "a b"
    for empty in (None, {}, [], "text", {"a": []}):
        assert inverted_abstract(empty) is None


def test_length_cap():
    long = " ".join(["word"] * 10_000)
    capped = plain_abstract(long)
    assert len(capped) <= MAX_ABSTRACT + 2 and capped.endswith("word …")
    assert plain_abstract("x" * (MAX_ABSTRACT + 10)).endswith(" …")
    assert plain_abstract(" ".join(["w"] * 100)) == " ".join(["w"] * 100)


def test_text_that_only_looks_like_a_tag_stays():
    """A '<' of maths or of a clinical threshold is text, even with a '>' later; blank lines
    and bare ampersands survive the markup path too; OpenAlex's words lose their tags."""
    assert plain_abstract("if $0<x \\le 1$ and $y>0$ then") == "if $0<x \\le 1$ and $y>0$ then"
    assert plain_abstract("Toxicity <grade 3 and age >65 years.") == \
        "Toxicity <grade 3 and age >65 years."
    assert plain_abstract("<mean age> of 5") == "<mean age> of 5"
    assert plain_abstract("First para.\n\nSecond <i>para</i>, R&notation &amp; x.") == \
        "First para.\n\nSecond para, R&notation & x."
    assert inverted_abstract({"<i>Journal": [0], "of": [1], "Imaging</i>": [2], "x": [True]}) \
        == "Journal of Imaging"


def test_hostile_markup_takes_linear_time():
    import time

    started = time.perf_counter()
    for text in ("<!-- x " * 20_000, "<p x " * 30_000, "<a" * 60_000, "<" * 120_000):
        plain_abstract(text)
    assert time.perf_counter() - started < 2.0
