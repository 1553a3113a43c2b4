"""An author's career year by year, from named queries: works, new co-authors (by the year
of the first joint paper) and topics, as series over one shared axis of years."""

from __future__ import annotations

from collections import Counter
from itertools import accumulate
from typing import Any

from ..errors import InvalidParameter
from ..graph import Graph

DEFAULT_TOPICS = 8


def author_timeline(graph: Graph, author_id: str, *, topics: int = DEFAULT_TOPICS
                    ) -> dict[str, Any]:
    """Chart-ready: ``years`` is every year from the first to the last dated one, and each
    series has one count per year. Undated works and co-authors are counted apart.

    ``topics`` lists the author's most frequent topics, each with works per year;
    ``other_topics`` counts the works of every other topic per year (a work with two
    such topics counts twice)."""
    if not 1 <= topics <= 50:
        raise InvalidParameter("topics must be between 1 and 50")
    author = graph.author_ref(author_id)
    store = graph.store
    works = {r["year"]: r["works"] for r in store.query("author_years", id=author_id)}
    coauthors = {r["year"]: r["coauthors"]
                 for r in store.query("author_coauthor_years", id=author_id)}
    rows = store.query("author_paper_topics", id=author_id)
    names = {row["id"]: row["name"] for row in rows}
    by_topic: dict[str, Counter] = {}
    for row in rows:
        by_topic.setdefault(row["id"], Counter())[row["year"]] += 1
    dated = [y for y in (*works, *coauthors, *(r["year"] for r in rows)) if y is not None]
    years = list(range(min(dated), max(dated) + 1)) if dated else []

    def series(counts: dict[int | None, int]) -> list[int]:
        return [counts.get(year, 0) for year in years]

    ranked = sorted(by_topic, key=lambda t: (-by_topic[t].total(), names[t] or "", t))
    other: Counter = Counter()
    for topic in ranked[topics:]:
        other.update(by_topic[topic])
    new = series(coauthors)
    return {
        "author": author,
        "years": years,
        "works": series(works),
        "new_coauthors": new,
        "coauthors_total": list(accumulate(new)),
        "topics": [{"id": t, "name": names[t], "works": by_topic[t].total(),
                    "counts": series(by_topic[t])} for t in ranked[:topics]],
        "other_topics": series(other),
        "undated": {"works": works.get(None, 0), "coauthors": coauthors.get(None, 0)},
        "totals": {"works": sum(works.values()), "coauthors": sum(coauthors.values()),
                   "topics": len(by_topic)},
    }
