"""The in-memory author index (LadybugDB) answers name search, shortest paths, slice steps,
each author's topics and a topic's people exactly as the named Cypher queries it stands in
for, and is rebuilt when the graph is written."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pytest

from bench.generate import generate_works
from explorer.bulk import BulkImporter
from explorer.graph import Graph, SliceOptions
from explorer.loading import load_paths
from explorer.names import fold, search_needle
from explorer.store import GraphStore, paper_titles
from explorer.store.index_queries import ANSWERS
from tests.conftest import fresh_store
from tests.demo import load_demo


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """8,000 generated authorships (heavy-tailed teams, accented names, homonyms)."""
    store = fresh_store("ladybug", tmp_path_factory.mktemp("index"))
    importer = BulkImporter(store)
    importer.add(generate_works(8000, seed=11))
    importer.finish()
    yield store
    store.close()


def _needles(store: GraphStore, rng: random.Random) -> list[str]:
    names = [r["name"] for r in store.engine.read(
        "MATCH (a:Author) RETURN a.name AS name ORDER BY a.id", {}).records()]
    words = [w for name in rng.sample(names, 60) for w in fold(name).split()]
    cut = [w[:rng.randint(1, len(w))] for w in words]
    whole = [fold(name) for name in rng.sample(names, 10)]
    two_words = [" ".join(fold(n).split()[:2])[:-1] for n in rng.sample(names, 10)]
    return [*cut, *whole, *two_words, "a", "z", "zz", "qqq", "de las", "van t",
            "a" * 40, fold("Müller-Lüdenscheidt Ó Súilleabháin")]


def test_search_gives_the_rows_of_search_authors(synthetic):
    index = synthetic.accelerator.index(wait=True)
    assert index is not None and index.size > 1000
    rng = random.Random(7)
    for text in _needles(synthetic, rng):
        needle = search_needle(text)
        for limit in (1, 20, 200):
            assert index.search(needle, limit) == synthetic.query(
                "search_authors", needle=needle, limit=limit), (text, limit)


def test_topics_are_the_rows_of_author_topics(synthetic):
    index = synthetic.accelerator.index(wait=True)
    assert index is not None and index.topics is not None
    ids = [r["id"] for r in synthetic.engine.read(
        "MATCH (a:Author) RETURN a.id AS id ORDER BY a.id", {}).records()]
    rng = random.Random(9)
    asked = ids[:5] + rng.sample(ids, 150) + ["no such author"]
    accelerator = synthetic.accelerator
    for limit in (1, 10, 500):
        fast = [synthetic.query("author_topics", id=a, limit=limit) for a in asked]
        synthetic.accelerator = None
        try:
            assert fast == [synthetic.query("author_topics", id=a, limit=limit)
                            for a in asked], limit
        finally:
            synthetic.accelerator = accelerator
        assert sum(len(rows) >= min(limit, 2) for rows in fast) > 20 and fast[-1] == []
        assert all(len(rows) <= limit for rows in fast)


def test_a_topics_people_are_the_rows_of_topic_authors(synthetic):
    index = synthetic.accelerator.index(wait=True)
    topics = [r["id"] for r in synthetic.engine.read(
        "MATCH (t:Topic) RETURN t.id AS id ORDER BY t.id", {}).records()]
    asked = [*topics, "no such topic"]
    accelerator = synthetic.accelerator
    for limit in (0, 1, 10, 500):
        fast = [(synthetic.query("topic_authors", id=t, limit=limit),
                 synthetic.query("topic_author_count", id=t)) for t in asked]
        synthetic.accelerator = None
        try:
            assert fast == [(synthetic.query("topic_authors", id=t, limit=limit),
                             synthetic.query("topic_author_count", id=t))
                            for t in asked], limit
        finally:
            synthetic.accelerator = accelerator
        if limit == 500:  # ties on works, broken by name and id, are in these rows
            people = [rows for rows, _ in fast[:-1]]
            assert sum(len(rows) for rows in people) > 1000
            assert any(a["works"] == b["works"] for rows in people
                       for a, b in pairwise(rows))
    assert index.topics.holders("no such topic") is None
    for topic in topics:  # the rows above came from the index, not from Cypher twice
        assert ANSWERS["topic_authors"](index, {"id": topic, "limit": 10}) is not None
        assert ANSWERS["topic_author_count"](index, {"id": topic}) is not None
    assert synthetic.accelerator.index() is index


def _title_needles(store: GraphStore, rng: random.Random) -> list[str]:
    titles = [r["title"] for r in store.engine.read(
        "MATCH (p:Paper) WHERE p.title IS NOT NULL RETURN p.title AS title ORDER BY p.id",
        {}).records()]
    words = [w for title in rng.sample(titles, 30) for w in fold(title).split()]
    cut = [w[:rng.randint(1, len(w))] for w in rng.sample(words, 60)]
    phrases = []
    for title in rng.sample(titles, 30):
        folded = fold(title).split()
        start = rng.randrange(len(folded))
        phrase = " ".join(folded[start:start + rng.randint(1, 4)])
        phrases.append(phrase[:rng.randint(1, len(phrase))])
    whole = [fold(t) for t in rng.sample(titles, 10)]
    return [*cut, *phrases, *whole, "a", "the", "of the", "1", "zzqx", "a zzqx",
            "zzqx a", "in  the", "the |", "Ünïcödé — títle", " ".join(["a"] * 400)]


@pytest.mark.parametrize("corpus", ["synthetic", "synthetic, scanned 7 words at a time",
                                    "demo"])
def test_paper_search_gives_the_rows_of_search_papers(corpus, synthetic, tmp_path,
                                                      monkeypatch):
    if "7 words" in corpus:  # phrases and papers across the scan's chunks
        monkeypatch.setattr(paper_titles, "_CHUNK", 7)
    store = synthetic if corpus.startswith("synthetic") else load_demo(
        fresh_store("ladybug", tmp_path))
    try:
        index = store.accelerator.index(wait=True)
        assert index is not None and index.papers is not None
        accelerator, hits = store.accelerator, 0
        for text in _title_needles(store, random.Random(5)):
            needle = search_needle(text)
            for limit in (1, 20, 200):
                fast = store.search_papers(needle, limit)
                store.accelerator = None
                try:
                    assert fast == store.search_papers(needle, limit), (text, limit)
                finally:
                    store.accelerator = accelerator
                hits += len(fast)
        assert hits > 1000
    finally:
        if store is not synthetic:
            store.close()


def test_authors_without_a_name_sort_as_cypher_sorts_them(tmp_path):
    """Null names sort last in LadybugDB (after '' and every name), in name search and
    among a topic's people alike."""
    with fresh_store("ladybug", tmp_path) as store:
        with store.engine.transaction() as tx:
            tx.run("CREATE (:Paper {id: 'paper:p', title: 'P', year: 2000, author_count: 5, "
                   "search_key: ' p |'})-[:HAS_TOPIC {score: 1.0}]->"
                   "(:Topic {id: 'topic:t', name: 'T', search_key: ' t |'})")
            for position, name in enumerate([None, "", "b", "a", None]):
                tx.run("MATCH (p:Paper {id: 'paper:p'}) CREATE (:Author {id: $id, "
                       "name: $name, search_key: ' zq |', paper_count: 1})"
                       "-[:AUTHORED {position: $at}]->(p)",
                       {"id": f"name:a{position}", "name": name, "at": position})
        index = store.accelerator.index(wait=True)
        found = index.search(" zq", 10)
        people = store.query("topic_authors", id="topic:t", limit=10)
        store.accelerator = None
        assert found == store.query("search_authors", needle=" zq", limit=10)
        assert people == store.query("topic_authors", id="topic:t", limit=10)
        assert [p["name"] for p in people] == ["", "a", "b", None, None]


