"""Embedding in a real headless browser (Debian's chromium through Selenium): the Embed
dialog's <iframe> and <coauthor-graph> snippets pasted into pages served from other
origins (one allowed, one not), for every kind of graph and with hostile names; and the
standalone HTML export opened from a file with the network off."""

from __future__ import annotations

import io
import re
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest

from explorer.app import create_app
from tests import test_browser as shared
from tests.conftest import live_server
from tests.hostile import EVE, HOSTILE, HOSTILE_ID, INSTITUTION, KAREN, PAPER, TOPIC

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.common.exceptions import WebDriverException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

wait, ready, api = shared.wait, shared.ready, shared.api
PWNED = "return window.__pwned === undefined"


class Site:
    """A tiny web server for pages of another site (``http://localhost:<port>``, a
    different origin from the explorer's ``http://127.0.0.1:<port>``)."""

    def __init__(self) -> None:
        pages: dict[str, bytes] = {}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = pages.get(self.path)
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args: object) -> None:
                pass

        self.pages = pages
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://localhost:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def page(self, name: str, *snippets: str, head: str = "") -> str:
        """Serve a lab page holding the snippets as pasted; its address."""
        self.pages[f"/{name}"] = ("<!doctype html><html><head><meta charset='utf-8'>"
                                  f"<title>A lab page</title>{head}</head><body>"
                                  "<h1>Our lab</h1>" + "\n".join(snippets) +
                                  "</body></html>").encode()
        return f"{self.origin}/{name}"


@pytest.fixture(scope="module")
def sites() -> Iterator[tuple[Site, Site]]:
    allowed, refused = Site(), Site()
    yield allowed, refused
    for site in (allowed, refused):
        site.http.shutdown()


@pytest.fixture(scope="module")
def server(hostile_db: Path, sites) -> Iterator[str]:
    """The explorer, letting the first site (only) embed it."""
    with live_server(create_app(db_path=str(hostile_db), neo4j_uri="",
                                embed_origins=sites[0].origin)) as url:
        yield url


def snippets(browser, url: str) -> tuple[str, str]:
    """Open a graph view, open its Embed dialog, and read the two snippets."""
    shared.open_graph(browser, url)
    browser.find_element(By.ID, "embed-button").click()
    dialog = browser.find_element(By.ID, "embed-dialog")
    assert dialog.get_attribute("open") is not None
    iframe = dialog.find_element(By.ID, "embed-iframe").get_attribute("value")
    script = dialog.find_element(By.ID, "embed-script").get_attribute("value")
    dialog.find_element(By.CSS_SELECTOR, "button[data-copy=embed-script]").click()
    wait(browser, lambda b: b.find_element(By.ID, "embed-copied").text)  # copied or selected
    dialog.find_element(By.ID, "embed-close").click()
    return iframe, script


def export_links(browser) -> dict[str, str]:
    """The Embed dialog's export links, by format."""
    return {a.get_attribute("data-format"): a.get_attribute("href") for a in
            browser.find_elements(By.CSS_SELECTOR, "#embed-dialog a[data-format]")}


def widgets(browser) -> list[dict]:
    """Each <coauthor-graph> on the page: state, status, title, legend, people drawn."""
    return browser.execute_script("""
        return [...document.querySelectorAll('coauthor-graph')].map((w) => ({
            state: w.dataset.state || '',
            status: w.shadowRoot.querySelector('.status').textContent,
            title: w.shadowRoot.querySelector('.title').textContent,
            legend: w.shadowRoot.querySelector('.legend').textContent,
            people: w.graph ? w.graph.nodes.length : 0,
            titles: w.graph ? w.graph.nodes.get().map((n) => n.title) : []}));""")


def settled(browser) -> bool:
    return all(w["state"] in ("drawn", "error") for w in widgets(browser))


