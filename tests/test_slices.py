"""Graph slices on both engines, checked against an independent reading of the demo files:
the slices of a paper, a topic and an institution, expansions page by page, the topic filter,
facets for colouring, the path slice, and a high-degree author."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from itertools import combinations

import pytest

from explorer.cli import DEMO_OPENALEX_FILE
from explorer.graph import Graph, NotFound, SliceOptions
from explorer.writer import GraphWriter
from tests.demo_truth import demo_entries, demo_pair_weights, person_id
from tests.hub import HUB, HUB_PAPERS, hub_works

SIMONYAN = "name:karen simonyan"
JEMAL = "orcid:0000-0002-0000-4111"
CANCER_INCIDENCE = "openalex:T10556"
CANCER_SOCIETY = "openalex:I1288198617"


def short(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


class OpenAlexTruth:
    """The demo's OpenAlex works read with json alone (authors with an ORCID or an OpenAlex
    id; name-only bylines are left out of the checks that use this)."""

    def __init__(self) -> None:
        self.topic_works: dict[str, Counter] = defaultdict(Counter)
        self.institutions: dict[str, set[str]] = defaultdict(set)
        self.coauthors: dict[str, set[str]] = defaultdict(set)
        for line in DEMO_OPENALEX_FILE.read_text(encoding="utf-8").splitlines():
            work = json.loads(line)
            people = []
            for authorship in work["authorships"]:
                person = authorship["author"]
                if person.get("orcid"):
                    people.append(f"orcid:{short(person['orcid'])}")
                elif person.get("id"):
                    people.append(f"openalex:{short(person['id'])}")
                else:
                    continue
                for place in authorship["institutions"]:
                    self.institutions[f"openalex:{short(place['id'])}"].add(people[-1])
            for person in people:
                self.coauthors[person].update(p for p in people if p != person)
                for topic in work["topics"]:
                    self.topic_works[person][f"openalex:{short(topic['id'])}"] += 1

    def on_topic(self, topic: str) -> set[str]:
        return {p for p, works in self.topic_works.items() if works[topic]}


@pytest.fixture(scope="module")
def truth() -> OpenAlexTruth:
    return OpenAlexTruth()


def joint_papers() -> dict[frozenset, int]:
    """Joint papers per pair of demo authors (0 for a pair that never wrote together)."""
    return defaultdict(int, {frozenset(pair): n for pair, n in demo_pair_weights().items()})


def ids(slice_: dict) -> list[str]:
    return [n["id"] for n in slice_["nodes"]]


def pairs(slice_: dict) -> set[frozenset]:
    return {frozenset((e["source"], e["target"])) for e in slice_["edges"]}


def test_a_paper_slice_is_its_authors_in_byline_order_with_their_links(full_demo_store):
    graph = Graph(full_demo_store)
    title, _year, names = demo_entries()[0]  # Flamingo: 27 authors
    paper_id = graph.search(title, kind="papers")[0]["id"]
    whole = graph.group_slice("papers", paper_id, SliceOptions())
    assert [n["name"] for n in whole["nodes"]] == names
    assert {n["ring"] for n in whole["nodes"]} == {0} and whole["hidden"] == 0
    assert pairs(whole) == {frozenset(p) for p in combinations(ids(whole), 2)}
    assert len(whole["edges"]) == len(pairs(whole))  # each link once
    first_ten = graph.group_slice("papers", paper_id, SliceOptions(limit=10))
    assert ids(first_ten) == ids(whole)[:10] and first_ten["hidden"] == len(names) - 10
    wider = graph.group_slice("papers", paper_id, SliceOptions(depth=2, limit=40))
    outside = [n for n in wider["nodes"] if n["ring"] == 1]
    weights = joint_papers()
    assert len(wider["nodes"]) == 40 and outside
    for n in outside:  # each is a co-author of one of the paper's authors, not an author
        assert n["id"] not in ids(whole)
        assert any(weights[frozenset((n["id"], m))] for m in ids(whole))


def test_topic_and_institution_slices_are_their_people(full_demo_store, truth):
    graph = Graph(full_demo_store)
    topic = graph.group_slice("topics", CANCER_INCIDENCE, SliceOptions(limit=500))
    with_ids = {i for i in ids(topic) if not i.startswith("name:")}
    assert with_ids == truth.on_topic(CANCER_INCIDENCE)
    assert topic["topics"] == [{"id": CANCER_INCIDENCE,
                                "name": "Global Cancer Incidence and Screening"}]
    capped = graph.group_slice("topics", CANCER_INCIDENCE, SliceOptions(limit=5))
    assert len(capped["nodes"]) == 5 and capped["hidden"] == len(topic["nodes"]) - 5
    place = graph.group_slice("institutions", CANCER_SOCIETY, SliceOptions())
    assert set(ids(place)) == truth.institutions[CANCER_SOCIETY]
    for edge in place["edges"]:
        assert edge["target"] in truth.coauthors[edge["source"]]
    with pytest.raises(NotFound):
        graph.group_slice("topics", "openalex:T0", SliceOptions())
    with pytest.raises(ValueError, match="kind must be one of"):
        graph.group_slice("authors", SIMONYAN, SliceOptions())


def test_expansions_page_through_every_coauthor_once(demo_store):
    graph = Graph(demo_store)
    weights = joint_papers()
    everyone = {p for pair in weights for p in pair}
    coauthors = {other for pair in weights if SIMONYAN in pair for other in pair} - {SIMONYAN}
    drawn = [SIMONYAN]
    strongest_first = []
    while True:
        step = graph.expansion(SIMONYAN, drawn, SliceOptions(limit=25))
        new = ids(step)
        assert not set(new) & set(drawn) and len(new) <= 25
        for edge in step["edges"]:  # links from the new people to everyone drawn, each once
            assert {edge["source"], edge["target"]} <= set(drawn) | set(new)
            assert weights[frozenset((edge["source"], edge["target"]))] == edge["weight"]
        expected = {pair for pair in map(frozenset, combinations(set(drawn) | set(new), 2))
                    if weights[pair] and (pair & set(new) or SIMONYAN in pair)}
        assert pairs(step) == expected
        strongest_first += [weights[frozenset((SIMONYAN, n))] for n in new]
        drawn += new
        assert step["hidden"] == len(coauthors) - (len(drawn) - 1)
        if not step["hidden"]:
            break
    assert set(drawn) - {SIMONYAN} == coauthors and set(drawn) <= everyone
    assert strongest_first == sorted(strongest_first, reverse=True)
    with pytest.raises(NotFound):
        graph.expansion("name:nobody", drawn, SliceOptions())


def test_the_topic_filter_keeps_coauthors_with_works_on_it(full_demo_store, truth):
    graph = Graph(full_demo_store)
    topic = "openalex:T10552"  # Colorectal Cancer Screening and Detection
    everyone = graph.neighbourhood(JEMAL, SliceOptions())
    on_topic = graph.neighbourhood(JEMAL, SliceOptions(topic=topic))
    expected = truth.coauthors[JEMAL] & truth.on_topic(topic)
    assert set(ids(on_topic)) - {JEMAL} == expected
    assert 0 < len(expected) < len(everyone["nodes"]) - 1
    assert on_topic["hidden"] == 0
    capped = graph.neighbourhood(JEMAL, SliceOptions(topic=topic, limit=3))
    assert capped["hidden"] == len(expected) - 2
    step = graph.expansion(JEMAL, [JEMAL], SliceOptions(topic=topic, limit=100))
    assert set(ids(step)) == expected
    assert {t["id"] for t in everyone["topics"]} >= {topic, CANCER_INCIDENCE}


def test_facets_give_each_person_their_main_topic_and_latest_institution(full_demo_store,
                                                                          truth):
    graph = Graph(full_demo_store)
    plain = graph.neighbourhood(JEMAL, SliceOptions())
    assert "topic" not in plain["nodes"][0]
    faceted = graph.neighbourhood(JEMAL, SliceOptions(facets=True))
    for node in faceted["nodes"]:
        works = truth.topic_works[node["id"]]
        assert works[node["topic"]["id"]] == max(works.values())
        if node["institution"]:
            assert node["id"] in truth.institutions[node["institution"]["id"]]
        else:
            assert not any(node["id"] in people for people in truth.institutions.values())
    simonyan = graph.neighbourhood(SIMONYAN, SliceOptions(facets=True, limit=5))
    assert all(n["topic"] is None and n["institution"] is None for n in simonyan["nodes"])


def test_the_path_slice_is_the_chain_with_its_link_weights(demo_store):
    graph = Graph(demo_store)
    source, target = "name:jean baptiste alayrac", "name:jack w rae"
    found = graph.path(source, target)
    chain = graph.path_slice(source, target)
    assert ids(chain) == [a["id"] for a in found["authors"]] and chain["found"]
    assert [n["ring"] for n in chain["nodes"]] == [0, 1, 0]
    works = Counter(person_id(name) for _, _, names in demo_entries() for name in names)
    assert [n["works"] for n in chain["nodes"]] == [works[i] for i in ids(chain)]
    weights = joint_papers()
    for edge, link in zip(chain["edges"], found["links"], strict=True):
        assert edge["weight"] == len(link["papers"]) == weights[
            frozenset((edge["source"], edge["target"]))]


@pytest.fixture
def hub_store(store):
    GraphWriter(store).write(hub_works())
    return store


def test_a_high_degree_author_shows_the_strongest_and_counts_the_rest(hub_store):
    graph = Graph(hub_store)
    piece = graph.neighbourhood(HUB, SliceOptions(limit=100))
    assert len(piece["nodes"]) == 100
    assert piece["hidden"] == 2 * HUB_PAPERS - 99
    wider = graph.neighbourhood(HUB, SliceOptions(depth=2, limit=150))
    assert len(wider["nodes"]) == 150 and wider["hidden"] == 2 * HUB_PAPERS - 149
    step = graph.expansion(HUB, ids(piece), SliceOptions(limit=25))
    assert len(step["nodes"]) == 25 and step["hidden"] == 2 * HUB_PAPERS - 99 - 25


def test_a_topic_filtered_expansion_counts_only_the_people_on_the_topic(full_demo_store,
                                                                        truth):
    graph = Graph(full_demo_store)
    topic = "openalex:T10552"
    siegel = "orcid:0000-0001-5247-8522"
    on_topic = truth.coauthors[siegel] & truth.on_topic(topic)
    off_topic = sorted(truth.coauthors[siegel] - truth.on_topic(topic))
    assert on_topic and off_topic
    step = graph.expansion(siegel, [siegel, off_topic[0]], SliceOptions(topic=topic, limit=1))
    assert len(step["nodes"]) == 1 and step["nodes"][0]["id"] in on_topic
    assert step["hidden"] == len(on_topic) - 1


@pytest.mark.parametrize("depth", [1, 2])
def test_a_researcher_slice_has_every_link_among_its_people(demo_store, depth):
    graph = Graph(demo_store)
    weights = joint_papers()
    for centre in ("name:jack w rae", "name:jean baptiste alayrac", SIMONYAN):
        piece = graph.neighbourhood(centre, SliceOptions(depth=depth, limit=40, min_weight=2))
        expected = {pair for pair in map(frozenset, combinations(ids(piece), 2))
                    if weights[pair] >= 2}
        assert pairs(piece) == expected and len(piece["edges"]) == len(expected)
        for edge in piece["edges"]:
            assert edge["source"] < edge["target"]
            assert edge["weight"] == weights[frozenset((edge["source"], edge["target"]))]


def test_the_path_slice_can_carry_facets(full_demo_store):
    graph = Graph(full_demo_store)
    chain = graph.path_slice(JEMAL, "orcid:0000-0001-5247-8522", facets=True)
    assert [n["topic"]["id"] for n in chain["nodes"]] == [CANCER_INCIDENCE] * 2
