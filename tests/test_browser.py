"""The explorer in a real headless browser (Debian's chromium through Selenium) on the demo
data: search, a profile with its drawn graph, expanding a node, a filter, a path, a copied
URL, error pages, and hostile names that must stay text."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from explorer.app import create_app
from explorer.cli import DEMO_FILE
from explorer.loading import load_paths
from explorer.records import AuthorRef, Work
from explorer.settings import load_config
from explorer.store import open_store
from explorer.writer import GraphWriter

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
HOSTILE = '<img src=x onerror="window.__pwned=1">Eve <script>window.__pwned=2</script>'

NO_BROWSER = "needs Debian's chromium and chromium-driver (.ci/run installs them)"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("browser") / "demo.lbdb"
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        load_paths(store, "bibtex", [DEMO_FILE], progress=False)
        GraphWriter(store).write([Work(
            "doi:10.0/hostile", f"A paper called {HOSTILE}", 2023,
            authors=(AuthorRef("name:karen simonyan", "Karen Simonyan"),
                     AuthorRef("name:eve hostile", HOSTILE)))])
    app = create_app(db_path=str(db), neo4j_uri="")
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (CHROMIUM and CHROMEDRIVER):  # CI installs them: there, missing is a failure
        (pytest.fail if os.environ.get("CI") else pytest.skip)(NO_BROWSER)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=webdriver.ChromeService(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def wait(browser, condition, timeout: float = 20):
    return WebDriverWait(browser, timeout).until(condition)


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
    time.sleep(1.5)  # let the layout settle and draw
    assert drawn_pixels(browser) > 2000, "the canvas shows nodes and edges"


def test_expand_filter_and_reload_from_the_url(server, browser):
    browser.get(server + "/authors/name:eve%20hostile")
    wait(browser, lambda b: graph_size(b) == 2)
    browser.execute_script("""
        const g = window.explorerGraph;
        g.network.body.emitter.emit('doubleClick', {nodes: ['name:karen simonyan']});""")
    wait(browser, lambda b: graph_size(b) > 2)
    browser.get(server + "/authors/name:karen%20simonyan")
    wait(browser, lambda b: graph_size(b) > 50)
    field = browser.find_element(By.NAME, "min_weight")
    field.clear()
    field.send_keys("5")
    browser.find_element(By.CSS_SELECTOR, "#graph-filters button[type=submit]").click()
    wait(browser, lambda b: "min_weight=5" in b.current_url)
    wait(browser, lambda b: 1 < graph_size(b) < 50)
    filtered = graph_size(browser)
    copied = browser.current_url
    browser.get(copied)
    wait(browser, lambda b: graph_size(b) == filtered)
    assert browser.find_element(By.NAME, "min_weight").get_attribute("value") == "5"


def test_collaboration_path_links_papers(server, browser):
    browser.get(server + "/path?from=name:eve%20hostile&to=name:jack%20w%20rae")
    steps = wait(browser, EC.presence_of_element_located((By.ID, "path-steps")))
    names = [a.text for a in steps.find_elements(By.CSS_SELECTOR, ":scope > li > a")]
    assert names[-1] == "Jack W. Rae" and len(names) == 3
    assert steps.find_elements(By.CSS_SELECTOR, ".link-papers a")


def test_hostile_names_stay_text_everywhere(server, browser):
    for page in ("/authors/name:eve%20hostile", "/papers/doi:10.0/hostile",
                 "/?q=eve", "/authors/name:karen%20simonyan"):
        browser.get(server + page)
        time.sleep(1.5)
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