def in_frames(browser, check):
    """``check(browser)`` inside each <iframe> of the page, in order."""
    answers = []
    for frame in browser.find_elements(By.TAG_NAME, "iframe"):
        browser.switch_to.frame(frame)
        try:
            answers.append(check(browser))
        finally:
            browser.switch_to.default_content()
    return answers


def frame_drawn(browser) -> dict:
    wait(browser, lambda b: b.execute_script("return document.URL").startswith("http") and
         ready(b))
    return {"people": shared.graph_size(browser), "pwned": not browser.execute_script(PWNED),
            "title": browser.find_element(By.ID, "embed-title").text,
            "legend": browser.find_element(By.ID, "graph-legend").text,
            "status": browser.find_element(By.ID, "graph-status").text}


def frame_refused(browser) -> str:
    wait(browser, lambda b: b.execute_script("return document.URL") != "about:blank")
    return browser.execute_script(
        "return [document.URL, typeof window.explorerGraph].join(' ')")


def test_snippets_draw_the_graph_on_an_allowed_site(server, sites, browser):
    expected = len(api(server, f"/api/authors/{quote(EVE)}/slice?facets=1")["nodes"])
    iframe, script = snippets(browser, server + f"/authors/{quote(EVE)}?colour=institution")
    assert iframe.startswith(f'<iframe src="{server}/embed/author/name:eve%20hostile?')
    assert "colour=institution" in iframe and 'height="480"' in iframe
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in iframe  # title=
    assert script.startswith(f'<script src="{server}/static/coauthor-graph.js" defer>'
                             "</script>\n<coauthor-graph author=\"name:eve hostile\"")
    assert 'colour="institution"' in script
    links = export_links(browser)
    assert links["html"] == f"{server}/export/author/name:eve%20hostile?depth=1&limit=100" \
        "&min_weight=1&format=html&colour=institution"
    with urllib.request.urlopen(links["gexf"]) as download:
        assert download.headers["Content-Disposition"] == \
            'attachment; filename="name-eve-hostile.gexf"'
        assert nx.read_gexf(io.BytesIO(download.read())).nodes[EVE]["label"] == HOSTILE
    browser.get(sites[0].page("frame", iframe))
    assert browser.execute_script(PWNED)
    [frame] = in_frames(browser, frame_drawn)
    assert frame["people"] == expected == 3 and not frame["pwned"]
    assert frame["title"] == HOSTILE and HOSTILE in frame["legend"]
    browser.get(sites[0].page("widget", script))
    wait(browser, settled)
    [widget] = widgets(browser)
    assert widget["state"] == "drawn", widget["status"]
    assert widget["people"] == expected and widget["title"] == HOSTILE
    assert HOSTILE in widget["legend"] and f"Institution: {HOSTILE}" in "".join(widget["titles"])
    assert browser.execute_script(PWNED)
    canvas = browser.execute_script(
        "return document.querySelector('coauthor-graph').shadowRoot.querySelector('canvas')")
    assert drawn(browser, canvas) > 500, "the widget's canvas shows the graph"
    browser.execute_script("""  // laid out: nothing moves under the mouse
        const network = document.querySelector('coauthor-graph').graph.network;
        network.stopSimulation(); network.setOptions({physics: false});""")
    widget_root = "document.querySelector('coauthor-graph').shadowRoot"
    tip = hover_tooltip(browser, canvas, widget_root.replace(".shadowRoot", ".graph.network"),
                        EVE, widget_root)
    assert tip.get_attribute("innerText").startswith(HOSTILE + "\n")
    assert not tip.find_elements(By.CSS_SELECTOR, "*:not(br)")  # text and line breaks only
    assert browser.execute_script(PWNED)


def drawn(browser, canvas) -> int:
    """Pixels of a canvas that are not blank."""
    return browser.execute_script("""
        const canvas = arguments[0];
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let drawn = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) drawn++;
        return drawn;""", canvas)