def test_paths_are_as_short_as_collaboration_path_and_real(synthetic):
    index = synthetic.accelerator.index(wait=True)
    ids = [r["id"] for r in synthetic.engine.read(
        "MATCH (a:Author) RETURN a.id AS id ORDER BY a.id", {}).records()]
    rng = random.Random(3)
    found = 0
    for _ in range(60):
        source, target = rng.choice(ids), rng.choice(ids)
        cypher = synthetic.query("collaboration_path", source=source, target=target,
                                 timeout_ms=60_000)
        fast = synthetic.shortest_path(source, target)
        if source == target or not cypher:
            assert fast is None or source == target
            continue
        found += 1
        assert fast is not None and len(fast["ids"]) == len(cypher[0]["ids"])
        assert fast["ids"][0] == source and fast["ids"][-1] == target
        for a, b in pairwise(fast["ids"]):  # every link is a stored co-authorship
            assert synthetic.engine.read(
                "MATCH (a:Author {id: $a})-[:COAUTHORED_WITH]-(b:Author {id: $b}) "
                "RETURN count(*) AS n", {"a": a, "b": b}).rows[0][0] == 1
        names = [synthetic.query("author_card", id=i)[0]["name"] for i in fast["ids"]]
        assert fast["names"] == names
    assert found > 20 and index is synthetic.accelerator.index()


