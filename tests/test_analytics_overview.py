"""The whole-graph overview equals networkx and Cypher computed independently on the same
store, on each engine; the components limit and an empty graph."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from explorer.analytics.overview import OverviewCache, overview, weight_floor
from explorer.graph import Graph
from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter
from tests.analytics_data import load_sample


def rows(store, text: str) -> list[dict]:
    """Every row of a read (store.cypher caps rows for analysts)."""
    return store.engine.read(text, {}).records()


def independent_graph(store) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(r["id"] for r in rows(store, "MATCH (a:Author) RETURN a.id AS id"))
    graph.add_weighted_edges_from((r["a"], r["b"], r["w"]) for r in rows(
        store, "MATCH (a:Author)-[e:COAUTHORED_WITH]-(b:Author) WHERE a.id < b.id "
               "RETURN a.id AS a, b.id AS b, e.weight AS w"))
    return graph


def test_overview_equals_networkx_and_cypher(store):
    load_sample(store)
    answer = overview(store, top=5)
    graph = independent_graph(store)
    assert answer["counts"] == Graph(store).stats()
    assert answer["counts"]["authors"] == graph.number_of_nodes()
    assert answer["counts"]["coauthor_pairs"] == graph.number_of_edges()
    parts = sorted((len(c) for c in nx.connected_components(graph)), reverse=True)
    components = answer["components"]
    assert components["computed"] and components["count"] == len(parts)
    assert components["largest"] == parts[0] == 50
    assert components["isolated"] == sum(1 for n in graph if graph.degree(n) == 0)
    sizes = Counter(parts)
    assert dict(zip(components["sizes"]["size"], components["sizes"]["components"],
                    strict=True)) == sizes
    degrees = Counter(d for _, d in graph.degree() if d)
    assert dict(zip(answer["degree_distribution"]["degree"],
                    answer["degree_distribution"]["authors"], strict=True)) == degrees
    assert answer["degree_distribution"]["isolated"] == components["isolated"]
    weights = Counter(w for _, _, w in graph.edges(data="weight"))
    assert dict(zip(answer["weight_distribution"]["weight"],
                    answer["weight_distribution"]["pairs"], strict=True)) == weights
    strongest = sorted(graph.edges(data="weight"), key=lambda e: (-e[2], *sorted(e[:2])))[:5]
    assert [(p["weight"], {p["source"]["id"], p["target"]["id"]})
            for p in answer["top_pairs"]] == [(w, {a, b}) for a, b, w in strongest]
    assert answer["top_pairs"][0]["source"]["name"] == "Rebecca L. Siegel"
    topics = rows(store, "MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic) RETURN t.id AS id, "
                         "count(DISTINCT p) AS works ORDER BY works DESC, id LIMIT 5")
    assert [(t["id"], t["works"]) for t in answer["top_topics"]] == \
        [(t["id"], t["works"]) for t in topics]
    assert answer["top_authors"][0] == {"id": "orcid:0000-0002-0000-4111",
                                        "name": "Ahmedin Jemal", "works": 13}
    assert [i["authors"] for i in answer["top_institutions"]] == sorted(
        (i["authors"] for i in answer["top_institutions"]), reverse=True)
    assert answer["stopped_at_time_limit"] == []


def test_components_limit_and_cache(demo_store):
    answer = overview(demo_store, max_pairs=100)
    assert answer["components"] == {
        "computed": False,
        "reason": "the graph has 3,572 co-author pairs, more than the 100 read into memory "
                  "for components (setting components_max_pairs)"}
    full = overview(demo_store)["components"]
    assert (full["count"], full["largest"], full["isolated"]) == (1, 101, 0)
    cache = OverviewCache()
    first = cache.get(demo_store, top=3)
    assert cache.get(demo_store, top=3) is first
    assert cache.get(demo_store, top=3, refresh=True) is not first


def test_the_cached_overview_follows_a_write_that_keeps_every_count(demo_store):
    cache = OverviewCache()
    first = cache.get(demo_store, top=3)
    paper = demo_store.query("paper", id=demo_store.engine.read(
        "MATCH (p:Paper) RETURN p.id ORDER BY p.id LIMIT 1", {}).rows[0][0])[0]
    moved = Work(paper["id"], paper["title"], 2031, authors=tuple(
        AuthorRef(a["id"], a["name"]) for a in sorted(paper["authors"],
                                                       key=lambda a: a["position"])))
    GraphWriter(demo_store).write([moved])
    second = cache.get(demo_store, top=3)
    assert second["counts"] == first["counts"], "the same numbers of everything"
    assert second is not first
    assert max(p["last_year"] for p in second["top_pairs"]) == 2031


def test_empty_graph(store):
    answer = overview(store)
    assert answer["counts"]["authors"] == 0
    assert answer["components"]["count"] == 0 and answer["components"]["largest"] == 0
    assert answer["degree_distribution"]["degree"] == []
    assert answer["top_pairs"] == [] and answer["top_topics"] == []


def test_weight_floor():
    distribution = [{"weight": 1, "pairs": 100}, {"weight": 2, "pairs": 3},
                    {"weight": 5, "pairs": 1}]
    assert weight_floor(distribution, 1) == 5
    assert weight_floor(distribution, 4) == 2
    assert weight_floor(distribution, 5) == 1
    assert weight_floor([], 10) == 1
