"""One contract, both engines: the same data gives the same answers on LadybugDB and Neo4j."""

from __future__ import annotations

import pytest

from explorer.graph import Graph, NotFound, SliceOptions
from explorer.records import AuthorRef, Work
from explorer.store import QueryError, QueryTimeout, ReadOnlyViolation
from explorer.writer import GraphWriter
from tests.demo_truth import demo_entries, demo_pair_weights, person_id

SIMONYAN = "name:karen simonyan"


def test_demo_counts_match_an_independent_parse(demo_store):
    entries = demo_entries()
    stats = Graph(demo_store).stats()
    assert stats["papers"] == len(entries) == 5
    assert stats["authorships"] == sum(len(a) for _, _, a in entries) == 183
    assert stats["authors"] == len({person_id(n) for _, _, a in entries for n in a}) == 101
    assert stats["coauthor_pairs"] == len(demo_pair_weights())


def test_every_coauthor_weight_matches_the_papers(demo_store):
    rows = demo_store.engine.read(
        "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) "
        "RETURN a.id AS a, b.id AS b, e.weight AS w", {}).records()
    assert {(r["a"], r["b"]): r["w"] for r in rows} == dict(demo_pair_weights()), \
        "every edge points from the smaller id and counts the joint papers"


def test_profile_and_collaborators(demo_store):
    graph = Graph(demo_store)
    profile = graph.author(SIMONYAN)
    assert profile["name"] == "Karen Simonyan"
    assert (profile["works"], profile["first_year"], profile["last_year"]) == (5, 2021, 2022)
    expected = {person_id(n) for _, _, a in demo_entries() if "Karen Simonyan" in a for n in a}
    assert profile["coauthors"] == len(expected) - 1
    top = graph.collaborators(SIMONYAN, limit=1000)
    weights = demo_pair_weights()
    assert [c["joint_papers"] for c in top] == sorted(
        (w for pair, w in weights.items() if SIMONYAN in pair), reverse=True)
    assert all(c["id"] != SIMONYAN for c in top)
    assert top[0]["joint_papers"] == 5 and top[0]["first_year"] == 2021


def test_works_list_every_author_in_order(demo_store):
    works = Graph(demo_store).works(SIMONYAN)
    assert [w["year"] for w in works] == sorted((w["year"] for w in works), reverse=True)
    by_title = {t: a for t, _, a in demo_entries()}
    for work in works:
        assert [a["id"] for a in work["authors"]] == [person_id(n) for n in by_title[work["title"]]]


def test_neighbourhood_slice_caps_and_filters(demo_store):
    graph = Graph(demo_store)
    full = graph.neighbourhood(SIMONYAN, SliceOptions())
    ids = {n["id"] for n in full["nodes"]}
    assert len(ids) == len(full["nodes"]), "no node twice"
    assert all(e["source"] in ids and e["target"] in ids for e in full["edges"])
    capped = graph.neighbourhood(SIMONYAN, SliceOptions(limit=10))
    assert len(capped["nodes"]) == 10
    assert capped["hidden"] == full["hidden"] + len(full["nodes"]) - 10
    strong = graph.neighbourhood(SIMONYAN, SliceOptions(min_weight=5))
    assert all(e["weight"] >= 5 for e in strong["edges"])
    assert {n["id"] for n in strong["nodes"] if n["ring"] == 1} == {
        other for pair, w in demo_pair_weights().items() if w >= 5 and SIMONYAN in pair
        for other in pair if other != SIMONYAN}
    only_2021 = graph.neighbourhood(SIMONYAN, SliceOptions(year_from=2021, year_to=2021))
    assert all(e["first_year"] <= 2021 <= e["last_year"] for e in only_2021["edges"])
    assert len(only_2021["nodes"]) == 80, "the Gopher paper (2021) has 80 authors"


def test_depth_two_reaches_coauthors_of_coauthors(store):
    people = [AuthorRef(f"name:p{i}", f"Person {i}") for i in range(4)]
    GraphWriter(store).write([
        Work("doi:1", "A", 2000, authors=(people[0], people[1])),
        Work("doi:2", "B", 2001, authors=(people[1], people[2])),
        Work("doi:3", "C", 2002, authors=(people[2], people[3])),
    ])
    graph = Graph(store)
    assert {n["id"] for n in graph.neighbourhood("name:p0", SliceOptions(depth=1))["nodes"]} \
        == {"name:p0", "name:p1"}
    two = graph.neighbourhood("name:p0", SliceOptions(depth=2))
    assert {n["id"]: n["ring"] for n in two["nodes"]} == {"name:p0": 0, "name:p1": 1,
                                                         "name:p2": 2}
    path = graph.path("name:p0", "name:p3")
    assert [a["id"] for a in path["authors"]] == ["name:p0", "name:p1", "name:p2", "name:p3"]
    assert [[p["id"] for p in link["papers"]] for link in path["links"]] == [
        ["doi:1"], ["doi:2"], ["doi:3"]]


