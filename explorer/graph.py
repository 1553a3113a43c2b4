"""Read the co-authorship graph: profiles, works, slices, paths and search.

Every method runs named queries from cypher/ through the store, so it is the same on both
engines; Python only assembles their rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from .names import search_needle
from .store import QueryTimeout
from .store.base import GraphStore

ALL_YEARS = (0, 9999)
SEARCH_KINDS = ("authors", "papers", "topics", "institutions")
STAT_KINDS = ("authors", "papers", "topics", "institutions", "authorships", "coauthor_pairs")


class NotFound(LookupError):
    """No entity has that id."""


@dataclass(frozen=True)
class SliceOptions:
    """What a neighbourhood slice shows."""

    depth: int = 1
    limit: int = 100
    min_weight: int = 1
    year_from: int = ALL_YEARS[0]
    year_to: int = ALL_YEARS[1]

    def __post_init__(self) -> None:
        if self.depth not in (1, 2):
            raise ValueError("depth must be 1 or 2")
        if not 1 <= self.limit <= 5000:
            raise ValueError("limit must be between 1 and 5000")
        if self.min_weight < 1:
            raise ValueError("min_weight must be at least 1")
        if self.year_from > self.year_to:
            raise ValueError("year_from must not be after year_to")

    def filters(self) -> dict[str, int]:
        return {"min_weight": self.min_weight, "year_from": self.year_from,
                "year_to": self.year_to}


def _path_result(authors: list[dict[str, Any]], links: list[dict[str, Any]] | None = None,
                 *, stopped: bool = False) -> dict[str, Any]:
    return {"found": bool(authors), "authors": authors, "links": links or [],
            "stopped_at_time_limit": stopped}


def _present(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """OPTIONAL MATCH collects a map of nulls when nothing matched: leave those out."""
    return [item for item in items if item.get("id") is not None]


class Graph:
    """The read side of the explorer."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def _one(self, name: str, **params: Any) -> dict[str, Any]:
        rows = self.store.query(name, **params)
        if not rows:
            raise NotFound(params.get("id"))
        return rows[0]

    def author(self, author_id: str) -> dict[str, Any]:
        profile = self._one("author_profile", id=author_id)
        profile["topics"] = self.store.query("author_topics", id=author_id, limit=10)
        profile["institutions"] = self.store.query("author_institutions", id=author_id)
        profile["collaborators"] = self.collaborators(author_id, limit=10)
        return profile

    def works(self, author_id: str, *, skip: int = 0, limit: int = 50) -> list[dict[str, Any]]:
        works = self.store.query("author_works", id=author_id, skip=skip, limit=limit)
        for work in works:
            work["authors"] = sorted(_present(work["authors"]), key=lambda a: a["position"])
        return works

    def collaborators(self, author_id: str, *, limit: int = 50) -> list[dict[str, Any]]:
        return self.store.query("author_collaborators", id=author_id, limit=limit)

    def paper(self, paper_id: str) -> dict[str, Any]:
        paper = self._one("paper", id=paper_id)
        paper["authors"] = sorted(_present(paper["authors"]), key=lambda a: a["position"])
        paper["topics"] = _present(paper["topics"])
        return paper

    def topic(self, topic_id: str, *, limit: int = 50) -> dict[str, Any]:
        topic = self._one("topic", id=topic_id)
        topic["authors"] = self.store.query("topic_authors", id=topic_id, limit=limit)
        topic["papers"] = self.store.query("topic_papers", id=topic_id, limit=limit)
        return topic

    def institution(self, institution_id: str, *, limit: int = 50) -> dict[str, Any]:
        institution = self._one("institution", id=institution_id)
        institution["people"] = self.store.query("institution_authors", id=institution_id,
                                                 limit=limit)
        return institution

    def neighbourhood(self, author_id: str, options: SliceOptions) -> dict[str, Any]:
        """The centre, its strongest co-authors (and theirs at depth 2) and the edges among
        them, capped at ``options.limit`` nodes; says how many direct co-authors it hides.

        Ring 2 keeps the strongest links of all ring-1 members together: each member is
        asked for its best candidates and the merged list is cut to the room left."""
        centre = self._one("author_profile", id=author_id)
        filters = options.filters()
        nodes = [{"id": centre["id"], "name": centre["name"], "works": centre["works"],
                  "ring": 0}]
        ids = [author_id]
        frontier = [author_id]
        for ring in range(1, options.depth + 1):
            room = options.limit - len(ids)
            if room <= 0 or not frontier:
                break
            best: dict[str, dict[str, Any]] = {}
            for source in frontier:
                for n in self.store.query("slice_neighbours", id=source, exclude=ids,
                                          limit=room, **filters):
                    known = best.setdefault(n["id"], {**n, "total": 0})
                    known["weight"] = max(known["weight"], n["weight"])
                    known["total"] += n["weight"]
            found = sorted(best.values(),
                           key=lambda n: (-n["weight"], -n["total"], n["id"]))[:room]
            nodes += [{"id": n["id"], "name": n["name"], "works": n["works"], "ring": ring}
                      for n in found]
            frontier = [n["id"] for n in found]
            ids += frontier
        edges = [edge for member in ids
                 for edge in self.store.query("slice_edges", id=member, ids=ids, **filters)]
        direct = self._one("neighbour_count", id=author_id, **filters)["neighbours"]
        shown = sum(1 for n in nodes if n["ring"] == 1)
        return {"centre": author_id, "nodes": nodes, "edges": edges,
                "hidden_neighbours": max(direct - shown, 0), "options": vars(options)}

    def author_ref(self, author_id: str) -> dict[str, Any]:
        """Id and name of an author; NotFound for an unknown id."""
        profile = self._one("author_profile", id=author_id)
        return {"id": profile["id"], "name": profile["name"]}

    def path(self, source: str, target: str) -> dict[str, Any]:
        """The shortest chain of co-authorships, each link with its joint papers."""
        ends = [self.author_ref(source), self.author_ref(target)]
        if source == target:
            return _path_result(ends[:1])
        try:
            rows = self.store.query("collaboration_path", source=source, target=target)
        except QueryTimeout:
            return _path_result([], stopped=True)
        if not rows:
            return _path_result([])
        ids, names = rows[0]["ids"], rows[0]["names"]
        links = [{"source": a, "target": b,
                  "papers": self.store.query("link_papers", source=a, target=b,
                                             max_authors=self.store.coauthor_max_authors)}
                 for a, b in pairwise(ids)]
        return _path_result([{"id": i, "name": n} for i, n in zip(ids, names, strict=True)],
                            links)

    def search(self, text: str, *, kind: str = "authors", limit: int = 20) -> list[dict]:
        """Prefix search on any word of any spelling, ignoring case and accents."""
        if kind not in SEARCH_KINDS:
            raise ValueError(f"kind must be one of {', '.join(SEARCH_KINDS)}")
        needle = search_needle(text)
        if not needle:
            return []
        return self.store.query(f"search_{kind}", needle=needle, limit=limit)

    def stats(self) -> dict[str, int]:
        """Counts by kind; LadybugDB returns no row (Neo4j a 0) for an empty label."""
        totals = dict.fromkeys(STAT_KINDS, 0)
        totals.update((row["what"], row["total"]) for row in self.store.query("graph_stats"))
        return totals
