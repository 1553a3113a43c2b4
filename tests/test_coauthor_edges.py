"""COAUTHORED_WITH stays exact after every write, on both engines."""

from __future__ import annotations

from itertools import combinations

import pytest

from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter


def people(*names: str) -> tuple[AuthorRef, ...]:
    return tuple(AuthorRef(f"name:{n}", n.title()) for n in names)


def edges(store) -> dict[tuple[str, str], tuple[int, int, int]]:
    rows = store.engine.read("MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) RETURN a.id, "
                             "b.id, e.weight, e.first_year, e.last_year", {}).rows
    return {(a, b): (w, f, last) for a, b, w, f, last in rows}


def counts(store) -> list:
    return store.engine.read("MATCH (a:Author) RETURN a.id, a.paper_count ORDER BY a.id", {}).rows


def test_weights_and_years_accumulate(store):
    writer = GraphWriter(store)
    writer.write([Work("doi:1", "One", 2001, authors=people("a", "b", "c"))])
    writer.write([Work("doi:2", "Two", 2005, authors=people("b", "a"))])
    assert edges(store) == {("name:a", "name:b"): (2, 2001, 2005),
                            ("name:a", "name:c"): (1, 2001, 2001),
                            ("name:b", "name:c"): (1, 2001, 2001)}
    assert counts(store) == [["name:a", 2], ["name:b", 2], ["name:c", 1]]


def test_reloading_changes_nothing_and_updates_in_place(store):
    writer = GraphWriter(store)
    batch = [Work("doi:1", "One", 2001, authors=people("a", "b", "c")),
             Work("doi:2", "Two", 2005, authors=people("a", "b"))]
    writer.write(batch)
    before = edges(store)
    again = writer.write(batch)
    assert again.papers_unchanged == 2 and again.authorships == 0
    assert edges(store) == before
    changed = writer.write([Work("doi:2", "Two", 2006, authors=people("a", "c"))])
    assert changed.papers_updated == 1
    assert edges(store) == {("name:a", "name:b"): (1, 2001, 2001),
                            ("name:a", "name:c"): (2, 2001, 2006),
                            ("name:b", "name:c"): (1, 2001, 2001)}
    writer.write([Work("doi:1", "One", 2001, authors=people("a"))])
    assert edges(store) == {("name:a", "name:c"): (1, 2006, 2006)}
    assert counts(store) == [["name:a", 2], ["name:c", 1]], "an author left without papers goes"


def test_a_stored_author_with_a_new_spelling_keeps_one_edge_and_its_count(store):
    """Only authors created in the batch skip the stored-edge lookup and the recount; a
    stored one whose spelling is new is updated, and its pairs are still looked up."""
    writer = GraphWriter(store)
    writer.write([Work("doi:1", "One", 2001, authors=people("a", "b"))])
    second = writer.write([Work("doi:2", "Two", 2002, authors=(
        AuthorRef("name:a", "A. Other Spelling"), *people("b")))])
    assert second.authors_updated == 1 and second.authors_created == 0
    assert edges(store) == {("name:a", "name:b"): (2, 2001, 2002)}
    assert store.engine.read("MATCH ()-[e:COAUTHORED_WITH]->() RETURN count(e)", {}).rows == [
        [1]]
    assert counts(store) == [["name:a", 2], ["name:b", 2]]


def test_large_author_lists_add_authorships_but_no_pairs(engine, tmp_path):
    from tests.conftest import fresh_store

    with fresh_store(engine, tmp_path, coauthor_max_authors=3) as store:
        writer = GraphWriter(store)
        writer.write([Work("doi:big", "Big", 2010, authors=people("a", "b", "c", "d")),
                      Work("doi:small", "Small", 2011, authors=people("a", "b"))])
        assert edges(store) == {("name:a", "name:b"): (1, 2011, 2011)}
        assert store.engine.read("MATCH ()-[r:AUTHORED]->() RETURN count(r)", {}).rows == [[6]]
        writer.write([Work("doi:big", "Big", 2010, authors=people("a", "b", "c"))])
        assert edges(store)[("name:a", "name:b")] == (2, 2010, 2011)


def test_a_recount_leaves_out_large_author_lists(engine, tmp_path):
    """A pair that loses a paper is recounted from its joint papers, without the papers
    whose author lists are too long to count."""
    from tests.conftest import fresh_store

    with fresh_store(engine, tmp_path, coauthor_max_authors=3) as store:
        writer = GraphWriter(store)
        writer.write([Work("doi:big", "Big", 1999, authors=people("a", "b", "c", "d")),
                      Work("doi:one", "One", 2003, authors=people("a", "b")),
                      Work("doi:two", "Two", 2007, authors=people("a", "b"))])
        assert edges(store) == {("name:a", "name:b"): (2, 2003, 2007)}
        writer.write([Work("doi:two", "Two", 2007, authors=people("a", "c"))])
        assert edges(store) == {("name:a", "name:b"): (1, 2003, 2003),
                                ("name:a", "name:c"): (1, 2007, 2007)}
        writer.delete(["doi:one"])
        assert edges(store) == {("name:a", "name:c"): (1, 2007, 2007)}, \
            "a pair left with only a large paper has no edge"


def test_duplicates_within_a_batch_and_within_a_paper(store):
    GraphWriter(store).write([
        Work("doi:1", "Old title", 2000, authors=people("a", "b")),
        Work("doi:1", "New title", 2001, authors=(*people("a", "b", "a"),)),
    ])
    assert edges(store) == {("name:a", "name:b"): (1, 2001, 2001)}
    assert store.engine.read("MATCH (p:Paper) RETURN p.title, p.author_count", {}).rows == [
        ["New title", 2]]


def test_a_failed_batch_leaves_nothing_behind(store, monkeypatch):
    writer = GraphWriter(store)
    writer.write([Work("doi:1", "One", 2001, authors=people("a", "b"))])
    before = (edges(store), counts(store))

    def explode(*args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(writer, "_apply_pair_deltas", explode)
    with pytest.raises(RuntimeError):
        writer.write([Work("doi:2", "Two", 2002, authors=people("a", "b", "c"))])
    assert (edges(store), counts(store)) == before
    assert store.engine.read("MATCH (p:Paper) RETURN count(p)", {}).rows == [[1]]
    monkeypatch.undo()
    writer.write([Work("doi:2", "Two", 2002, authors=people("a", "b", "c"))])
    assert edges(store)[("name:a", "name:b")] == (2, 2001, 2002)


def test_random_rewrites_match_a_recount(store):
    """Many overlapping writes and rewrites, checked against a count from scratch."""
    import random

    rng = random.Random(7)
    writer = GraphWriter(store)
    truth: dict[str, tuple[int, tuple[str, ...]]] = {}
    for _round in range(6):
        batch = []
        for _ in range(15):
            paper = f"doi:{rng.randrange(25)}"
            names = tuple(sorted(rng.sample("abcdefgh", rng.randint(1, 4))))
            year = rng.randint(1990, 2000)
            batch.append(Work(paper, paper, year, authors=people(*names)))
            truth[paper] = (year, names)
        writer.write(batch)
    expected: dict[tuple[str, str], list[int]] = {}
    for year, names in truth.values():
        for a, b in combinations(sorted(f"name:{n}" for n in names), 2):
            expected.setdefault((a, b), []).append(year)
    assert edges(store) == {k: (len(v), min(v), max(v)) for k, v in expected.items()}
