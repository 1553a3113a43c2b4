"""Communities, centralities, brokers and per-node years of a real slice (the collaboration
around Ahmedin Jemal in the OpenAlex sample), on each engine, checked against networkx and
direct Cypher computed independently on the same data."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from explorer.analytics import centrality
from explorer.analytics.communities import detect_communities
from explorer.analytics.network import slice_graph
from explorer.analytics.slice_analysis import TOPIC_MEMBERS, AnalysisOptions, analyse_author
from explorer.errors import InvalidParameter
from explorer.graph import Graph, SliceOptions
from tests.analytics_data import JEMAL, sample_store_fixture

sample_store = sample_store_fixture()

DEPTH_2 = SliceOptions(depth=2, limit=60)
GROUPS_SEED_42 = [
    # depth 2 around Jemal (27 authors), Louvain at resolution 1 with seed 42, by size:
    # IARC's GLOBOCAN authors, the Chinese cancer registry, the American Cancer Society
    {"Colin Mathers", "David Forman", "Donald Maxwell Parkin", "Elizabeth Ward",
     "Freddie Bray", "Hyuna Sung", "Isabelle Soerjomataram", "Jacques Ferlay",
     "Joannie Lortet\u2010Tieulent", "Lindsey A. Torre", "Marise Souto Rebelo",
     "Mathieu Laversanne", "Paola Pisani", "Rajesh Dikshit", "Sultan Eser"},
    {"Hongmei Zeng", "Jie He", "Peter D. Baade", "Rongshou Zheng", "Siwei Zhang",
     "Wanqing Chen", "Xue Qin Yu"},
    {"Ahmedin Jemal", "Hannah E. Fuchs", "Kimberly D. Miller", "Nikita Sandeep Wagle",
     "Rebecca L. Siegel"},
]


def analyse(store, options=DEPTH_2, **analysis):
    return analyse_author(Graph(store), JEMAL, options, AnalysisOptions(**analysis))


def independent_graph(answer) -> nx.Graph:
    """The slice's nodes and edges, straight from the answer, into networkx."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(n["id"] for n in answer["nodes"]))
    graph.add_weighted_edges_from(sorted((e["source"], e["target"], e["weight"])
                                         for e in answer["edges"]))
    return graph


def names_of(answer, ids):
    names = {n["id"]: n["name"] for n in answer["nodes"]}
    return {names[i] for i in ids}


def test_communities_are_stable_for_a_seed(sample_store):
    first = analyse(sample_store, seed=42)
    assert first["summary"]["communities"] >= 3
    again = analyse(sample_store, seed=42)
    assert [c["members"] for c in again["communities"]] == \
        [c["members"] for c in first["communities"]]
    # the rows' order does not matter: a shuffled slice gives the same communities
    shuffled = {**first, "nodes": first["nodes"][:], "edges": first["edges"][:]}
    random.Random(1).shuffle(shuffled["nodes"])
    random.Random(2).shuffle(shuffled["edges"])
    partition = detect_communities(slice_graph(shuffled), seed=42)
    assert partition.communities == [sorted(c["members"]) for c in first["communities"]]
    # the partition of this real network is the one recorded for seed 42, and the seed
    # matters: other seeds find other partitions
    assert [names_of(first, c["members"]) for c in first["communities"]] == GROUPS_SEED_42
    others = [analyse(sample_store, seed=seed)["communities"] for seed in (1, 2, 3, 4)]
    assert any([c["members"] for c in other] != [c["members"] for c in first["communities"]]
               for other in others)


def test_resolution_and_minimum_size(sample_store):
    coarse = analyse(sample_store, resolution=0.5)
    fine = analyse(sample_store, resolution=3.0)
    assert fine["summary"]["communities"] > coarse["summary"]["communities"]
    sizes = sorted(c["size"] for c in fine["communities"])
    cut = analyse(sample_store, resolution=3.0, min_size=sizes[-1])
    assert all(c["size"] >= sizes[-1] for c in cut["communities"])
    left = set(cut["unclustered"])
    assert left and all(cut["attributes"][n]["community"] is None for n in left)
    assert left | {m for c in cut["communities"] for m in c["members"]} == \
        set(cut["attributes"])
    with pytest.raises(InvalidParameter, match="resolution"):
        AnalysisOptions(resolution=0)


