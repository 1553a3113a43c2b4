"""Graph slices: the people around an author, a paper, a topic or an institution, or along a
collaboration path, with the co-author links among them; capped, filtered, and saying how
many people they leave out.

Every slice has the same shape, which static/graph.js draws::

    {"kind", "centre", "nodes": [{id, name, works, ring, [topic, institution]}],
     "edges": [{source, target, weight, first_year, last_year}],
     "hidden": int, "hidden_what": str, "topics": [{id, name}], "options": {...}}

``ring`` 0 is the slice's own people (the researcher, a paper's authors…), 1 their
co-authors, 2 the co-authors' co-authors.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from .errors import InvalidParameter, NotFound
from .store.base import GraphStore

ALL_YEARS = (0, 9999)
GROUP_KINDS = ("papers", "topics", "institutions")
MAX_SLICE = 5000
MAX_EXPANSION = 200  # people one expansion adds: each costs a query for its links
MAX_FACETS = 500  # people given a main topic and institution: two queries each


@dataclass(frozen=True)
class SliceOptions:
    """What a slice shows. ``depth`` counts rings beyond the slice's own people for an
    author (1: co-authors, 2: theirs too) and rings including them for a group (1: the
    group's people, 2: with their co-authors). ``topic`` keeps only co-authors with works on
    that topic; ``facets`` adds each person's main topic and latest institution."""

    depth: int = 1
    limit: int = 100
    min_weight: int = 1
    year_from: int = ALL_YEARS[0]
    year_to: int = ALL_YEARS[1]
    topic: str = ""
    facets: bool = False

    def __post_init__(self) -> None:
        if self.depth not in (1, 2):
            raise InvalidParameter("depth must be 1 or 2")
        if not 1 <= self.limit <= MAX_SLICE:
            raise InvalidParameter(f"limit must be between 1 and {MAX_SLICE}")
        if self.min_weight < 1:
            raise InvalidParameter("min_weight must be at least 1")
        if self.year_from > self.year_to:
            raise InvalidParameter("year_from must not be after year_to")

    def filters(self) -> dict[str, int]:
        return {"min_weight": self.min_weight, "year_from": self.year_from,
                "year_to": self.year_to}


def first_row(store: GraphStore, name: str, **params: Any) -> dict[str, Any]:
    """The first row of a named query; NotFound (naming the ``id`` asked) when none."""
    rows = store.query(name, **params)
    if not rows:
        raise NotFound(params.get("id"))
    return rows[0]


def filter_topic(store: GraphStore, topic_id: str) -> dict[str, Any]:
    """The topic a slice is filtered by; InvalidParameter (a bad option, not a missing
    page) when no topic has that id."""
    rows = store.query("topic", id=topic_id)
    if not rows:
        raise InvalidParameter(f"no topic has the id {topic_id!r}")
    return rows[0]


def _unique_edges(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each co-author edge once, smaller id first, whichever end a query started from."""
    edges: dict[tuple[str, str], dict[str, Any]] = {}
    for edge in rows:  # dense slices have thousands: a row in order is kept as it is
        a, b = edge["source"], edge["target"]
        key = (a, b) if a <= b else (b, a)
        if key not in edges:
            edges[key] = edge if a <= b else {**edge, "source": b, "target": a}
    return list(edges.values())


def _filtered(query: str, options: SliceOptions) -> tuple[str, dict[str, Any]]:
    """A co-author query and its filter parameters: its ``_on_topic`` twin when the options
    name a topic."""
    if options.topic:
        return f"{query}_on_topic", {**options.filters(), "topic": options.topic}
    return query, options.filters()


def _node(row: dict[str, Any], ring: int) -> dict[str, Any]:
    return {"id": row["id"], "name": row["name"], "works": row.get("works") or 0,
            "ring": ring}


class SliceBuilder:
    """Builds slices from named queries, one source id per query (LadybugDB looks a single
    id up by key but scans whole tables for ids UNWIND-ed from a list)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store

    # -- the slices -------------------------------------------------------------------

    def around_author(self, author_id: str, options: SliceOptions) -> dict[str, Any]:
        """The researcher, their strongest co-authors (and theirs at depth 2), capped at
        ``options.limit`` people; says how many direct co-authors it leaves out.

        Four queries at depth 1: the researcher, the first ring with its links to the
        researcher and the count of co-authors in all, the links among the first ring, and
        the researcher's topics (for the topic filter)."""
        centre = first_row(self.store, "author_card", id=author_id)
        self._check_topic(options)
        nodes = [_node(centre, 0)]
        room = options.limit - 1
        name, params = _filtered("author_neighbours", options)
        ring = self.store.query(name, id=author_id, limit=room, **params) if room else []
        nodes += [_node(n, 1) for n in ring]
        # Every direct co-author within the filters is in the first ring unless it is full,
        # and a second ring is only drawn when it is not.
        if not room:
            hidden = self._left_out(author_id, [author_id], options)
        else:
            hidden = ring[0]["total"] - len(ring) if ring else 0
        own_links = [{"source": author_id, "target": n["id"], "weight": n["weight"],
                      "first_year": n["first_year"], "last_year": n["last_year"]}
                     for n in ring]
        if options.depth == 2:
            self._add_rings(nodes, options, rings=1, first_ring=2)
        topics = self.store.query("author_topics", id=author_id, limit=10)
        return self._finish("author", author_id, nodes, options, hidden=hidden,
                            hidden_what="co-authors", topics=topics, via=author_id,
                            known_edges=own_links)

    def around_group(self, kind: str, entity_id: str, options: SliceOptions
                     ) -> dict[str, Any]:
        """A paper's authors (in byline order), a topic's most prolific authors or an
        institution's people, with the links among them; at depth 2 also their strongest
        co-authors. Says how many of the group's people it leaves out."""
        if kind not in GROUP_KINDS:
            raise InvalidParameter(f"kind must be one of {', '.join(GROUP_KINDS)}")
        members, total, topics = getattr(self, f"_{kind}_members")(entity_id, options.limit)
        self._check_topic(options)
        nodes = [_node(m, 0) for m in members]
        self._add_rings(nodes, options, rings=options.depth - 1)
        return self._finish(kind[:-1], entity_id, nodes, options,
                            hidden=total - len(members), hidden_what="members",
                            topics=topics)

    def expansion(self, author_id: str, shown: list[str], options: SliceOptions
                  ) -> dict[str, Any]:
        """The next ``options.limit`` strongest co-authors of one drawn person who are not
        drawn yet, with their links to everyone drawn; says how many more remain."""
        if len(shown) > MAX_SLICE:
            raise InvalidParameter(f"at most {MAX_SLICE} people can be drawn")
        if options.limit > MAX_EXPANSION:
            raise InvalidParameter(f"an expansion adds at most {MAX_EXPANSION} people")
        first_row(self.store, "author_profile", id=author_id)
        self._check_topic(options)
        drawn = list(dict.fromkeys([*shown, author_id]))
        found = self._neighbours(author_id, drawn, options.limit, options)
        nodes = [_node(n, 1) for n in found]
        everyone = drawn + [n["id"] for n in nodes]
        edges = self._links([author_id, *[n["id"] for n in nodes]], everyone, options)
        if options.facets:
            self._add_facets(nodes)
        hidden = self._left_out(author_id, everyone, options)
        return {"kind": "expansion", "centre": author_id, "nodes": nodes, "edges": edges,
                "hidden": hidden, "hidden_what": "co-authors", "topics": [],
                "options": asdict(options)}

    def along_path(self, found: dict[str, Any], *, facets: bool = False) -> dict[str, Any]:
        """A collaboration path (as Graph.path returns it) as a slice: its people in order,
        each link weighted by the joint papers behind it."""
        last = len(found["authors"]) - 1
        nodes = [{"id": a["id"], "name": a["name"],
                  "works": first_row(self.store, "author_card", id=a["id"])["works"],
                  "ring": 0 if i in (0, last) else 1} for i, a in enumerate(found["authors"])]
        edges = [{"source": link["source"], "target": link["target"],
                  "weight": len(link["papers"]),
                  "first_year": min((p["year"] for p in link["papers"] if p["year"]),
                                    default=None),
                  "last_year": max((p["year"] for p in link["papers"] if p["year"]),
                                   default=None)} for link in found["links"]]
        if facets:
            self._add_facets(nodes)
        return {"kind": "path", "centre": nodes[0]["id"] if nodes else None, "nodes": nodes,
                "edges": edges, "hidden": 0, "hidden_what": "people", "topics": [],
                "options": {}, "found": found["found"],
                "stopped_at_time_limit": found["stopped_at_time_limit"]}

    # -- members of a group -----------------------------------------------------------

    def _papers_members(self, paper_id: str, limit: int) -> tuple[list, int, list]:
        paper = first_row(self.store, "paper", id=paper_id)
        authors = sorted((a for a in paper["authors"] if a.get("id") is not None),
                         key=lambda a: a["position"])
        topics = [t for t in paper["topics"] if t.get("id") is not None]
        return authors[:limit], len(authors), topics

    def _topics_members(self, topic_id: str, limit: int) -> tuple[list, int, list]:
        topic = first_row(self.store, "topic", id=topic_id)
        people = [{**p, "works": p["all_works"]}
                  for p in self.store.query("topic_authors", id=topic_id, limit=limit)]
        total = first_row(self.store, "topic_author_count", id=topic_id)["authors"]
        return people, total, [{"id": topic["id"], "name": topic["name"]}]

    def _institutions_members(self, institution_id: str, limit: int
                              ) -> tuple[list, int, list]:
        institution = first_row(self.store, "institution", id=institution_id)
        people = self.store.query("institution_authors", id=institution_id, limit=limit)
        return people, institution["authors"], []

    # -- building blocks --------------------------------------------------------------

    def _check_topic(self, options: SliceOptions) -> None:
        if options.topic:
            filter_topic(self.store, options.topic)

    def _neighbours(self, source: str, exclude: list[str], limit: int,
                    options: SliceOptions) -> list[dict[str, Any]]:
        name, params = _filtered("slice_neighbours", options)
        return self.store.query(name, id=source, exclude=exclude, limit=limit, **params)

    def _left_out(self, author_id: str, shown: list[str], options: SliceOptions) -> int:
        """How many co-authors of an author within the filters are not in ``shown``."""
        name, params = _filtered("neighbour_count", options)
        return first_row(self.store, name, id=author_id, exclude=shown, **params)["neighbours"]

    def _add_rings(self, nodes: list[dict[str, Any]], options: SliceOptions, *,
                   rings: int, first_ring: int = 1) -> None:
        """Add up to ``rings`` rings of co-authors, strongest first, until the slice holds
        ``options.limit`` people. Each ring keeps the strongest links of all the previous
        ring's members together: each is asked for its best candidates and the merged list
        is cut to the room left."""
        ids = [n["id"] for n in nodes]
        frontier = [n["id"] for n in nodes if n["ring"] == first_ring - 1]
        for ring in range(first_ring, first_ring + rings):
            room = options.limit - len(ids)
            if room <= 0 or not frontier:
                break
            best: dict[str, dict[str, Any]] = {}
            for source in frontier:
                for n in self._neighbours(source, ids, room, options):
                    known = best.setdefault(n["id"], {**n, "total": 0})
                    known["weight"] = max(known["weight"], n["weight"])
                    known["total"] += n["weight"]
            found = sorted(best.values(),
                           key=lambda n: (-n["weight"], -n["total"], n["id"]))[:room]
            nodes += [_node(n, ring) for n in found]
            frontier = [n["id"] for n in found]
            ids += frontier

    def _links(self, sources: list[str], among: list[str], options: SliceOptions
               ) -> list[dict[str, Any]]:
        """Every co-author edge between ``sources`` and ``among``, each once."""
        return _unique_edges(self.store.links_from("links_of", sources, among,
                                                   **options.filters()))

    def _add_facets(self, nodes: list[dict[str, Any]]) -> None:
        """Each person's main topic (most works) and latest institution, for colouring:
        two key lookups per person, so only the first MAX_FACETS people (the strongest
        links) get them; the others have none."""
        for node in nodes[MAX_FACETS:]:
            node["topic"] = node["institution"] = None
        for node in nodes[:MAX_FACETS]:
            topics = self.store.query("author_topics", id=node["id"], limit=1)
            places = self.store.query("author_institutions", id=node["id"])
            node["topic"] = {"id": topics[0]["id"], "name": topics[0]["name"]} \
                if topics else None
            node["institution"] = {"id": places[0]["id"], "name": places[0]["name"]} \
                if places else None

    def _edges_among(self, nodes: list[dict[str, Any]], options: SliceOptions,
                     via: str | None, known: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Every co-author edge among the slice's people, each once, smaller id first.

        Around a researcher (``via``), whose own edges are ``known``, one query returns the
        edges among its co-authors; ring 2 asks per person. Any other group asks per person
        (edges point from the smaller id, so asking every member once returns every edge
        once). Where the store keeps an author index, the per-person questions are one pass
        over it (GraphStore.links_from)."""
        ids = [n["id"] for n in nodes]
        filters = options.filters()
        rows = list(known)
        if via is None:
            asked = ids
        else:
            asked = [n["id"] for n in nodes if n["ring"] >= 2]
            if len(nodes) > 2:
                rows += self.store.query("slice_links_via", via=via, ids=ids, **filters)
        rows += self.store.links_from("slice_edges", asked, ids, **filters)
        return _unique_edges(rows)

    def _finish(self, kind: str, centre: str, nodes: list[dict[str, Any]],
                options: SliceOptions, *, hidden: int, hidden_what: str,
                topics: list[dict[str, Any]], via: str | None = None,
                known_edges: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        edges = self._edges_among(nodes, options, via, known_edges or [])
        if options.facets:
            self._add_facets(nodes)
        return {"kind": kind, "centre": centre, "nodes": nodes, "edges": edges,
                "hidden": max(hidden, 0), "hidden_what": hidden_what,
                "topics": [{"id": t["id"], "name": t["name"]} for t in topics],
                "options": asdict(options)}