VIEWS = {  # a graph view, and the slice its widget draws
    "paper": (f"/papers/{PAPER}", f"/api/papers/{PAPER}/slice"),
    "topic": (f"/topics/{TOPIC}?depth=2", f"/api/topics/{TOPIC}/slice?depth=2"),
    "institution": (f"/institutions/{INSTITUTION}?depth=2",
                    f"/api/institutions/{INSTITUTION}/slice?depth=2"),
    "path": (f"/path?from={quote(EVE)}&to=name:jack%20w%20rae",
             f"/api/path/slice?from={quote(EVE)}&to=name:jack%20w%20rae"),
    "hostile id": (f"/authors/{quote(HOSTILE_ID, safe='')}",
                   f"/api/authors/{quote(HOSTILE_ID, safe='')}/slice"),
}


@pytest.fixture(scope="module")
def every_kind(server, browser) -> dict[str, tuple[str, str, int]]:
    """Each view's two snippets and how many people its graph has."""
    found = {}
    for kind, (page, slice_api) in VIEWS.items():
        iframe, script = snippets(browser, server + page)
        found[kind] = (iframe, script, len(api(server, slice_api)["nodes"]))
    return found


def test_every_kind_draws_from_its_snippets(sites, browser, every_kind):
    people = [count for _, _, count in every_kind.values()]
    assert min(people) >= 3
    browser.get(sites[0].page("frames", *(iframe for iframe, _, _ in every_kind.values())))
    frames = in_frames(browser, frame_drawn)
    assert [f["people"] for f in frames] == people
    assert not any(f["pwned"] for f in frames) and browser.execute_script(PWNED)
    assert frames[1]["title"] == HOSTILE  # the topic's name
    assert frames[4]["title"] == "Ida Quote"
    browser.get(sites[0].page("widgets", *(script for _, script, _ in every_kind.values())))
    wait(browser, settled)
    found = widgets(browser)
    assert [w["state"] for w in found] == ["drawn"] * 5, [w["status"] for w in found]
    assert [w["people"] for w in found] == people
    assert found[3]["title"].startswith(HOSTILE + " \u2013 ")  # the path's two ends
    assert browser.execute_script(PWNED)


def test_the_widget_works_under_a_strict_host_policy(server, sites, browser, every_kind):
    """A lab page whose CSP allows scripts and requests to the explorer only, and no inline
    styles: the widget (constructed stylesheet, CSSOM styles) still draws."""
    _, script, people = every_kind["paper"]
    policy = (f"default-src 'none'; script-src {server}; connect-src {server}; "
              "style-src 'self'; img-src 'self'")
    browser.get(sites[0].page("strict", script, "<script>window.__inline = 1;</script>",
                              head=f'<meta http-equiv="Content-Security-Policy" '
                                   f'content="{policy}">'))
    wait(browser, settled)
    assert browser.execute_script("return window.__inline") is None  # the policy holds
    [widget] = widgets(browser)
    assert (widget["state"], widget["people"]) == ("drawn", people), widget["status"]
    assert browser.execute_script("""
        const bar = document.querySelector('coauthor-graph').shadowRoot.querySelector('.bar');
        return getComputedStyle(bar).position""") == "absolute"  # its stylesheet applies


def test_the_widget_never_uses_the_pages_own_vis(server, sites, browser, every_kind):
    """A page that already has a `vis` (an old vis.js that shows string tooltips as HTML,
    say): the widget draws with the explorer's copy and gives the page its `vis` back."""
    _, script, people = every_kind["paper"]
    page_vis = ("<script>window.vis = {Network: function () { window.__pageVisUsed = 1; }, "
                "DataSet: function () { window.__pageVisUsed = 1; }};"
                "window.__pageVis = window.vis;</script>")
    browser.get(sites[0].page("old-vis", page_vis + script))
    wait(browser, settled)
    [widget] = widgets(browser)
    assert (widget["state"], widget["people"]) == ("drawn", people), widget["status"]
    assert browser.execute_script("return window.__pageVisUsed") is None
    assert browser.execute_script(
        "return window.vis === window.__pageVis && Object.keys(window.vis).join()") \
        == "Network,DataSet", "the page's vis is put back, not extended"
    browser.get(sites[0].page("no-vis", script))
    wait(browser, settled)
    assert widgets(browser)[0]["state"] == "drawn"
    assert browser.execute_script("return 'vis' in window") is False, "no global left behind"


