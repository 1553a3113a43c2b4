"""A paper's publication date and abstract as every loader stores them.

``publication_date`` is ISO 8601 at the precision the source gives, month at least:
``"2022-04"`` or ``"2022-04-29"`` (a year alone is the paper's ``year``). ``abstract`` is
plain text: markup removed, whitespace collapsed within paragraphs, paragraphs (and a
structured abstract's labelled sections) separated by a blank line.
"""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Iterable, Mapping, Sequence

from lxml import etree
from lxml import html as lxml_html

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_ISO = re.compile(r"\s*(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?")
_MONTH_END = re.compile(r"[\s/-]")
#: Tags that mark abstracts up (JATS, HTML, MathML, Scopus's and IEEE's).
_TAG_NAMES = ("p|i|b|u|em|strong|sup|sub|inf|br|hr|span|div|a|sc|italic|bold|underline|title|"
              "sec|list|list-item|inline-formula|disp-formula|tex-math|label|abstract|h[1-6]|"
              "li|ul|ol|xref|ext-link|named-content|styled-content|monospace|small|font|img|"
              "math|mi|mo|mn|mrow|msub|msup|msubsup|mfrac|msqrt|mtext|mover|munder|mstyle")
#: A tag of those, or any tag with a namespace prefix (``<jats:p>``, ``</i>``, ``<br/>``,
#: ``<a href="…">``); not a "<" of plain text or LaTeX math (``$0<x<1$``, ``<grade 3 and
#: age >65``). Linear: a candidate ends at the next "<" or ">".
_MARKUP = re.compile(rf"</?(?:[A-Za-z][\w.-]*:[A-Za-z][\w.-]*|(?:{_TAG_NAMES}))"
                     r"(?:\s[^<>]*)?/?>", re.IGNORECASE)
_BLANK_LINE = re.compile(r"\n\s*\n")
_REFERENCE = r"(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
#: A character reference ending in ";" (``html.unescape`` also decodes ``&not`` in
#: "R&notation").
_ENTITY = re.compile(rf"&{_REFERENCE}")
#: An ampersand that does not start one.
_BARE_AMPERSAND = re.compile(rf"&(?!{_REFERENCE})")
#: Block elements whose end starts a new paragraph (JATS and HTML, any namespace prefix).
_BLOCKS = frozenset({"p", "sec", "title", "div", "li", "br", "abstract", "h1", "h2", "h3",
                     "h4", "h5", "h6"})
#: Headings an abstract's markup often starts with, dropped ("Abstract", "Summary").
_HEADINGS = frozenset({"abstract", "summary", "graphical abstract"})
#: Largest abstract kept, in characters (a few sources paste whole papers).
MAX_ABSTRACT = 20_000


