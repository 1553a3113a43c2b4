"""Named queries answered from the in-memory author index, with the rows the Cypher files
give: the co-author neighbourhood questions a graph slice asks dozens of times, and the
people of a topic (an aggregation over every paper on it in Cypher).

Each function takes the query's parameters and returns its rows, or None when the index
cannot answer (an id it does not hold), and the Cypher query runs instead. Edge queries
may return an edge either way round, or an edge the Cypher query leaves to another call:
slices join the edge rows of all their calls and keep each edge once (``_unique_edges``),
so the slices are the same; tests compare whole slices built both ways.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from .author_index import NO_YEAR, AuthorIndex, smallest_first, within

Rows = list[dict[str, Any]]


def _year(value: int) -> int | None:
    return None if value == NO_YEAR else int(value)


def _one_row(index: AuthorIndex, author_id: str) -> int | None:
    row = index.known_rows.get(author_id)
    if row is None:
        row = int(index.rows_of([author_id])[0])
        _remember(index, {author_id: row})
    return row if row >= 0 else None


def _remember(index: AuthorIndex, rows: dict[str, int]) -> None:
    """Keep the rows of ids asked about (a slice asks about the same people many times);
    forget them all past _ROWS_KEPT."""
    if len(index.known_rows) + len(rows) > _ROWS_KEPT:
        index.known_rows.clear()
    index.known_rows.update(rows)


def _remember_people(index: AuthorIndex, ids: list[str], rows: list[int]) -> None:
    """Keep both ways between the ids and rows of people a slice holds."""
    _remember(index, dict(zip(ids, rows, strict=True)))
    names = index.known_ids
    if len(names) + len(rows) > _ROWS_KEPT:
        names.clear()
    names.update(zip(rows, ids, strict=True))


def _neighbours(index: AuthorIndex, params: dict[str, Any], exclude: list[str]
                ) -> tuple[np.ndarray, ...] | None:
    row = _one_row(index, params["id"])
    if row is None:
        return None
    rows, weight, first, last = index.links(row, params["min_weight"], params["year_from"],
                                            params["year_to"])
    if exclude:
        keep = ~within(rows, np.sort(_members(index, exclude)))
        rows, weight, first, last = rows[keep], weight[keep], first[keep], last[keep]
    return rows, weight, first, last


def _ranked(index: AuthorIndex, found: tuple[np.ndarray, ...], limit: int
            ) -> tuple[list[dict[str, Any]], tuple[np.ndarray, ...]]:
    rows, weight, first, last = found
    order = index.strongest_first(rows, weight)[:limit]
    rows, weight, first, last = rows[order], weight[order], first[order], last[order]
    ids, names = index.people(rows)
    _remember_people(index, ids, rows.tolist())  # the slice asks about them again
    people = [{"id": i, "name": n, "works": w, "weight": k}
              for i, n, w, k in zip(ids, names, index.works[rows].tolist(), weight.tolist(),
                                    strict=True)]
    return people, (first, last)


def author_card(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    row = _one_row(index, params["id"])
    if row is None:
        return None
    ids, names = index.people(np.array([row]))
    return [{"id": ids[0], "name": names[0], "works": int(index.works[row])}]


def author_topics(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    row = _one_row(index, params["id"]) if index.topics is not None else None
    return None if row is None else index.topics.of(row, params["limit"])


def _topic_holders(index: AuthorIndex, params: dict[str, Any]
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    return index.topics.holders(params["id"]) if index.topics is not None else None


def topic_authors(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    found = _topic_holders(index, params)
    if found is None:
        return None
    rows, works = found
    limit = params["limit"]
    if limit <= 0:
        return []
    # ORDER BY works DESC, name, id: fewer works, then a later name, sort later.
    sort_key = ((np.int64(2**31) - works.astype(np.int64)) << 32) | index.name_order[rows]
    best = smallest_first(sort_key, limit)
    rows, works = rows[best], works[best]
    ids, names = index.people(rows)
    return [{"id": i, "name": n, "works": w, "all_works": a}
            for i, n, w, a in zip(ids, names, works.tolist(), index.works[rows].tolist(),
                                  strict=True)]


def topic_author_count(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    found = _topic_holders(index, params)
    return None if found is None else [{"authors": len(found[0])}]


def author_neighbours(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    found = _neighbours(index, params, [])
    if found is None:
        return None
    people, (first, last) = _ranked(index, found, params["limit"])
    total = len(found[0])
    return [{"total": total, **p, "first_year": _year(f), "last_year": _year(y)}
            for p, f, y in zip(people, first.tolist(), last.tolist(), strict=True)]


def slice_neighbours(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    found = _neighbours(index, params, params["exclude"])
    return None if found is None else _ranked(index, found, params["limit"])[0]


def neighbour_count(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    found = _neighbours(index, params, params["exclude"])
    return None if found is None else [{"neighbours": len(found[0])}]


def _edges(index: AuthorIndex, sources: np.ndarray, among: np.ndarray,
           params: dict[str, Any], *, once: bool = False) -> Rows:
    """Links from each of ``sources`` to any of ``among``, within the filters; with
    ``once``, a link found from both ends is kept once."""
    source, target, weight, first, last = index.links_between(
        sources, among, params["min_weight"], params["year_from"], params["year_to"])
    if once and len(source):
        low, high = np.minimum(source, target), np.maximum(source, target)
        _, keep = np.unique(low * index.size + high, return_index=True)
        source, target, weight, first, last = (a[keep] for a in (source, target, weight,
                                                                 first, last))
    if not len(source):
        return []
    # Smaller id first, as slices keep edges: they then need no copy to turn round.
    turn = index.id_rank[source] > index.id_rank[target]
    source, target = np.where(turn, target, source), np.where(turn, source, target)
    # A slice's links join few people: look each up once, then spread them in numpy.
    people, where = np.unique(np.concatenate([source, target]), return_inverse=True)
    ids = np.array(_ids_of(index, people), dtype=object)[where]
    return [{"source": a, "target": b, "weight": w, "first_year": f, "last_year": y}
            for a, b, w, f, y in zip(ids[:len(source)].tolist(), ids[len(source):].tolist(),
                                     weight.tolist(), _years(first), _years(last),
                                     strict=True)]


def _years(years: np.ndarray) -> list[int | None]:
    """Years as Python values, None where unknown."""
    values = years.astype(object)
    values[years == NO_YEAR] = None
    return values.tolist()


_MEMBERS_KEPT = 8
_MEMBERS_LOCK = threading.Lock()
_ROWS_KEPT = 200_000


def _members(index: AuthorIndex, ids: list[str]) -> np.ndarray:
    """The rows of a slice's people. A slice asks about the same people once per member of
    its outer ring, so the last few lists are remembered (strings cache their hashes, so
    the key costs little), and so is each id's row."""
    key = tuple(ids)
    kept = index.member_rows
    rows = kept.get(key)
    if rows is None:
        known = index.known_rows
        found = [known.get(i) for i in ids]
        if None in found:
            rows = index.rows_of(ids)
            _remember(index, dict(zip(ids, rows.tolist(), strict=True)))
        else:
            rows = np.array(found, dtype=np.int64)
        rows = rows[rows >= 0]
        with _MEMBERS_LOCK:  # request threads share the dict: evict and add as one step
            if len(kept) >= _MEMBERS_KEPT:
                kept.pop(next(iter(kept)), None)
            kept[key] = rows
    return rows