def test_the_widget_draws_what_its_attributes_say_last(server, sites, browser):
    """Attributes changed while a slow draw is on its way: the late answer is dropped."""
    slow_first = ("<script>const realFetch = window.fetch; window.fetch = (url, init) => "
                  "String(url).includes('karen') ? new Promise((done) => setTimeout(done, 1500))"
                  ".then(() => realFetch(url, init)) : realFetch(url, init);</script>")
    page = sites[0].page("race", slow_first +
                         f'<script src="{server}/static/coauthor-graph.js"></script>'
                         f'<coauthor-graph author="{KAREN}" depth="2" colour="community">'
                         "</coauthor-graph>")
    browser.get(page)
    browser.execute_script(f"""
        setTimeout(() => {{
            const w = document.querySelector('coauthor-graph');
            w.setAttribute('author', {EVE!r}); w.setAttribute('depth', '1');
            w.setAttribute('colour', 'ring');
        }}, 30);""")
    wait(browser, lambda b: b.execute_script(
        "return document.querySelector('coauthor-graph').dataset.state") == "drawn")
    expected = {n["id"] for n in api(server, f"/api/authors/{quote(EVE)}/slice")["nodes"]}
    browser.execute_script("return new Promise((done) => setTimeout(done, 2500))")
    drawn_ids = browser.execute_script(
        "return document.querySelector('coauthor-graph').graph.nodes.getIds()")
    assert set(drawn_ids) == expected


def test_the_widget_colours_by_average_year(server, sites, browser):
    browser.get(sites[0].page("years", f'<script src="{server}/static/coauthor-graph.js">'
                              f'</script><coauthor-graph author="{KAREN}" colour="avg_year">'
                              "</coauthor-graph>"))
    wait(browser, settled)
    [widget] = widgets(browser)
    assert widget["state"] == "drawn", widget["status"]
    spans = re.findall("(\\d{4})\u2013(\\d{4}) \\(\\d+\\)", widget["legend"])
    assert len(spans) >= 2 and all(a <= b for a, b in spans), widget["legend"]
    browser.get(sites[0].page("path-years", f'<script src="{server}/static/coauthor-graph.js">'
                              f'</script><coauthor-graph from="{KAREN}" to="{EVE}" '
                              'colour="avg_year"></coauthor-graph>'))
    wait(browser, settled)
    [path] = widgets(browser)
    assert path["state"] == "drawn" and "The two researchers" in path["legend"], \
        "a path has no analysis: coloured by ring"


