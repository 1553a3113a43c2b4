"""The pages in headless chromium at a phone's width and with a very long name: nothing is
wider than the screen, the header's links stay on the dark band, the graph takes the
width; and the graph's own words: labels cut short (tooltips whole), a hovered person
keeps its colour, the status line counts what is drawn after a link's expansions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from explorer.app import create_app
from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter
from tests.conftest import fresh_store, live_server
from tests.demo import load_demo

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

LONG_NAME = "Maximiliana " + "Wolfeschlegelsteinhausenbergerdorff" * 8  # 292 characters
LONG = "name:maximiliana long"
FRIEND = "name:bo friend"
KAREN = "name:karen simonyan"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("layout")
    with fresh_store("ladybug", folder) as store:
        load_demo(store)
        GraphWriter(store).write([Work("doi:10.0/long", "A" + "b" * 300, 2021, authors=(
            AuthorRef(LONG, LONG_NAME), AuthorRef(FRIEND, "Bo Friend")))])
    with live_server(create_app(db_path=str(folder / "graph.lbdb"), neo4j_uri="")) as url:
        yield url


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """The browser with a phone's screen (375 by 740 CSS pixels), then back as it was."""
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": 375, "height": 740, "deviceScaleFactor": 2, "mobile": True})
    yield browser
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def ready(browser) -> bool:
    return browser.execute_script(
        "return !!(window.explorerGraph && window.explorerGraph.ready)")


def open_page(browser, url: str, graph: bool) -> None:
    browser.get(url)
    if graph:
        WebDriverWait(browser, 20).until(ready)


def overflow(browser, width: int | None = None) -> int:
    """How many CSS pixels the page is wider than ``width`` (the phone's screen: a phone's
    browser widens its window to fit content that is too wide), else than the window."""
    return browser.execute_script(
        "return document.documentElement.scrollWidth - (arguments[0] || window.innerWidth)",
        width)


@pytest.mark.parametrize(("path", "graph"), [
    ("/", False), (f"/authors/{KAREN}", True), (f"/authors/{LONG}", True),
    ("/path?from=name:jean%20baptiste%20alayrac&to=name:jack%20w%20rae", True),
    ("/overview", False), ("/papers/doi:10.0/long", False), ("/cypher", False),
    ("/queries", False), ("/queries/top_pairs", False), ("/queries/author_works", False),
    (f"/authors/{LONG}/coauthors", False), (f"/authors/{KAREN}/coauthors", False)])
def test_pages_fit_a_phone(server, phone, path, graph):
    open_page(phone, server + path, graph)
    assert overflow(phone, 375) <= 1, f"{path} is wider than the screen"  # 1: rounding
    header = phone.execute_script("""
        const band = document.querySelector('header.top').getBoundingClientRect();
        return [band.width, band.bottom, ...[...document.querySelectorAll('header.top nav a')]
          .map((a) => a.getBoundingClientRect().bottom)];""")
    width, bottom, *links = header
    assert width == 375 and links and all(b <= bottom for b in links), \
        "the header's links are on its dark band"
    if graph:
        box = phone.execute_script(
            "return document.getElementById('graph').getBoundingClientRect().width")
        assert box >= 300, "the graph takes the screen's width, its legend goes below"
        phone.find_element("id", "embed-button").click()
        dialog = phone.execute_script(
            "const r = document.getElementById('embed-dialog').getBoundingClientRect();"
            "return [r.left, r.right]")
        assert dialog[0] >= 0 and dialog[1] <= 375, "the Embed dialog fits the screen"


def test_a_very_long_name_wraps_and_its_graph_label_is_cut(server, browser):
    for path in (f"/authors/{LONG}", f"/authors/{FRIEND}", "/papers/doi:10.0/long"):
        open_page(browser, server + path, path.startswith("/authors"))
        assert overflow(browser) <= 0, path
    node = browser.execute_script(
        "return window.explorerGraph.nodes.get(arguments[0])", LONG)
    assert node["label"] == LONG_NAME[:39] + "\u2026"
    assert node["title"].startswith(LONG_NAME + "\n"), "the tooltip has the whole name"


def test_a_hovered_person_keeps_its_colour(server, browser):
    open_page(browser, server + f"/authors/{KAREN}", True)
    colours = browser.execute_script(
        "return window.explorerGraph.nodes.get().map((n) => n.color)")
    assert colours and all(c["hover"]["background"] == c["background"] for c in colours)


def test_the_status_line_counts_what_a_link_with_expansions_draws(server, browser):
    open_page(browser, server + "/authors/orcid:0000-0002-2609-2260"
              "?expand=orcid%3A0000-0002-0000-4111", True)
    status = browser.find_element("id", "graph-status").text
    drawn = browser.execute_script(
        "return [window.explorerGraph.nodes.length, window.explorerGraph.edges.length]")
    counted = re.match(r"([\d,]+) (?:people|person), ([\d,]+) links?; 1 expansion shown",
                       status)
    assert counted, status
    assert [int(counted[1].replace(",", "")), int(counted[2].replace(",", ""))] == drawn
    assert drawn[0] > 5, "the expansion added people"