def _ids_of(index: AuthorIndex, rows: np.ndarray) -> list[str]:
    """The ids of rows, from the remembered ones where possible."""
    names = index.known_ids
    found = [names.get(r) for r in rows.tolist()]
    missing = [k for k, i in enumerate(found) if i is None]
    if missing:
        fetched, _ = index.people(rows[missing])
        for k, author_id in zip(missing, fetched, strict=True):
            found[k] = author_id
        if len(names) + len(missing) > _ROWS_KEPT:
            names.clear()
        names.update(zip(rows[missing].tolist(), fetched, strict=True))
    return found


def links_of(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    row = _one_row(index, params["id"])
    if row is None:
        return None
    among = _members(index, params["ids"])
    return _edges(index, np.array([row]), among[among != row], params)


slice_edges = links_of  # either direction: a superset the slice de-duplicates


def links_from_many(index: AuthorIndex, sources: list[str], ids: list[str],
                    filters: dict[str, Any]) -> Rows:
    """The edges of ``links_of`` for every one of ``sources`` at once, each edge once."""
    return _edges(index, _members(index, sources), _members(index, ids), filters, once=True)


def slice_links_via(index: AuthorIndex, params: dict[str, Any]) -> Rows | None:
    via = _one_row(index, params["via"])
    if via is None:
        return None
    among = _members(index, params["ids"])
    among = among[among != via]
    everyone, *_ = index.links(via, 1, -(2**15), 2**15 - 1)
    sources = among[within(among, np.sort(everyone))]
    return _edges(index, sources, among, params, once=True)


ANSWERS: dict[str, Callable[[AuthorIndex, dict[str, Any]], Rows | None]] = {
    "author_card": author_card,
    "author_neighbours": author_neighbours,
    "author_topics": author_topics,
    "topic_authors": topic_authors,
    "topic_author_count": topic_author_count,
    "slice_neighbours": slice_neighbours,
    "neighbour_count": neighbour_count,
    "links_of": links_of,
    "slice_edges": slice_edges,
    "slice_links_via": slice_links_via,
}