def test_an_allowed_site_reads_the_paging_and_download_headers(server, sites, browser):
    browser.get(sites[0].page("headers", "<p>fetching</p>"))
    seen = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const names = ['Link', 'X-Total-Count', 'Content-Disposition', 'X-Request-ID'];
        fetch(arguments[0], {credentials: 'omit'})
          .then((r) => done(Object.fromEntries(names.map((n) => [n, r.headers.get(n)]))))
          .catch((e) => done({error: String(e)}));""",
        f"{server}/api/authors/{quote(KAREN)}/works?limit=1&format=csv")
    assert seen["Link"] and 'rel="next"' in seen["Link"], seen
    assert int(seen["X-Total-Count"]) > 1
    assert seen["Content-Disposition"].startswith("attachment; filename=")
    assert seen["X-Request-ID"]


def test_a_site_not_allowed_is_refused(server, sites, browser, every_kind):
    iframe, script, _ = every_kind["paper"]
    browser.get(sites[1].page("frame", iframe))
    [frame] = in_frames(browser, frame_refused)
    assert frame == "chrome-error://chromewebdata/ undefined"  # frame-ancestors refused it
    browser.get(sites[1].page("widget", script))
    wait(browser, settled)
    [widget] = widgets(browser)
    assert widget["state"] == "error" and widget["people"] == 0
    assert f"does not let {sites[1].origin} show its graphs" in widget["status"]
    browser.get(sites[0].page("frame", iframe))  # the same snippet on the allowed site
    [frame] = in_frames(browser, frame_drawn)
    assert frame["people"] == every_kind["paper"][2]


def test_theme_and_height_reach_the_frame(server, sites, browser):
    url = f"{server}/embed/author/{quote(KAREN)}?theme=dark&height=320&limit=30"
    browser.get(sites[0].page("dark", f'<iframe src="{url}" width="600" height="320">'
                                      "</iframe>"))
    [answer] = in_frames(browser, lambda b: (frame_drawn(b)["people"], b.execute_script(
        "return [document.getElementById('graph').clientHeight, "
        "getComputedStyle(document.body).backgroundColor]")))
    assert answer == (30, [320, "rgb(16, 22, 29)"])


def hover_tooltip(browser, canvas, network: str, node: str, root: str = "document"
                  ) -> object:
    """Move the mouse onto a drawn person; vis-network's tooltip element (within
    ``root``, the document or a widget's shadow root)."""
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", canvas)
    x, y = browser.execute_script(f"""
        const g = {network};
        const p = g.canvasToDOM(g.getPositions([arguments[0]])[arguments[0]]);
        const box = arguments[1].getBoundingClientRect();
        return [p.x - box.width / 2, p.y - box.height / 2];""", node, canvas)
    ActionChains(browser).move_to_element_with_offset(canvas, int(x) - 3, int(y)) \
        .move_by_offset(3, 0).perform()
    return wait(browser, lambda b: b.execute_script(f"""
        const tip = {root}.querySelector('.vis-tooltip');
        return tip && tip.style.visibility === 'visible' && tip;"""))


def test_the_standalone_export_draws_offline(server, browser, tmp_path: Path):
    page = tmp_path / "eve.html"
    with urllib.request.urlopen(
            f"{server}/export/author/{quote(EVE)}?format=html&colour=institution") as answer:
        page.write_bytes(answer.read())
    people = len(api(server, f"/api/authors/{quote(EVE)}/slice")["nodes"])
    browser.execute_cdp_cmd("Network.enable", {})
    offline = {"offline": True, "latency": 0, "downloadThroughput": -1,
               "uploadThroughput": -1}
    try:
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", offline)
        with pytest.raises(WebDriverException, match="ERR_INTERNET_DISCONNECTED"):
            browser.get(server + "/")  # the network is really off
        browser.get(page.as_uri())
        wait(browser, lambda b: b.execute_script(
            "return !!(window.standaloneGraph && window.standaloneGraph.stable)"))
        assert browser.execute_script("return window.standaloneGraph.nodes.length") == people
        canvas = browser.find_element(By.CSS_SELECTOR, "#graph canvas")
        assert drawn(browser, canvas) > 500
        assert browser.execute_script(
            "return performance.getEntriesByType('resource').map((e) => e.name)") == []
        assert browser.find_element(By.ID, "title").text == f"Co-authorship graph: {HOSTILE}"
        assert HOSTILE in browser.find_element(By.ID, "legend").text
        tip = hover_tooltip(browser, canvas, "window.standaloneGraph.network", EVE)
        assert tip.get_attribute("innerText").startswith(HOSTILE)
        assert not tip.find_elements(By.CSS_SELECTOR, "*:not(br)")  # text and line breaks
        assert browser.execute_script(PWNED)
    finally:
        browser.execute_cdp_cmd("Network.emulateNetworkConditions", {**offline,
                                                                     "offline": False})
        browser.execute_cdp_cmd("Network.disable", {})