def month_number(value: object) -> int | None:
    """1 to 12 from ``4``, ``"04"``, ``"Apr"``, ``"april"``, ``"APR 29"``; a range
    (``"Nov-Dec"``, ``"April/May"``) gives its first month; None otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= 12 else None
    if not isinstance(value, str):
        return None
    word = value.strip().lower()
    if word in _MONTHS:  # the common case, 'Dec' (a split costs more than the rest)
        return _MONTHS[word]
    word = _MONTH_END.split(word, maxsplit=1)[0].rstrip(".")
    if word.isdigit():
        number = int(word)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(word)


def publication_date(year: object, month: object = None, day: object = None) -> str | None:
    """``"YYYY-MM"`` or ``"YYYY-MM-DD"`` when year and month are known (a day that does not
    exist in that month is left out); None when only the year is, or when the parts are not
    a date."""
    if isinstance(year, str) and year.strip().isdigit():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 1000 <= year <= 2999:
        return None
    number = month_number(month)
    if number is None:
        return None
    if isinstance(day, str) and day.strip().isdigit():
        day = int(day)
    if isinstance(day, int) and not isinstance(day, bool):
        try:
            return datetime.date(year, number, day).isoformat()
        except (ValueError, OverflowError):
            pass
    return f"{year:04d}-{number:02d}"


def in_year(year: int | None, *dates: str | None) -> str | None:
    """The first of ``dates`` in the paper's year (the year the loader chose says which of a
    source's dates is the paper's); None when none is, or the year is unknown."""
    if year is None:
        return None
    return next((date for date in dates if date and date[:4] == f"{year:04d}"), None)


def iso_date(text: object) -> str | None:
    """The date at the start of ``"2022-04-29"``, ``"2022-04"``, ``"2022/04/29/"`` or
    ``"2022-04-29T10:00:00Z"``, at the precision it has (month at least)."""
    if not isinstance(text, str):
        return None
    match = _ISO.match(text)
    if match is None:
        return None
    return publication_date(int(match[1]), match[2] and int(match[2]),
                            match[3] and int(match[3]))


def date_parts(parts: object) -> str | None:
    """Crossref's and CSL's ``[[2022, 4, 29]]`` (or ``[2022, 4]``) as a date."""
    if isinstance(parts, Sequence) and parts and isinstance(parts[0], Sequence) \
            and not isinstance(parts[0], str):
        parts = parts[0]
    if not isinstance(parts, Sequence) or isinstance(parts, str) or len(parts) < 2:
        return None
    return publication_date(parts[0], parts[1], parts[2] if len(parts) > 2 else None)


def _paragraphs(texts: Iterable[str]) -> str | None:
    kept = [" ".join(text.split()) for text in texts]
    kept = [text for text in kept if text]
    while kept and kept[0].rstrip(":.").lower() in _HEADINGS:
        kept.pop(0)
    if not kept:
        return None
    abstract = "\n\n".join(kept)
    if len(abstract) > MAX_ABSTRACT:
        abstract = abstract[:MAX_ABSTRACT].rsplit(" ", 1)[0] + " …"
    return abstract


def _without_comments(text: str) -> str:
    """``<!-- … -->`` taken out (a scan, not a pattern: many unclosed ones stay linear)."""
    kept, start = [], 0
    while (opening := text.find("<!--", start)) != -1:
        closing = text.find("-->", opening + 4)
        if closing == -1:
            break
        kept.append(text[start:opening] + " ")
        start = closing + 3
    kept.append(text[start:])
    return "".join(kept)


def _as_markup(text: str) -> str:
    """The text for an HTML parser: its tags as they are; every other '<' and '>', and every
    '&' that starts no reference, escaped (they are text); blank lines as breaks."""
    pieces, last = [], 0
    for tag in _MARKUP.finditer(text):
        pieces.append(_escaped_text(text[last:tag.start()]))
        pieces.append(tag[0])
        last = tag.end()
    pieces.append(_escaped_text(text[last:]))
    return "".join(pieces)


def _escaped_text(text: str) -> str:
    text = _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return _BLANK_LINE.sub("<br/>", text)


def _unescaped(text: str) -> str:
    return _ENTITY.sub(lambda match: html.unescape(match[0]), text)


def plain_abstract(text: object, *, markup: bool = True) -> str | None:
    """An abstract as plain text: JATS or HTML markup removed (a paragraph per block
    element), entities decoded, whitespace collapsed; blank lines in plain text kept as
    paragraph breaks. None when nothing is left. ``markup=False``: the text is plain
    whatever it holds (arXiv's LaTeX, text already read out of XML): its '<' and '&' stay."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text[:4 * MAX_ABSTRACT]  # before any pattern: a pasted paper is cut anyway
    if not markup:
        return _paragraphs(_BLANK_LINE.split(text))
    text = _without_comments(text)
    if not _MARKUP.search(text):
        return _paragraphs(_BLANK_LINE.split(_unescaped(text)))
    marked = _as_markup(text)
    try:
        root = lxml_html.fragment_fromstring(marked, create_parent="div")
    except (etree.LxmlError, ValueError):
        return _paragraphs(_BLANK_LINE.split(_unescaped(_MARKUP.sub(" ", text))))
    paragraphs: list[str] = []
    current: list[str] = []

    def walk(element: etree._Element) -> None:
        local = str(element.tag).rsplit(":", 1)[-1].lower() if isinstance(
            element.tag, str) else ""
        if local in _BLOCKS and current:
            paragraphs.append("".join(current))
            current.clear()
        if element.text and isinstance(element.tag, str):
            current.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                current.append(child.tail)
        if local in _BLOCKS and current:
            paragraphs.append("".join(current))
            current.clear()

    walk(root)
    if current:
        paragraphs.append("".join(current))
    return _paragraphs(paragraphs)


def labelled_abstract(sections: Iterable[tuple[str | None, str]]) -> str | None:
    """A structured abstract (PubMed's ``BACKGROUND``, ``METHODS``…) as paragraphs, each
    led by its label; a section without text is left out."""
    return _paragraphs(f"{label.strip()}: {text}" if label and label.strip() else text
                       for label, text in sections if isinstance(text, str) and text.strip())


def inverted_abstract(index: object) -> str | None:
    """OpenAlex's ``abstract_inverted_index`` (word → positions) as text (the words carry
    the publisher's markup, ``<i>``, ``<sup>``: removed as in :func:`plain_abstract`)."""
    if not isinstance(index, Mapping) or not index:
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(word, str) or not isinstance(positions, list):
            continue
        for position in positions:
            if type(position) is int and 0 <= position < 100_000:
                placed[position] = word
    return plain_abstract(" ".join(placed[p] for p in sorted(placed)))
