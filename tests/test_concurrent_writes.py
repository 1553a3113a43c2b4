"""Writers at once, on both engines: their transactions take turns, so every count stays
exact, and a transaction the engine gives up for a passing reason (a deadlock) runs again."""

from __future__ import annotations

import random
import threading
from collections import Counter
from itertools import combinations

import pytest

from explorer.records import AuthorRef, Work
from explorer.store import GraphStore, QueryError
from explorer.store.errors import TransientFailure
from explorer.writer import GraphWriter

PEOPLE = [AuthorRef(f"openalex:A{n}", f"Person {n}") for n in range(8)]


def works(prefix: str, count: int, seed: int) -> list[Work]:
    """Papers by overlapping groups of the same eight people: every batch touches the
    people and pairs the other writer's batches touch."""
    pick = random.Random(seed)
    return [Work(id=f"doi:10.1/{prefix}{n}", title=f"Paper {prefix}{n}", year=2000 + n % 20,
                 authors=tuple(pick.sample(PEOPLE, pick.randint(2, 6))))
            for n in range(count)]


def stored_pairs(store: GraphStore) -> list[tuple[str, str, int]]:
    rows = store.engine.read("MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) "
                             "RETURN a.id AS a, b.id AS b, e.weight AS w", {}).records()
    return [(r["a"], r["b"], r["w"]) for r in rows]


def test_two_writers_at_once_keep_every_count_exact(store):
    batches = {name: works(name, 60, seed) for seed, name in enumerate(("x", "y"))}
    failures: list[BaseException] = []
    start = threading.Barrier(len(batches))

    def load(papers: list[Work]) -> None:
        writer = GraphWriter(store)
        try:
            start.wait()
            for first in range(0, len(papers), 5):
                writer.write(papers[first:first + 5])
        except BaseException as exc:  # reported by the test below, not lost in the thread
            failures.append(exc)

    threads = [threading.Thread(target=load, args=(papers,)) for papers in batches.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures

    everything = [w for papers in batches.values() for w in papers]
    expected = Counter(pair for w in everything
                       for pair in combinations(sorted(a.id for a in w.authors), 2))
    pairs = stored_pairs(store)
    assert len(pairs) == len(expected), "one edge per pair: none written twice"
    assert {(a, b): w for a, b, w in pairs} == dict(expected)
    counts = store.engine.read("MATCH (a:Author) RETURN a.id AS id, a.paper_count AS n",
                               {}).records()
    assert {r["id"]: r["n"] for r in counts} == dict(
        Counter(a.id for w in everything for a in w.authors))
    if store.engine_name == "neo4j":  # the lock is one node, whoever made it first
        lock = store.engine.read("MATCH (l:WriteLock) RETURN count(l) AS n", {}).rows
        assert lock == [[1]]


def test_a_transaction_given_up_runs_again_from_the_start(store):
    paper = works("z", 1, 7)
    runs = []

    def write(tx):
        runs.append(GraphWriter(store).write_in(tx, paper))
        if len(runs) == 1:
            raise TransientFailure("deadlock detected (made by the test)")
        return "written"

    assert store.write(write) == "written"
    assert len(runs) == 2
    assert runs[1].papers_created == 1, "the first run was rolled back: nothing to reuse"
    stats = {r["what"]: r["total"] for r in store.query("graph_stats")}
    assert stats["papers"] == 1
    assert stats["authorships"] == len(paper[0].authors)


def test_a_failure_that_lasts_is_raised_after_the_last_attempt(store):
    runs = []

    def write(tx):
        GraphWriter(store).write_in(tx, works("w", 1, 3))
        runs.append(1)
        raise TransientFailure("deadlock detected (made by the test)")

    with pytest.raises(TransientFailure, match="deadlock"):
        store.write(write, attempts=3)
    assert len(runs) == 3
    assert {r["what"]: r["total"] for r in store.query("graph_stats")}["papers"] == 0


def test_other_failures_are_not_run_again(store):
    runs = []

    def write(tx):
        runs.append(1)
        tx.run("write/create_papers", rows=[{"no": "such columns"}])

    with pytest.raises((QueryError, ValueError)):
        store.write(write)
    assert len(runs) == 1
