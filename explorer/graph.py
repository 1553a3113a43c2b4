"""Read the co-authorship graph: profiles, works, slices, paths and search.

Every method runs named queries from cypher/ through the store, so it is the same on both
engines; Python only assembles their rows.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from .citation_names import citation_name
from .errors import InvalidParameter, NotFound
from .names import search_needle
from .slices import ALL_YEARS, SliceBuilder, SliceOptions, first_row
from .store import QueryTimeout
from .store.base import GraphStore

__all__ = ["ALL_YEARS", "Graph", "NotFound", "SliceOptions"]

SEARCH_KINDS = ("authors", "papers", "topics", "institutions")
STAT_KINDS = ("authors", "papers", "topics", "institutions", "authorships", "coauthor_pairs")


def _path_result(authors: list[dict[str, Any]], links: list[dict[str, Any]] | None = None,
                 *, stopped: bool = False) -> dict[str, Any]:
    return {"found": bool(authors), "authors": authors, "links": links or [],
            "stopped_at_time_limit": stopped}


def _present(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OPTIONAL MATCH collects a map of nulls when nothing matched: leave those out."""
    return [item for item in items if item.get("id") is not None]


CITED_CANDIDATES = 200
"""Authors with the cited family name that a citation-form search compares (most works
first)."""


class Graph:
    """The read side of the explorer."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def author(self, author_id: str) -> dict[str, Any]:
        profile = first_row(self.store, "author_profile", id=author_id)
        profile["topics"] = self.store.query("author_topics", id=author_id, limit=10)
        profile["topic_count"] = first_row(self.store, "author_topic_count", id=author_id)["topics"]
        profile["institutions"] = self.store.query("author_institutions", id=author_id)
        profile["collaborators"] = self.collaborators(author_id, limit=10)
        return profile

    def works(self, author_id: str, *, skip: int = 0, limit: int = 50,
              total: int | None = None) -> list[dict[str, Any]]:
        """A page of an author's works, newest first (NotFound for an unknown author).

        A page past the last work is empty without asking the engine: LadybugDB 0.22
        crashes the process on ORDER BY two keys with a SKIP past the last row."""
        if total is None:
            total = first_row(self.store, "author_profile", id=author_id)["works"]
        if skip >= total:
            return []
        works = self.store.query("author_works", id=author_id, skip=skip, limit=limit)
        for work in works:
            work["authors"] = sorted(_present(work["authors"]), key=lambda a: a["position"])
        return works

    def collaborators(self, author_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
        return self.store.query("author_collaborators", id=author_id, limit=limit)

    def paper(self, paper_id: str) -> dict[str, Any]:
        paper = first_row(self.store, "paper", id=paper_id)
        paper["authors"] = sorted(_present(paper["authors"]), key=lambda a: a["position"])
        paper["topics"] = _present(paper["topics"])
        return paper

    def topic(self, topic_id: str, *, limit: int = 50) -> dict[str, Any]:
        topic = first_row(self.store, "topic", id=topic_id)
        topic["authors"] = self.store.query("topic_authors", id=topic_id, limit=limit)
        topic["papers"] = self.store.query("topic_papers", id=topic_id, limit=limit)
        return topic

    def institution(self, institution_id: str, *, limit: int = 50) -> dict[str, Any]:
        institution = first_row(self.store, "institution", id=institution_id)
        institution["people"] = self.store.query("institution_authors", id=institution_id,
                                                 limit=limit)
        return institution

    def neighbourhood(self, author_id: str, options: SliceOptions) -> dict[str, Any]:
        """The slice around a researcher (see explorer.slices)."""
        return SliceBuilder(self.store).around_author(author_id, options)

    def group_slice(self, kind: str, entity_id: str, options: SliceOptions
                    ) -> dict[str, Any]:
        """The slice of a paper's, a topic's or an institution's people."""
        return SliceBuilder(self.store).around_group(kind, entity_id, options)

    def expansion(self, author_id: str, shown: list[str], options: SliceOptions
                  ) -> dict[str, Any]:
        """The next strongest co-authors of a drawn person, linked to everyone drawn."""
        return SliceBuilder(self.store).expansion(author_id, shown, options)

    def path_slice(self, source: str, target: str, *, facets: bool = False
                   ) -> dict[str, Any]:
        """The collaboration path between two researchers as a slice."""
        return SliceBuilder(self.store).along_path(self.path(source, target), facets=facets)

    def author_ref(self, author_id: str) -> dict[str, Any]:
        """Id and name of an author; NotFound for an unknown id."""
        card = first_row(self.store, "author_card", id=author_id)
        return {"id": card["id"], "name": card["name"]}

    def path(self, source: str, target: str) -> dict[str, Any]:
        """The shortest chain of co-authorships, each link with its joint papers."""
        ends = [self.author_ref(source), self.author_ref(target)]
        if source == target:
            return _path_result(ends[:1])
        try:
            found = self.store.shortest_path(source, target)
        except QueryTimeout:
            return _path_result([], stopped=True)
        if not found:
            return _path_result([])
        ids, names = found["ids"], found["names"]
        links = [{"source": a, "target": b,
                  "papers": self.store.query("link_papers", source=a, target=b,
                                             max_authors=self.store.coauthor_max_authors)}
                 for a, b in pairwise(ids)]
        return _path_result([{"id": i, "name": n} for i, n in zip(ids, names, strict=True)],
                            links)

    def search(self, text: str, *, kind: str = "authors", limit: int = 20) -> list[dict]:
        """Prefix search on any word of any spelling, ignoring case and accents; authors
        also by a citation form of their name ('Simonyan K' finds Karen Simonyan)."""
        if kind not in SEARCH_KINDS:
            raise InvalidParameter(f"kind must be one of {', '.join(SEARCH_KINDS)}")
        needle = search_needle(text)
        if not needle:
            return []
        if kind == "authors":
            return self._search_authors(text, needle, limit)
        if kind == "papers":
            return self.store.search_papers(needle, limit)
        return self.store.query(f"search_{kind}", needle=needle, limit=limit)

    def _search_authors(self, text: str, needle: str, limit: int) -> list[dict]:
        """The text's hits, then, for a citation form, the authors with that family name
        whose name could be the cited one (among the ``CITED_CANDIDATES`` with the most
        works)."""
        hits = list(self.store.search_authors(needle, limit))
        cited = citation_name(text)
        if cited is None or len(hits) >= limit:
            return hits
        found = {hit["id"] for hit in hits}
        for hit in self.store.search_authors(search_needle(cited.family), CITED_CANDIDATES):
            if hit["id"] not in found and hit["name"] and cited.could_be(hit["name"]):
                hits.append({**hit, "rank": 1})
                if len(hits) == limit:
                    break
        return hits

    def stats(self) -> dict[str, int]:
        """Counts by kind (0 for a kind the graph has none of)."""
        totals = dict.fromkeys(STAT_KINDS, 0)
        totals.update((row["what"], row["total"]) for row in self.store.query("graph_stats"))
        return totals
