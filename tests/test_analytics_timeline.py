"""Timelines equal counts made independently: a parse of the demo .bib, plain json over the
OpenAlex sample, and Cypher over the papers (not the derived co-author edges)."""

from __future__ import annotations

from collections import Counter

import pytest

from explorer.analytics.timeline import author_timeline
from explorer.errors import InvalidParameter
from explorer.graph import Graph, NotFound
from tests.analytics_data import JEMAL, load_sample, works_of_orcid
from tests.demo_truth import demo_entries, person_id


def by_year(timeline, series):
    return {year: n for year, n in zip(timeline["years"], timeline[series], strict=True) if n}


def test_demo_timelines_equal_the_bib_file(demo_store):
    works: dict[str, Counter] = {}
    first_joint: dict[str, dict[str, int]] = {}
    for _, year, names in demo_entries():
        people = {person_id(n) for n in names}
        for person in people:
            works.setdefault(person, Counter())[year] += 1
            met = first_joint.setdefault(person, {})
            for other in people - {person}:
                met[other] = min(met.get(other, year), year)
    graph = Graph(demo_store)
    for person in ("name:karen simonyan", "name:jack w rae", "name:oriol vinyals",
                   "name:jean baptiste alayrac"):
        timeline = author_timeline(graph, person)
        assert by_year(timeline, "works") == works[person]
        assert by_year(timeline, "new_coauthors") == Counter(first_joint[person].values())
        assert timeline["coauthors_total"][-1] == len(first_joint[person])
        profile = graph.author(person)
        assert timeline["totals"]["works"] == profile["works"]
        assert timeline["totals"]["coauthors"] == profile["coauthors"]
        assert timeline["years"] == list(range(min(works[person]), max(works[person]) + 1))
        assert timeline["topics"] == [] and timeline["undated"] == {"works": 0,
                                                                    "coauthors": 0}


def test_jemal_timeline_equals_the_json_and_the_papers(store):
    load_sample(store)
    timeline = author_timeline(Graph(store), JEMAL, topics=3)
    works = works_of_orcid(JEMAL)
    assert by_year(timeline, "works") == Counter(w["publication_year"] for w in works)
    assert timeline["years"] == list(range(2011, 2025))
    topics: dict[str, Counter] = {}
    for work in works:
        for topic in work["topics"]:
            topics.setdefault("openalex:" + topic["id"].rsplit("/", 1)[-1], Counter())[
                work["publication_year"]] += 1
    ranked = sorted(topics, key=lambda t: -topics[t].total())
    assert [t["works"] for t in timeline["topics"]] == \
        [topics[t].total() for t in ranked[:3]]
    for series in timeline["topics"]:
        assert by_year({**timeline, "s": series["counts"]}, "s") == topics[series["id"]]
    other = sum((topics[t] for t in topics if t not in
                 {s["id"] for s in timeline["topics"]}), Counter())
    assert by_year({**timeline, "s": timeline["other_topics"]}, "s") == other
    assert timeline["totals"]["topics"] == len(topics)
    rows = store.cypher(
        "MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(co:Author) "
        "WHERE co.id <> a.id AND p.author_count <= $max "
        "WITH co, min(p.year) AS first RETURN first AS year, count(co) AS coauthors",
        {"id": JEMAL, "max": store.coauthor_max_authors}).records()
    assert by_year(timeline, "new_coauthors") == {r["year"]: r["coauthors"] for r in rows}


def test_unknown_author_and_bad_topic_count(demo_store):
    graph = Graph(demo_store)
    with pytest.raises(NotFound):
        author_timeline(graph, "name:nobody")
    with pytest.raises(InvalidParameter, match="topics must be between 1 and 50"):
        author_timeline(graph, "name:karen simonyan", topics=0)