def test_the_index_is_rebuilt_after_a_write(tmp_path):
    with fresh_store("ladybug", tmp_path) as store:
        graph = Graph(store)
        before = store.accelerator.index(wait=True)
        assert before is not None and before.size == 0
        assert not graph.search("Zyxwvut")
        load_paths(store, "ris", [_hostile_ris(tmp_path)], progress=False)
        assert store.accelerator.index() is not before  # stale: rebuilding, or rebuilt
        after = store.accelerator.index(wait=True)
        assert after is not None and after is not before
        hits = after.search(search_needle("Zyxwvut"), 20)
        assert [h["name"] for h in hits] == ['Zyxwvut <img src=x onerror="alert(1)">']
        assert graph.search("zyxw") == hits
        assert [p["title"] for p in graph.search("a pap", kind="papers")] == ["A paper"]
        path = graph.path(hits[0]["id"], "name:q r colleague")
        assert [a["name"] for a in path["authors"]] == [
            'Zyxwvut <img src=x onerror="alert(1)">', "Q. R. Colleague"]


def _hostile_ris(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.ris"
    path.write_text("TY  - JOUR\nTI  - A paper\nAU  - Zyxwvut <img src=x onerror=\"alert(1)\">"
                    "\nAU  - Colleague, Q. R.\nPY  - 2020\nDO  - 10.1234/zyx\nER  - \n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("options", [
    SliceOptions(), SliceOptions(limit=12), SliceOptions(depth=2, limit=150),
    SliceOptions(min_weight=2, year_from=2005, year_to=2015),
    SliceOptions(depth=2, limit=60, min_weight=2, year_to=2010),
    SliceOptions(limit=40, facets=True),
], ids=["depth 1", "limit 12", "depth 2", "weight and years", "depth 2 filtered",
        "facets"])
def test_slices_from_the_index_are_the_slices_from_cypher(synthetic, options):
    graph = Graph(synthetic)
    synthetic.accelerator.index(wait=True)
    ids = [r["id"] for r in synthetic.engine.read(
        "MATCH (a:Author)-[e:COAUTHORED_WITH]-(:Author) RETURN a.id AS id, count(e) AS n "
        "ORDER BY n DESC, id LIMIT 400", {}).records()]
    rng = random.Random(5)
    picked = ids[:10] + rng.sample(ids[10:], 20)  # the best connected and any others
    fast = [_normal(graph.neighbourhood(a, options)) for a in picked]
    steps = [_normal(graph.expansion(a, [a, *ids[:30]], SliceOptions(limit=25)))
             for a in picked[:10]]
    accelerator, synthetic.accelerator = synthetic.accelerator, None
    try:
        assert fast == [_normal(graph.neighbourhood(a, options)) for a in picked]
        assert steps == [_normal(graph.expansion(a, [a, *ids[:30]], SliceOptions(limit=25)))
                         for a in picked[:10]]
    finally:
        synthetic.accelerator = accelerator
    assert any(len(s["edges"]) > 50 for s in fast)


def _normal(piece: dict) -> dict:
    """A slice with its edges in one order (which query found an edge first may differ)."""
    return {**piece, "edges": sorted(piece["edges"], key=lambda e: (e["source"], e["target"]))}


def test_request_threads_share_the_index_caches_safely(synthetic):
    """Slices on many request threads at once: the caches of explorer.store.index_queries
    (evicting while another thread adds) never fail a request."""
    import sys
    import threading

    from explorer.store import index_queries

    index = synthetic.accelerator.index(wait=True)
    ids = [r["id"] for r in synthetic.engine.read(
        "MATCH (a:Author) RETURN a.id AS id ORDER BY a.id LIMIT 400", {}).records()]
    failures: list[BaseException] = []
    stop = threading.Event()

    def ask(seed: int) -> None:
        rng = random.Random(seed)
        while not stop.is_set():
            try:
                index_queries._members(index, rng.sample(ids, 5))
            except BaseException as exc:  # any failure is the finding
                failures.append(exc)
                return

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=ask, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        stop.wait(2)
        stop.set()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert not failures, failures[:1]
