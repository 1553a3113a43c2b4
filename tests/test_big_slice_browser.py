"""A big slice in a real headless browser (Debian's chromium through Selenium): a researcher
whose co-authors' co-authors form two close-knit groups of 300. The slice of some 580 people
and 5,700 links is drawn in full with the cheaper layout big slices get (static/graph.js
``layoutOptions``), starts in its groups (``place``), so the two groups end up apart, draws
link widths on a fixed scale, and hides the links a year in the URL leaves out (applied before
vis-network is handed the data); a small slice keeps the precise layout."""

from __future__ import annotations

import json
import math
import random
import urllib.request
from collections.abc import Iterator

import pytest

from explorer.app import create_app
from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter
from tests.conftest import fresh_store, live_server

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CENTRE = "name:centre of two groups"
GROUP_SIZE = 300
GROUP_PAPERS = 300  # five people of one group each
CENTRE_LINKS = 60  # the centre's co-authors in each group
BIG = f"/authors/{CENTRE.replace(' ', '%20')}?depth=2&limit=1000"


def two_groups() -> list[Work]:
    rng = random.Random(8)
    centre = AuthorRef(CENTRE, "Centre Of Two Groups")
    works = []
    for group in ("x", "y"):
        people = [AuthorRef(f"name:{group} {i}", f"{group.upper()} {i}")
                  for i in range(GROUP_SIZE)]
        works += [Work(f"doi:10.0/{group}{k}", f"Group {group} paper {k}", 2000 + k % 20,
                       authors=tuple(rng.sample(people, 5))) for k in range(GROUP_PAPERS)]
        works += [Work(f"doi:10.0/{group}-centre{i}", f"With the centre {i}", 2021,
                       authors=(centre, people[i])) for i in range(CENTRE_LINKS)]
    return works


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("big-slice")
    with fresh_store("ladybug", folder) as store:
        GraphWriter(store).write(two_groups())
    with live_server(create_app(db_path=str(folder / "graph.lbdb"), neo4j_uri="")) as url:
        yield url


def api(server: str, path: str) -> dict:
    with urllib.request.urlopen(server + path) as response:
        return json.load(response)


def drawn(browser, url: str) -> dict:
    """Open ``url``, wait until the layout has ended, and say what vis-network holds."""
    browser.get(url)
    WebDriverWait(browser, 60).until(lambda b: b.execute_script(
        "return !!(window.explorerGraph && window.explorerGraph.ready &&"
        " window.explorerGraph.stable)"))
    return browser.execute_script("""
        const network = window.explorerGraph.network;
        const physics = network.physics.options;
        const edges = Object.values(network.body.edges);
        return {people: Object.keys(network.body.nodes).length, links: edges.length,
                adaptive: physics.adaptiveTimestep, theta: physics.forceAtlas2Based.theta,
                steps: physics.stabilization.iterations, moving: network.physics.physicsEnabled,
                widths: Object.fromEntries(edges.map((e) => [e.id, e.options.width])),
                values: edges.filter((e) => e.options.value !== undefined).length,
                positions: network.getPositions()};""")


def test_a_big_slice_is_drawn_in_full_with_the_cheaper_layout(server, browser):
    slice_ = api(server, f"/api/authors/{CENTRE.replace(' ', '%20')}/slice?depth=2&limit=1000")
    assert len(slice_["nodes"]) > 500 and len(slice_["edges"]) > 5000
    graph = drawn(browser, server + BIG)
    assert graph["people"] == len(slice_["nodes"])
    assert graph["links"] == len(slice_["edges"])
    assert graph["moving"] is False  # stable: laid out, physics off
    assert graph["adaptive"] is False and graph["theta"] == 1
    assert graph["steps"] == max(20, round(20000 / len(slice_["nodes"])))
    weights = {" | ".join(sorted((e["source"], e["target"]))): e["weight"]
               for e in slice_["edges"]}
    assert graph["values"] == 0  # no value scaling: widths set once, on a fixed scale
    assert graph["widths"] == pytest.approx(
        {key: min(1 + math.log2(w), 10) for key, w in weights.items()})
    assert max(weights.values()) > 1  # the scale is exercised beyond one joint paper


def spread(positions: dict[str, dict]) -> float:
    """The mean distance between two people of one group over that between the groups."""
    groups = [[(p["x"], p["y"]) for key, p in positions.items() if key.startswith(f"name:{g} ")]
              for g in ("x", "y")]
    assert all(len(people) > 200 for people in groups)

    def mean_distance(a: list, b: list) -> float:
        return sum(math.dist(p, q) for p in a for q in b) / (len(a) * len(b))

    within = (mean_distance(groups[0], groups[0]) + mean_distance(groups[1], groups[1])) / 2
    return within / mean_distance(groups[0], groups[1])


def test_a_big_slice_starts_in_its_groups_and_they_stay_apart(server, browser):
    laid_out = drawn(browser, server + BIG)["positions"]
    start = browser.execute_script(  # vis-network leaves the data sets' positions as given
        "return Object.fromEntries(window.explorerGraph.nodes.get()"
        ".map((n) => [n.id, {x: n.x, y: n.y}]))")
    assert spread(start) < 0.6  # one spiral in the slice's order would mix them: ~1
    assert spread(laid_out) < 0.7


def test_a_small_slice_keeps_the_precise_layout(server, browser):
    graph = drawn(browser, server + f"/authors/{CENTRE.replace(' ', '%20')}?limit=100")
    assert graph["people"] == 100
    assert graph["adaptive"] is True and graph["theta"] == 0.5 and graph["steps"] == 200


def test_a_year_in_the_url_hides_the_later_links_of_a_big_slice(server, browser):
    slice_ = api(server, f"/api/authors/{CENTRE.replace(' ', '%20')}/slice?depth=2&limit=1000")
    later = {" | ".join(sorted((e["source"], e["target"]))) for e in slice_["edges"]
             if e["first_year"] > 2010}
    assert 0 < len(later) < len(slice_["edges"])
    drawn(browser, server + BIG + "&year=2010")
    hidden = browser.execute_script(
        "return Object.values(window.explorerGraph.network.body.edges)"
        ".filter((e) => e.options.hidden).map((e) => e.id)")
    assert set(hidden) == later