def test_a_path_search_past_the_time_limit_says_so(demo_store, monkeypatch):
    """A search the engine stops (QueryTimeout, as the timeout test above shows it raising)
    is reported as stopped, not as an error and not as 'no path'."""
    query = demo_store.query

    def slow_paths(name, **params):
        if name == "collaboration_path":
            raise QueryTimeout("the query was stopped at its time limit")
        return query(name, **params)

    monkeypatch.setattr(demo_store, "query", slow_paths)
    # The Cypher search (LadybugDB's in-memory index, when ready, answers without one).
    monkeypatch.setattr(demo_store, "accelerator", None)
    result = Graph(demo_store).path(SIMONYAN, "name:jack w rae")
    assert result == {"found": False, "authors": [], "links": [], "stopped_at_time_limit": True}


def test_path_between_demo_authors_and_missing_paths(demo_store):
    graph = Graph(demo_store)
    path = graph.path("name:jean baptiste alayrac", "name:jack w rae")
    assert path["found"] and len(path["authors"]) == 3, "two links, through a shared co-author"
    assert all(link["papers"] for link in path["links"])
    with pytest.raises(NotFound):
        graph.path(SIMONYAN, "name:nobody")
    # The stored query itself (the API, `query --stored` and the console run it as it is):
    # the same author at both ends is no chain, on both engines (no error on Neo4j).
    assert demo_store.query("collaboration_path", source=SIMONYAN, target=SIMONYAN) == []


def test_search_ignores_case_accents_and_word_position(store):
    GraphWriter(store).write([Work("doi:x", "Über Graphs", 2020, authors=(
        AuthorRef("name:zoe muller", "Zoë Müller-Łaska"),
        AuthorRef("name:diego", "Diego de Las Casas")))])
    graph = Graph(store)
    for text in ("zoe", "ZOË", "müll", "laska", "Zoe M", "łaska"):
        assert [h["id"] for h in graph.search(text)] == ["name:zoe muller"], text
    assert [h["id"] for h in graph.search("casas")] == ["name:diego"]
    assert graph.search("oe") == [], "prefixes of words only"
    assert graph.search("   ") == []
    assert [h["id"] for h in graph.search("uber", kind="papers")] == ["doi:x"]


def test_search_finds_an_author_by_a_citation_form_of_the_name(demo_store):
    """Reference lists write 'Simonyan K' or 'Simonyan, K.'; the graph keeps the byline's
    'Karen Simonyan' (seed 003's paper list)."""
    graph = Graph(demo_store)
    assert demo_store.search_authors(" simonyan k", 20) == [], "no spelling reads so"
    for text in ("Simonyan K", "simonyan k.", "Simonyan, K.", "K. Simonyan", "Simonyan KS",
                 "Simonyan, Karen", "SIMONYAN K", "Simonyan K.S.", "K.S. Simonyan"):
        assert SIMONYAN in [h["id"] for h in graph.search(text)], text
    for text in ("Simonyan J", "Simonyan, Jack", "J. Simonyan", "Simonyanov K"):
        assert SIMONYAN not in [h["id"] for h in graph.search(text)], text
    rae = [h["name"] for h in graph.search("Rae JW")]
    assert rae and all(name.endswith("Rae") and name.startswith("J") for name in rae), rae
    assert len(graph.search("Simonyan K", limit=1)) == 1


def test_paper_topic_and_institution_views(store):
    from explorer.records import InstitutionRef, TopicRef

    lab = InstitutionRef("ror:lab", "Lab", "GB", "https://ror.org/lab")
    GraphWriter(store).write([Work(
        "doi:t", "T", 2019, venue="V",
        authors=(AuthorRef("name:a", "A", institutions=(lab,)), AuthorRef("name:b", "B")),
        topics=(TopicRef("topic:g", "Graphs", 0.5),))])
    graph = Graph(store)
    paper = graph.paper("doi:t")
    assert [a["name"] for a in paper["authors"]] == ["A", "B"]
    assert paper["topics"] == [{"id": "topic:g", "name": "Graphs", "score": 0.5}]
    topic = graph.topic("topic:g")
    assert topic["works"] == 1 and {a["id"] for a in topic["authors"]} == {"name:a", "name:b"}
    institution = graph.institution("ror:lab")
    assert institution["authors"] == 1 and institution["people"][0]["first_year"] == 2019
    for lookup in (graph.paper, graph.topic, graph.institution, graph.author):
        with pytest.raises(NotFound):
            lookup("doi:missing")


def test_ids_are_unique_in_the_engine(store):
    with pytest.raises(QueryError), store.transaction() as tx:
        tx.tx.run("CREATE (:Author {id: 'dup'})")
        tx.tx.run("CREATE (:Author {id: 'dup'})")
    assert store.cypher("MATCH (a:Author {id: 'dup'}) RETURN count(a) AS n").rows == [[0]]


def test_schema_is_idempotent(store):
    store.init_schema()
    store.init_schema()
    assert Graph(store).stats()["authors"] == 0


