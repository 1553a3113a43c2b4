"""How counts, year spans, dates and document types read on the pages: '1 work', '3 works',
'2020', '2018\u20132020', '29 Apr 2022', 'conference paper'."""

from __future__ import annotations

IRREGULAR = {"person": "people"}
EN_DASH = "\u2013"


def counted(number: int | None, singular: str, plural: str | None = None) -> str:
    """'1 work', '1,234 works', '1 person', '2 people' (None counts as 0)."""
    n = number or 0
    word = singular if n == 1 else plural or IRREGULAR.get(singular, singular + "s")
    return f"{n:,} {word}"


def year_span(first: int | None, last: int | None) -> str:
    """First and last year joined by an en dash; one year once ('2020'); '?' for a missing
    end; '' when both are missing."""
    if first is None and last is None:
        return ""
    if first == last:
        return str(first)
    return f"{'?' if first is None else first}{EN_DASH}{'?' if last is None else last}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: Document types as the sources code them, in words (others: lower case, '-' as a space).
DOCUMENT_TYPES = {
    "jour": "journal article", "ejour": "journal article", "conf": "conference paper",
    "cpaper": "conference paper", "chap": "book chapter", "thes": "thesis", "rprt": "report",
    "unpb": "unpublished", "mgzn": "magazine article", "news": "newspaper article",
    "elec": "web page", "pat": "patent", "abst": "abstract", "data": "dataset",
    "inproceedings": "conference paper", "proceedings-article": "conference paper",
    "incollection": "book chapter", "inbook": "book chapter", "phdthesis": "PhD thesis",
    "mastersthesis": "master's thesis", "techreport": "report", "posted-content": "preprint",
}
#: Types that say nothing about the work (BibTeX's and RIS's catch-alls, DBLP's home pages).
VAGUE_TYPES = frozenset({"misc", "gen", "other", "www", "unknown"})


def document_type(kind: str | None) -> str:
    """A source's document type in words ('journal-article' reads 'journal article', RIS's
    'CONF' 'conference paper'); '' for none or a catch-all such as BibTeX's 'misc'."""
    if not kind:
        return ""
    key = kind.strip().lower()
    if key in VAGUE_TYPES:
        return ""
    return DOCUMENT_TYPES.get(key, key.replace("-", " ").replace("_", " "))


def published(date: str | None, year: int | None = None) -> str:
    """'29 Apr 2022', 'Apr 2022' from an ISO date, else the year ('' when neither)."""
    parts = (date or "").split("-")
    try:
        number = int(parts[1]) if len(parts) > 1 else 0
        month = MONTHS[number - 1] if 1 <= number <= 12 else None
        day = int(parts[2]) if len(parts) > 2 else None
    except ValueError:
        month = day = None
    if month is None:
        return "" if year is None else str(year)
    return f"{day} {month} {parts[0]}" if day else f"{month} {parts[0]}"


def paragraphs(text: str | None) -> list[str]:
    """An abstract's paragraphs (separated by blank lines, as the loaders store them)."""
    return [p for p in (text or "").split("\n\n") if p.strip()]
