"""How counts and year spans read on the pages: '1 work', '3 works', '2020', '2018\u20132020'."""

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