def test_ad_hoc_cypher_is_read_only(store):
    GraphWriter(store).write([Work("doi:1", "A", 2000, authors=(AuthorRef("name:a", "A"),))])
    for statement in ("CREATE (:Author {id: 'x'})", "MATCH (a:Author) SET a.name = 'x'",
                      "MATCH (a:Author) DETACH DELETE a", "MERGE (:Topic {id: 'x'})"):
        with pytest.raises(ReadOnlyViolation):
            store.cypher(statement)
    assert store.cypher("MATCH (a:Author) RETURN a.id AS id, a.name AS name").rows == [
        ["name:a", "A"]]


def test_ad_hoc_cypher_time_limit_and_row_cap(store):
    """A query stopped at its time limit answers so (timed_out), within the limit and a
    margin; named queries still raise QueryTimeout."""
    stopped = store.cypher("UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y "
                           "UNWIND range(1, 3000) AS z WITH x + y + z AS s WHERE s % 7 = 1 "
                           "RETURN count(*)", timeout_ms=300)
    assert stopped.timed_out and not stopped.rows
    # Neo4j stops a timed-out transaction when its transaction monitor next looks (every
    # db.transaction.monitor.check.interval, 2 s by default): a wider margin there.
    assert stopped.elapsed_ms < 300 + (4000 if store.engine_name == "neo4j" else 2000)
    result = store.cypher("UNWIND range(1, 50) AS x RETURN x", max_rows=10)
    assert result.truncated and len(result.rows) == 10
    with pytest.raises(QueryError) as error:
        store.cypher("MATCH (a:Author RETURN a")
    assert str(error.value)


def test_results_are_plain_values_on_both_engines(store):
    GraphWriter(store).write([Work("doi:1", "A", 2000, authors=(
        AuthorRef("name:a", "A"), AuthorRef("name:b", "B")))])
    row = store.cypher("MATCH (a:Author {id: 'name:a'})-[e:COAUTHORED_WITH]->(b:Author) "
                       "RETURN a, e, b").rows[0]
    node, rel, _ = row
    assert node["_type"] == "node" and node["_label"] == "Author" and node["id"] == "name:a"
    assert rel["_type"] == "relationship" and rel["_label"] == "COAUTHORED_WITH"
    assert rel["weight"] == 1 and rel["_start"] == node["_id"]


def _demo_openalex() -> dict[str, dict]:
    """The demo's OpenAlex works by DOI, read with the json module."""
    import json

    from explorer.cli import DEMO_LOADS

    path = dict((str(p), p) for _, p in DEMO_LOADS)
    [openalex] = [p for p in path.values() if str(p).endswith(".jsonl")]
    works = [json.loads(line) for line in openalex.read_text(encoding="utf-8").splitlines()]
    return {w["doi"].removeprefix("https://doi.org/").lower(): w for w in works if w.get("doi")}


def test_papers_keep_their_date_and_abstract(full_demo_store):
    """The demo's OpenAlex abstracts, rebuilt here from the inverted index (the publisher's
    <i>, <sup> and <sub> dropped), come back word for word with the publication date; a work
    without an abstract has none."""
    import re

    graph = Graph(full_demo_store)
    works = _demo_openalex()
    with_abstract = [(doi, w) for doi, w in works.items() if w.get("abstract_inverted_index")]
    without = [doi for doi, w in works.items() if not w.get("abstract_inverted_index")]
    assert len(with_abstract) > 50 and without
    tagged = 0
    for doi, work in with_abstract:
        placed = sorted((p, word) for word, ps in work["abstract_inverted_index"].items()
                        for p in ps)
        text = " ".join(word for _, word in placed)
        tagged += bool(re.search(r"</?(i|sup|sub)>", text))
        paper = graph.paper(f"doi:{doi}")
        assert " ".join(paper["abstract"].split()) == \
            " ".join(re.sub(r"</?(i|sup|sub)>", "", text).split()), "paragraphs aside"
        date = work["publication_date"]  # OpenAlex's 1s stand for what it does not know
        assert paper["publication_date"] == (
            None if date.endswith("-01-01") else date[:7] if date.endswith("-01") else date)
    assert tagged and graph.paper(f"doi:{without[0]}")["abstract"] is None


def test_works_of_a_year_come_newest_date_first(store):
    GraphWriter(store).write([
        Work(f"doi:{day}", f"Paper {day}", 2020, publication_date=date,
             authors=(AuthorRef("name:a", "A"),))
        for day, date in (("a", "2020-03-01"), ("b", None), ("c", "2020-11"), ("d", "2020-07-15"))
    ] + [Work("doi:e", "Paper e", 2021, authors=(AuthorRef("name:a", "A"),))])
    works = Graph(store).works("name:a")
    assert [w["id"] for w in works] == ["doi:e", "doi:c", "doi:d", "doi:a", "doi:b"]
    assert works[1]["publication_date"] == "2020-11" and works[4]["publication_date"] is None