def test_centralities_equal_networkx_on_the_same_edges(sample_store):
    answer = analyse(sample_store)
    graph = independent_graph(answer)
    assert answer["summary"]["betweenness"] == "exact"
    expected = {
        "degree": dict(graph.degree()),
        "weighted_degree": dict(graph.degree(weight="weight")),
        "betweenness": nx.betweenness_centrality(graph),
        "pagerank": nx.pagerank(graph, weight="weight"),
    }
    for measure, values in expected.items():
        got = {node: a[measure] for node, a in answer["attributes"].items()}
        assert got == pytest.approx(values, abs=1e-9), measure
    assert max(expected["pagerank"], key=expected["pagerank"].get) == JEMAL


def test_sampled_betweenness_equals_networkx_estimate(sample_store, monkeypatch):
    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS_MAX_NODES", 5)
    monkeypatch.setattr(centrality, "BETWEENNESS_SAMPLES", 12)
    answer = analyse(sample_store, seed=7)
    assert answer["summary"]["betweenness"] == "sampled"
    assert answer["summary"]["betweenness_samples"] == 12
    expected = nx.betweenness_centrality(independent_graph(answer), k=12, seed=7)
    got = {node: a["betweenness"] for node, a in answer["attributes"].items()}
    assert got == pytest.approx(expected, abs=1e-9)


def test_brokers_bridge_communities_without_the_centre(sample_store):
    answer = analyse(sample_store)
    brokers = answer["brokers"]
    assert brokers and JEMAL not in {b["id"] for b in brokers}
    around = independent_graph(answer)
    around.remove_node(JEMAL)
    bridging = nx.betweenness_centrality(around)
    membership = {n: a["community"] for n, a in answer["attributes"].items()}
    for broker in brokers:
        assert broker["bridging"] == pytest.approx(bridging[broker["id"]], abs=1e-9)
        linked = {membership[n] for n in around[broker["id"]]} | {membership[broker["id"]]}
        assert {link["community"] for link in broker["links"]} == linked - {None}
        assert len(broker["links"]) >= 2
    assert [b["bridging"] for b in brokers] == sorted((b["bridging"] for b in brokers),
                                                      reverse=True)
    assert brokers[0]["name"] == "Freddie Bray"  # IARC: GLOBOCAN with Jemal's ACS group


def test_years_and_topics_match_the_store(sample_store):
    answer = analyse(sample_store)
    for node, attributes in answer["attributes"].items():
        row = sample_store.cypher(
            "MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper) "
            "RETURN avg(p.year) AS mean", {"id": node}).records()[0]
        assert attributes["avg_year"] == pytest.approx(row["mean"], abs=0.005)
        years = [e["first_year"] for e in answer["edges"] if node in (e["source"],
                                                                      e["target"])]
        assert attributes["first_year"] == min(years)
    assert answer["summary"]["years"] == {
        "first": min(e["first_year"] for e in answer["edges"]),
        "last": max(e["last_year"] for e in answer["edges"])}
    for community in answer["communities"]:
        members = community["members"][:TOPIC_MEMBERS]
        rows = sample_store.cypher(
            "MATCH (a:Author)-[:AUTHORED]->(p:Paper)-[:HAS_TOPIC]->(t:Topic) "
            "WHERE a.id IN $ids RETURN t.id AS id, count(DISTINCT p) AS works "
            "ORDER BY works DESC, id", {"ids": members}).records()
        counts = {r["id"]: r["works"] for r in rows}
        assert [t["works"] for t in community["topics"]] == \
            sorted(counts.values(), reverse=True)[:len(community["topics"])]
        assert all(counts[t["id"]] == t["works"] for t in community["topics"])
        weighted = [answer["attributes"][m]["weighted_degree"] for m in community["members"]]
        assert weighted == sorted(weighted, reverse=True)
