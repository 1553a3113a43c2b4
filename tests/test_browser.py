"""The explorer in a real headless browser (Debian's chromium through Selenium) on the demo
data: search, a profile with its drawn graph, expanding a node, show more and collapse,
filters, colouring with a legend, the path picker, a copied URL, error pages, a high-degree
author, and hostile names that must stay text everywhere (pages, graph, tooltips, legend,
exports)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator

import pytest

from explorer.app import create_app
from explorer.records import AuthorRef, InstitutionRef, TopicRef, Work
from explorer.writer import GraphWriter
from tests.conftest import fresh_store, live_server
from tests.demo import load_demo
from tests.hub import HUB, hub_works

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

HOSTILE = '<img src=x onerror="window.__pwned=1">Eve <script>window.__pwned=2</script>'


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    with fresh_store("ladybug", folder) as store:
        load_demo(store)
        GraphWriter(store).write([Work(
            "doi:10.0/hostile", f"A paper called {HOSTILE}", 2023,
            authors=(AuthorRef("name:karen simonyan", "Karen Simonyan"),
                     AuthorRef("name:eve hostile", HOSTILE, institutions=(
                         InstitutionRef("ror:hostile", HOSTILE),))),
            topics=(TopicRef("openalex:Thostile", HOSTILE),))])
        GraphWriter(store).write(hub_works())
    with live_server(create_app(db_path=str(folder / "graph.lbdb"), neo4j_uri="")) as url:
        yield url


def wait(browser, condition, timeout: float = 20):
    return WebDriverWait(browser, timeout).until(condition)


def ready(browser) -> bool:
    """The graph has loaded its slice and replayed the expansions in the URL."""
    return browser.execute_script(
        "return !!(window.explorerGraph && window.explorerGraph.ready)")


def stable(browser) -> bool:
    """The layout has finished and the physics is off: nothing moves any more."""
    return browser.execute_script("return window.explorerGraph.stable")


def open_graph(browser, url: str) -> None:
    browser.get(url)
    wait(browser, ready)


def api(server: str, path: str) -> dict:
    with urllib.request.urlopen(server + path) as response:
        return json.load(response)


def emit(browser, event: str, node: str) -> None:
    """What vis-network emits when a person is clicked or double-clicked."""
    browser.execute_script(
        "window.explorerGraph.network.body.emitter.emit(arguments[0], "
        "{nodes: [arguments[1]], edges: []});", event, node)


def status(browser) -> str:
    return browser.find_element(By.ID, "graph-status").text


def legend(browser) -> str:
    return browser.find_element(By.ID, "graph-legend").text


def graph_size(browser) -> int:
    return browser.execute_script(
        "return window.explorerGraph ? window.explorerGraph.nodes.length : 0")


def drawn_pixels(browser) -> int:
    """Pixels of the graph canvas that are not blank: the graph really drew something."""
    return browser.execute_script("""
        const canvas = document.querySelector('#graph canvas');
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
        return drawn;""")


def test_search_then_profile_with_a_drawn_graph(server, browser):
    browser.get(server + "/")
    box = wait(browser, EC.presence_of_element_located((By.ID, "search-input")))
    box.send_keys("karén sim")  # accents and case do not matter
    link = wait(browser, EC.element_to_be_clickable(
        (By.CSS_SELECTOR, ".search-result a")))
    assert link.text == "Karen Simonyan"
    link.click()
    wait(browser, EC.text_to_be_present_in_element((By.ID, "author-name"), "Karen Simonyan"))
    quick = browser.find_element(By.CSS_SELECTOR, ".quick-read").text
    assert "6 works" in quick and "2021\u20132023" in quick
    wait(browser, lambda b: graph_size(b) > 50)
    wait(browser, stable)  # laid out, physics stopped, drawn
    assert drawn_pixels(browser) > 2000, "the canvas shows nodes and edges"


def test_search_from_the_keyboard(server, browser):
    browser.get(server + "/")
    box = wait(browser, EC.presence_of_element_located((By.ID, "search-input")))
    box.send_keys("vinyals", Keys.ARROW_DOWN)  # at once: the answer is awaited
    wait(browser, lambda b: b.switch_to.active_element.tag_name == "a")
    first = browser.switch_to.active_element
    assert first.tag_name == "a" and first.text == "Oriol Vinyals"
    first.send_keys(Keys.ARROW_DOWN)
    assert browser.switch_to.active_element.text == "Oriol Vinyals", "its namesake"
    rows = [li.text for li in browser.find_elements(By.CSS_SELECTOR, ".search-result")]
    assert len({r for r in rows if r.startswith("Oriol Vinyals")}) == 2, \
        "two people of one name are told apart by their ids"
    browser.switch_to.active_element.send_keys(Keys.ARROW_UP, Keys.ARROW_UP)
    assert browser.switch_to.active_element.get_attribute("id") == "search-input"
    box.clear()
    box.send_keys("karén sim", Keys.ENTER)
    wait(browser, EC.text_to_be_present_in_element((By.ID, "author-name"), "Karen Simonyan"))


def test_expand_filter_and_reload_from_the_url(server, browser):
    open_graph(browser, server + "/authors/name:eve%20hostile")
    assert graph_size(browser) == 2
    emit(browser, "doubleClick", "name:karen simonyan")
    wait(browser, lambda b: graph_size(b) == 2 + 25)  # Simonyan's 25 strongest co-authors
    assert "expand=name%3Akaren+simonyan" in browser.current_url
    open_graph(browser, browser.current_url)  # a copied link replays the expansion
    assert graph_size(browser) == 27
    open_graph(browser, server + "/authors/name:karen%20simonyan")
    assert graph_size(browser) > 50
    field = browser.find_element(By.NAME, "min_weight")
    field.clear()
    field.send_keys("5")
    browser.find_element(By.CSS_SELECTOR, "#graph-filters button[type=submit]").click()
    wait(browser, lambda b: "min_weight=5" in b.current_url)
    wait(browser, lambda b: ready(b) and 1 < graph_size(b) < 50)
    filtered = graph_size(browser)
    open_graph(browser, browser.current_url)
    assert graph_size(browser) == filtered
    assert browser.find_element(By.NAME, "min_weight").get_attribute("value") == "5"


def test_pin_unpin_and_find_in_the_graph(server, browser):
    open_graph(browser, server + f"/authors/{JEMAL}")
    wait(browser, stable)
    emit(browser, "click", JEMAL)
    details = browser.find_element(By.ID, "graph-details")
    details.find_element(By.XPATH, ".//button[.='Pin']").click()
    fixed = "return window.explorerGraph.nodes.get(arguments[0]).fixed"
    assert browser.execute_script(fixed, JEMAL) == {"x": True, "y": True}
    details.find_element(By.XPATH, ".//button[.='Unpin']").click()
    assert browser.execute_script(fixed, JEMAL) == {"x": False, "y": False}
    find = browser.find_element(By.ID, "graph-find")
    find.send_keys("siegel\n")
    wait(browser, lambda b: "1 person matches" in status(b))
    assert browser.execute_script(
        "return window.explorerGraph.network.getSelectedNodes()") == \
        ["orcid:0000-0001-5247-8522"]
    details.find_element(By.XPATH, ".//button[.='Pin']").click()  # leaves the find field
    assert browser.execute_script(fixed, "orcid:0000-0001-5247-8522") == \
        {"x": True, "y": True}, "the first click after Find counts"


def test_the_graph_from_the_keyboard(server, browser):
    open_graph(browser, server + f"/authors/{JEMAL}")
    wait(browser, stable)
    drawn = browser.execute_script(
        "return window.explorerGraph.nodes.get().map((n) => [n.id, n.name, n.ring])")
    people = browser.find_element(By.ID, "graph-people")
    summary = people.find_element(By.TAG_NAME, "summary")
    wait(browser, lambda b: summary.text == f"People in the graph ({len(drawn)})")
    summary.send_keys(Keys.ENTER)  # opens the list
    buttons = people.find_elements(By.CSS_SELECTOR, "li button")
    assert sorted(b.text for b in buttons) == sorted(name for _, name, _ in drawn)
    assert buttons[0].text == next(name for id_, name, _ in drawn if id_ == JEMAL), \
        "the researcher first, then co-authors"
    items = [li.text for li in people.find_elements(By.TAG_NAME, "li")]
    assert " — this researcher · " in items[0] and " — co-author · " in items[1]
    ActionChains(browser).send_keys(Keys.TAB).perform()  # from the summary to the first person
    second = people.find_elements(By.CSS_SELECTOR, "li button")[1]
    assert browser.switch_to.active_element == buttons[0]
    second.send_keys(Keys.ENTER)
    details = browser.find_element(By.ID, "graph-details")
    assert browser.switch_to.active_element == details, "the details take the focus"
    assert details.find_element(By.TAG_NAME, "h3").text == second.text
    chosen = browser.execute_script("return window.explorerGraph.network.getSelectedNodes()")
    assert [name for id_, name, _ in drawn if id_ in chosen] == [second.text]
    ActionChains(browser).send_keys(Keys.TAB, Keys.TAB).perform()  # Open profile, Expand
    assert browser.switch_to.active_element.text == "Expand"
    ActionChains(browser).send_keys(Keys.ENTER).perform()
    wait(browser, lambda b: " added; " in status(b))  # the expansion ran
    wait(browser, lambda b: summary.text == f"People in the graph ({graph_size(b)})")

    find = browser.find_element(By.ID, "graph-find")
    needle = "an"
    matches = browser.execute_script(
        "return window.explorerGraph.nodes.get().filter((n) => "
        "n.name.toLowerCase().includes(arguments[0])).map((n) => n.name)", needle)
    assert len(matches) > 2
    find.send_keys(needle + Keys.ENTER)
    wait(browser, lambda b: f"1 of {len(matches)} (Enter for the next)" in status(b))
    first = details.find_element(By.TAG_NAME, "h3").text
    find.send_keys(Keys.ENTER)
    wait(browser, lambda b: f"2 of {len(matches)}" in status(b))
    assert details.find_element(By.TAG_NAME, "h3").text != first
    assert details.find_element(By.TAG_NAME, "h3").text in matches
    find.clear()
    find.send_keys("no such name at all" + Keys.ENTER)
    wait(browser, lambda b: "No one in the graph matches" in status(b))

    graph = browser.find_element(By.ID, "graph")
    assert graph.get_attribute("tabindex") == "0"
    scale = "return window.explorerGraph.network.getScale()"
    before = browser.execute_script(scale)
    graph.click()
    ActionChains(browser).key_down("=").pause(0.3).key_up("=").perform()
    wait(browser, lambda b: b.execute_script(scale) > before)


def test_the_path_graph_colours_by_topic(server, browser):
    open_graph(browser, server + f"/path?from={JEMAL}&to=orcid:0000-0001-5247-8522&colour=topic")
    wait(browser, lambda b: "Global Cancer Incidence and Screening (2)" in legend(b))
    assert "Other" not in legend(browser)


def test_collaboration_path_links_papers(server, browser):
    browser.get(server + "/path?from=name:eve%20hostile&to=name:jack%20w%20rae")
    steps = wait(browser, EC.presence_of_element_located((By.ID, "path-steps")))
    names = [a.text for a in steps.find_elements(By.CSS_SELECTOR, ":scope > li > a")]
    assert names[-1] == "Jack W. Rae" and len(names) == 3
    assert steps.find_elements(By.CSS_SELECTOR, ".link-papers a")


def test_hostile_names_stay_text_everywhere(server, browser):
    for page in ("/authors/name:eve%20hostile", "/papers/doi:10.0/hostile",
                 "/topics/openalex:Thostile", "/institutions/ror:hostile",
                 "/path?from=name:eve%20hostile&to=name:jack%20w%20rae&colour=institution",
                 "/?q=eve", "/authors/name:karen%20simonyan?colour=topic"):
        browser.get(server + page)
        if page.startswith("/?"):
            wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".search-result")))
        else:
            wait(browser, ready)
        assert HOSTILE in browser.find_element(By.TAG_NAME, "main").text, page
        assert browser.execute_script("return window.__pwned === undefined"), page
    browser.get(server + "/authors/name:eve%20hostile")
    assert HOSTILE in browser.find_element(By.ID, "author-name").text


def test_unknown_ids_and_bad_parameters_get_pages_not_traces(server, browser):
    browser.get(server + "/authors/name:nobody")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "name:nobody" in browser.find_element(By.ID, "error-message").text
    browser.get(server + "/api/authors/name:karen%20simonyan/slice?depth=7")
    assert "depth" in browser.find_element(By.TAG_NAME, "body").text
    assert "Traceback" not in browser.page_source


JEMAL = "orcid:0000-0002-0000-4111"


def test_colour_by_institution_draws_a_legend_and_survives_a_reload(server, browser):
    open_graph(browser, server + f"/authors/{JEMAL}")
    Select(browser.find_element(By.NAME, "colour")).select_by_value("institution")
    wait(browser, lambda b: "colour=institution" in b.current_url)
    wait(browser, lambda b: "American Cancer Society (" in legend(b))
    fills = browser.execute_script(
        "return [...new Set(window.explorerGraph.nodes.get().map(n => n.color.background))]")
    assert len(fills) >= 3, "people of different institutions get different colours"
    open_graph(browser, browser.current_url)
    assert Select(browser.find_element(By.NAME, "colour")).first_selected_option.text \
        == "latest institution"
    wait(browser, lambda b: "American Cancer Society (" in legend(b))


def test_the_topic_filter_narrows_the_graph_and_lives_in_the_url(server, browser):
    open_graph(browser, server + f"/authors/{JEMAL}")
    everyone = graph_size(browser)
    Select(browser.find_element(By.NAME, "topic")).select_by_visible_text(
        "Colorectal Cancer Screening and Detection")
    wait(browser, lambda b: "topic=openalex%3AT10552" in b.current_url)
    expected = len(api(server, f"/api/authors/{JEMAL}/slice?topic=openalex:T10552")["nodes"])
    wait(browser, lambda b: ready(b) and graph_size(b) == expected)
    assert expected < everyone
    open_graph(browser, browser.current_url)
    assert graph_size(browser) == expected
    assert Select(browser.find_element(By.NAME, "topic")).first_selected_option.get_attribute(
        "value") == "openalex:T10552"


def test_a_high_degree_author_shows_more_on_demand_and_collapses(server, browser):
    open_graph(browser, server + "/authors/name:hub%20person")
    assert graph_size(browser) == 100
    assert "1,101 more co-authors not shown (raise 'Up to', or double-click a person to " \
        "show their co-authors)" in status(browser)
    emit(browser, "click", HUB)
    more = wait(browser, EC.element_to_be_clickable(
        (By.XPATH, "//div[@id='graph-details']//button[starts-with(., 'Show 25 more')]")))
    assert "1,101 hidden" in more.text
    more.click()
    wait(browser, lambda b: graph_size(b) == 125)
    assert "expand=name%3Ahub+person" in browser.current_url
    wait(browser, lambda b: "1,076 hidden" in b.find_element(By.ID, "graph-details").text)
    copied = browser.current_url
    browser.find_element(By.XPATH, "//div[@id='graph-details']//button[.='Collapse']").click()
    wait(browser, lambda b: graph_size(b) == 100)
    assert "expand=" not in browser.current_url
    open_graph(browser, copied)  # the copied link reopens the expanded view
    assert graph_size(browser) == 125
    wait(browser, stable)
    assert drawn_pixels(browser) > 2000


def pick(browser, field: str, typed: str, name: str) -> None:
    browser.find_element(By.ID, f"pick-{field}").send_keys(typed)
    wait(browser, EC.element_to_be_clickable(
        (By.XPATH, f"//input[@id='pick-{field}']/ancestor::div[@class='picker']"
                   f"//button[starts-with(., '{name} ·')]"))).click()


def test_the_path_page_picks_researchers_by_name_and_draws_the_chain(server, browser):
    browser.get(server + "/path")
    pick(browser, "from", "alayrac", "Jean-Baptiste Alayrac")
    pick(browser, "to", "jack w", "Jack W. Rae")
    browser.find_element(By.CSS_SELECTOR, "#path-form button[type=submit]").click()
    steps = wait(browser, EC.presence_of_element_located((By.ID, "path-steps")))
    names = [a.text for a in steps.find_elements(By.CSS_SELECTOR, ":scope > li > a")]
    assert names[0] == "Jean-Baptiste Alayrac" and names[-1] == "Jack W. Rae"
    wait(browser, ready)
    assert graph_size(browser) == len(names) == 3


def test_the_path_picker_works_from_the_keyboard_and_says_what_is_missing(server, browser):
    browser.get(server + "/path")
    field = browser.find_element(By.ID, "pick-from")
    field.send_keys("vinyals")
    wait(browser, EC.visibility_of_element_located((By.CSS_SELECTOR, "#path-form .picker-option")))
    options = [b.text for b in browser.find_elements(By.CSS_SELECTOR, "#path-form .picker-option")]
    twins = [o for o in options if o.startswith("Oriol Vinyals ·")]
    assert len(twins) == 2 and len({o.rsplit(" · ", 1)[1] for o in twins}) == 2, \
        "two people of one name are told apart by their ids"
    field.send_keys(Keys.ARROW_DOWN)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("class") == "picker-option"
    focused.send_keys(Keys.ARROW_DOWN)
    browser.switch_to.active_element.send_keys(Keys.ENTER)
    chosen = browser.find_element(By.NAME, "from").get_attribute("value")
    assert chosen and field.get_attribute("value") == "Oriol Vinyals"
    browser.find_element(By.CSS_SELECTOR, "#path-form button[type=submit]").click()
    message = browser.execute_script(
        "return document.getElementById('pick-to').validationMessage")
    assert message == "Type a researcher's name"
    other = browser.find_element(By.ID, "pick-to")
    other.send_keys("simonyan")
    wait(browser, EC.visibility_of_element_located(
        (By.CSS_SELECTOR, "#path-form .picker:nth-of-type(2) .picker-option")))
    browser.find_element(By.TAG_NAME, "h1").click()
    assert not browser.find_elements(By.CSS_SELECTOR, "#path-form .picker-list:not([hidden])"), \
        "a click elsewhere closes the list"


def test_hostile_names_stay_text_in_the_graph_legend_tooltips_and_exports(server, browser):
    open_graph(browser, server + "/authors/name:eve%20hostile?colour=institution")
    assert HOSTILE in browser.find_element(By.ID, "graph-legend").text
    topics = [o.text for o in Select(browser.find_element(By.NAME, "topic")).options]
    assert HOSTILE in topics
    emit(browser, "click", "name:eve hostile")
    assert browser.find_element(By.CSS_SELECTOR, "#graph-details h3").text == HOSTILE
    wait(browser, stable)  # the layout has stopped moving: point at the node
    canvas = browser.find_element(By.CSS_SELECTOR, "#graph canvas")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    x, y = browser.execute_script("""
        const g = window.explorerGraph.network;
        const p = g.canvasToDOM(g.getPositions(['name:eve hostile'])['name:eve hostile']);
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        return [p.x - box.width / 2, p.y - box.height / 2];""")
    ActionChains(browser).move_to_element_with_offset(canvas, int(x) - 3, int(y)) \
        .move_by_offset(3, 0).perform()  # vis-network shows a tooltip on a move over a node
    tip = wait(browser, lambda b: b.execute_script("""
        const tip = document.querySelector('.vis-tooltip');
        return tip && tip.style.visibility === 'visible' && tip;"""))
    assert HOSTILE in tip.get_attribute("innerText")
    assert not tip.find_elements(By.CSS_SELECTOR, "*:not(br)")  # text and line breaks only
    browser.execute_script("""
        window.__exports = [];
        const make = URL.createObjectURL;
        URL.createObjectURL = (blob) => { window.__exports.push(blob); return make(blob); };
        HTMLAnchorElement.prototype.click = function () { window.__exports.push(this.href); };""")
    browser.find_element(By.ID, "export-json").click()
    browser.find_element(By.ID, "export-png").click()
    exported = browser.execute_async_script("""
        const done = arguments[0];
        window.__exports[0].text().then((json) => done([json, window.__exports[2]]));""")
    data = json.loads(exported[0])
    assert HOSTILE in {n["name"] for n in data["nodes"]}
    assert {n["institution"]["name"] for n in data["nodes"] if n["institution"]} >= {HOSTILE}
    assert exported[1].startswith("data:image/png;base64,")
    assert browser.execute_script("return window.__pwned === undefined")


def test_search_finds_every_kind_in_sections(server, browser):
    browser.get(server + "/")
    wait(browser, EC.presence_of_element_located((By.ID, "search-input"))).send_keys("cancer")
    wait(browser, EC.presence_of_element_located((By.CSS_SELECTOR, ".results-heading")))
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".results-heading")]
    assert headings == ["Papers", "Topics", "Institutions"]
    found = {(r.get_attribute("data-kind"), r.find_element(By.TAG_NAME, "a").text)
             for r in browser.find_elements(By.CSS_SELECTOR, ".search-result")}
    assert ("institutions", "American Cancer Society") in found
    topics = [name for what, name in found if what == "topics"]
    assert topics and all("cancer" in name.lower() for name in topics)
    Select(browser.find_element(By.ID, "search-kind")).select_by_value("topics")
    wait(browser, lambda b: "kind=topics" in b.current_url)
    wait(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, ".results-heading"))
    kinds = {r.get_attribute("data-kind")
             for r in browser.find_elements(By.CSS_SELECTOR, ".search-result")}
    assert kinds == {"topics"}


def test_the_time_slider_shows_collaborations_as_they_begin(server, browser):
    piece = api(server, f"/api/authors/{JEMAL}/slice")
    first_seen: dict[str, int] = {}
    for edge in piece["edges"]:
        for end in (edge["source"], edge["target"]):
            first_seen[end] = min(first_seen.get(end, 9999), edge["first_year"])
    start = min(first_seen.values())
    open_graph(browser, server + f"/authors/{JEMAL}")
    wait(browser, stable)
    visible = "return window.explorerGraph.visibleCount()"
    assert browser.execute_script(visible) == len(piece["nodes"])
    browser.execute_script("""
        const slider = document.getElementById('graph-year');
        slider.value = arguments[0];
        slider.dispatchEvent(new Event('input'));""", start)
    early = 1 + sum(1 for who, year in first_seen.items() if year <= start and who != JEMAL)
    assert browser.execute_script(visible) == early < len(piece["nodes"])
    assert f"year={start}" in browser.current_url
    assert browser.find_element(By.ID, "graph-year-label").text == str(start)
    browser.find_element(By.ID, "graph-play").click()  # plays on to the last year
    wait(browser, lambda b: b.find_element(By.ID, "graph-year-label").text == "all years")
    assert browser.execute_script(visible) == len(piece["nodes"])
    assert "Play" in browser.find_element(By.ID, "graph-play").text


def test_colour_by_community_lists_communities_and_brokers(server, browser):
    open_graph(browser, server + f"/authors/{JEMAL}?colour=community&size=betweenness")
    analysis = api(server, f"/api/authors/{JEMAL}/analysis")
    sizes = sorted((c["size"] for c in analysis["communities"]), reverse=True)
    wait(browser, lambda b: f"Community 1 ({sizes[0]})" in legend(b))
    panel = browser.find_element(By.ID, "graph-analysis")
    items = panel.find_elements(By.CSS_SELECTOR, ".communities > li")
    assert len(items) == len(analysis["communities"])
    brokers = [a.text for a in panel.find_elements(By.CSS_SELECTOR, ".brokers > li > a")]
    assert brokers == [b["name"] for b in analysis["brokers"]]
    values = browser.execute_script(
        "return Object.fromEntries(window.explorerGraph.nodes.get().map(n => [n.id, n.value]))")
    for person, measures in analysis["attributes"].items():
        assert values[person] == pytest.approx(measures["betweenness"])


def test_the_profile_draws_its_timeline(server, browser):
    timeline = api(server, f"/api/authors/{JEMAL}/timeline")
    browser.get(server + f"/authors/{JEMAL}")
    bars = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#chart-works rect"))
    assert [int(r.get_attribute("data-value")) for r in bars] == \
        [n for n in timeline["works"] if n]
    new = browser.find_elements(By.CSS_SELECTOR, "#chart-coauthors rect")
    assert sum(int(r.get_attribute("data-value")) for r in new) == timeline["totals"]["coauthors"]
    assert browser.find_elements(By.CSS_SELECTOR, "#chart-topics rect")
    # drawn at the box's width: the labels' 11 px are 11 px on the screen, not shrunk
    sizes = browser.execute_script("""
        return [...document.querySelectorAll('.chart svg text')]
          .map((t) => t.getBoundingClientRect().height).filter((h) => h > 0);""")
    assert sizes and min(sizes) >= 10, sizes


def test_the_overview_draws_the_degree_distribution(server, browser):
    overview = api(server, "/api/overview")
    browser.get(server + "/overview")
    dots = wait(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "#degree-chart circle"))
    assert len(dots) == len(overview["degree_distribution"]["degree"])
    assert f"{overview['components']['count']:,} connected components" in \
        browser.find_element(By.ID, "components").text
