"""Embed pages, through the Flask app on the demo data with hostile names: /embed/ pages of
every kind with their options, errors and frame policy, and the Embed dialog on every graph
view. (Who may embed: tests/test_origins.py; in a browser: tests/test_embed_browser.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote as _quote

import pytest
from lxml import html

from explorer.app import create_app
from explorer.views import embed as embed_view
from tests.hostile import (
    EVE,
    HOSTILE,
    HOSTILE_ID,
    INSTITUTION,
    KAREN,
    LAB,
    PAPER,
    TOPIC,
    serving,
)

PAPER_IN_LINKS = PAPER.replace("/", "%2F")  # an id is one path segment in links


def quote(text: str) -> str:
    """As url_for writes an id into a path."""
    return _quote(text, safe="/:!$&'()*+,;=@")


# -- frame headers --------------------------------------------------------------------


def test_embed_pages_may_be_framed_by_the_listed_sites_only(lab, closed):
    page = lab.get(f"/embed/author/{KAREN}")
    assert page.status_code == 200 and "X-Frame-Options" not in page.headers
    csp = page.headers["Content-Security-Policy"]
    assert csp.endswith(f"; frame-ancestors 'self' {LAB} https://*.dept.example.edu")
    assert "script-src 'self';" in csp and "connect-src 'self';" in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in lab.get(
        f"/embed/author/{KAREN}", headers={"Origin": LAB}).headers
    assert closed.get(f"/embed/author/{KAREN}").headers["Content-Security-Policy"] \
        .endswith("; frame-ancestors 'self'")
    for error in (lab.get("/embed/author/name:nobody"), lab.get("/embed/author/x?depth=9")):
        assert "frame-ancestors 'self' " + LAB in error.headers["Content-Security-Policy"]


def test_any_site_may_embed_when_the_operator_says_so(hostile_db):
    with serving(hostile_db, embed_origins="*") as client:
        page = client.get(f"/embed/author/{KAREN}")
        assert page.headers["Content-Security-Policy"].endswith("; frame-ancestors *")
        api = client.get("/api/stats", headers={"Origin": "https://anyone.example"})
        assert api.headers["Access-Control-Allow-Origin"] == "*"


# -- the embed pages ------------------------------------------------------------------


def _graph_box(page) -> dict[str, str]:
    box = html.fromstring(page.data).get_element_by_id("graph")
    return dict(box.attrib)


def test_every_kind_has_an_embed_page_with_a_link_back(lab):
    cases = {
        f"/embed/author/{quote(KAREN)}": ("author", KAREN, "Karen Simonyan",
                                          f"/authors/{quote(KAREN)}"),
        f"/embed/paper/{PAPER}": ("paper", PAPER, f"A paper called {HOSTILE}",
                                  f"/papers/{PAPER_IN_LINKS}"),
        f"/embed/topic/{TOPIC}": ("topic", TOPIC, HOSTILE, f"/topics/{TOPIC}"),
        f"/embed/institution/{INSTITUTION}": ("institution", INSTITUTION, HOSTILE,
                                              f"/institutions/{INSTITUTION}"),
        f"/embed/path?from={quote(EVE)}&to={quote(KAREN)}": (
            "path", EVE, f"{HOSTILE} and Karen Simonyan", "/path?from="),
    }
    for url, (kind, centre, title, back) in cases.items():
        page = lab.get(url)
        assert page.status_code == 200, url
        document = html.fromstring(page.data)
        assert document.get_element_by_id("embed-title").text_content() == title
        assert document.get_element_by_id("embed-open").get("href").startswith(back)
        assert document.get_element_by_id("embed-open").get("target") == "_blank"
        box = _graph_box(page)
        assert (box["data-kind"], box["data-centre"]) == (kind, centre)
        assert box["data-link-target"] == "_blank"
        answer = lab.get(box["data-slice-api"])
        assert answer.status_code == 200 and answer.get_json()["nodes"], url
        assert ("data-analysis-api" in box) == (kind != "path")
        assert not document.xpath("//header | //nav | //*[@id='graph-find' or "
                                  "@id='export-png']"), url
        assert b"<script>window.__pwned" not in page.data  # names are escaped text


def test_embed_options_come_from_the_query_string(lab):
    page = lab.get(f"/embed/author/{KAREN}?depth=2&limit=40&min_weight=2&year_from=2021"
                   "&year_to=2022&topic=openalex:T10552&colour=community&theme=dark"
                   "&height=320")
    assert page.status_code == 200
    document = html.fromstring(page.data)
    assert "theme-dark" in document.body.get("class")
    box = _graph_box(page)
    assert (box["data-height"], box["data-theme"]) == ("320", "dark")
    form = document.get_element_by_id("graph-filters")
    values = {field.get("name"): field.get("value") for field in form.xpath(".//input")}
    assert values == {"depth": "2", "limit": "40", "min_weight": "2", "year_from": "2021",
                      "year_to": "2022", "colour": "community"}
    [topic] = form.xpath(".//select[@name='topic']/option[@selected]")
    assert topic.get("value") == "openalex:T10552"
    assert topic.text == lab.get("/api/topics/openalex:T10552").get_json()["name"], \
        "the topic's name, not its id"
    back = document.get_element_by_id("embed-open").get("href")
    assert "depth=2" in back and "colour=community" in back and "theme" not in back
    defaults = _graph_box(lab.get(f"/embed/author/{KAREN}"))
    assert (defaults["data-height"], defaults["data-theme"]) == ("480", "light")


@pytest.mark.parametrize("query, reason", [
    ("depth=3", "depth must be between 1 and 2"),
    ("limit=0", "limit must be between 1 and 5000"),
    ("year_from=2022&year_to=2020", "year_from must not be after year_to"),
    ("colour=rainbow", "colour must be one of ring, topic, institution, community"),
    ("theme=sepia", "theme must be one of light, dark"),
    ("height=99", "height must be between 150 and 2000"),
    ("height=tall", "height must be a whole number"),
    ("topic=nope", "no topic has the id 'nope'"),
])
def test_bad_embed_options_are_a_400_page_in_the_frame(lab, query, reason):
    page = lab.get(f"/embed/author/{KAREN}?{query}")
    assert page.status_code == 400
    assert reason in html.fromstring(page.data).get_element_by_id("error-message").text
    assert b"Traceback" not in page.data


def test_embed_errors_name_the_problem(lab):
    missing = lab.get("/embed/author/name:nobody")
    assert missing.status_code == 404
    assert "name:nobody" in html.fromstring(missing.data).get_element_by_id(
        "error-message").text
    assert lab.get("/embed/path?from=name:eve%20hostile").status_code == 400
    assert lab.get("/embed/path?from=name:eve%20hostile&to=name:nobody").status_code == 404
    assert lab.get("/embed/path?from=a&to=b&colour=community").status_code == 400
    assert lab.get("/embed/people/x").status_code == 404


# -- the Embed dialog on every graph view ---------------------------------------------


def test_every_graph_view_has_an_embed_dialog(lab):
    views = {f"/authors/{quote(KAREN)}": ({"author": KAREN}, f"/embed/author/{quote(KAREN)}",
                                          f"/export/author/{quote(KAREN)}"),
             f"/papers/{PAPER}": ({"paper": PAPER}, f"/embed/paper/{PAPER_IN_LINKS}",
                                  f"/export/paper/{PAPER_IN_LINKS}"),
             f"/topics/{TOPIC}": ({"topic": TOPIC}, f"/embed/topic/{TOPIC}",
                                  f"/export/topic/{TOPIC}"),
             f"/institutions/{INSTITUTION}": ({"institution": INSTITUTION},
                                              f"/embed/institution/{INSTITUTION}",
                                              f"/export/institution/{INSTITUTION}"),
             f"/path?from={quote(EVE)}&to={quote(KAREN)}": (
                 {"from": EVE, "to": KAREN}, "/embed/path", "/export/path"),
             f"/authors/{quote(HOSTILE_ID)}": ({"author": HOSTILE_ID},
                                               f"/embed/author/{quote(HOSTILE_ID)}",
                                               f"/export/author/{quote(HOSTILE_ID)}")}
    for url, (widget, embed, export) in views.items():
        page = lab.get(url)
        assert page.status_code == 200, url
        document = html.fromstring(page.data)
        assert document.get_element_by_id("embed-button").text == "Embed"
        dialog = document.get_element_by_id("embed-dialog")
        assert json.loads(dialog.get("data-widget")) == widget, url
        assert dialog.get("data-embed") == embed and dialog.get("data-export") == export
        assert dialog.get("data-script") == "/static/coauthor-graph.js"
        assert lab.get(embed + ("?from=name:eve%20hostile&to=name:karen%20simonyan"
                                if "from" in widget else "")).status_code == 200
        assert len(dialog.xpath(".//a[@data-format]")) == 4
        assert b"/static/embed-dialog.js" in page.data


def test_every_option_and_attribute_is_documented():
    """docs/embedding.md lists every /embed/ option and every <coauthor-graph> attribute."""
    root = Path(__file__).resolve().parent.parent
    docs = (root / "docs" / "embedding.md").read_text(encoding="utf-8")
    script = (root / "static" / "coauthor-graph.js").read_text(encoding="utf-8")
    options = re.search(r"const OPTIONS = \{(.*?)\};", script, re.S).group(1)
    attributes = re.findall(r'"([a-z-]+)": "', options)
    assert attributes == ["depth", "limit", "min-weight", "year-from", "year-to", "on-topic"]
    observed = re.search(r"concat\(\[(.*?)\]", script, re.S).group(1)
    attributes += [*re.findall(r'"([a-z-]+)"', observed), "author", "paper", "topic",
                   "institution"]
    for name in attributes:
        assert f"`{name}`" in docs, name
    for name in (*embed_view.SLICE_ARGS, "colour", "theme", "height", *embed_view.COLOURS,
                 *embed_view.THEMES):
        assert f"`{name}`" in docs, name


def test_an_unavailable_database_is_a_503_in_the_frame_that_names_no_path(tmp_path, caplog):
    broken = tmp_path / "broken.lbdb"
    broken.write_text("not a database")
    client = create_app(db_path=str(broken), neo4j_uri="", embed_origins="*").test_client()
    page = client.get(f"/embed/author/{KAREN}", headers={"X-Request-ID": "frame-1"})
    assert page.status_code == 503 and page.headers["Retry-After"]
    document = html.fromstring(page.data)
    assert not document.xpath("//header | //nav"), "the frame's page, not the site's"
    message = document.get_element_by_id("error-message").text
    assert "unavailable" in message and "request frame-1" in message
    api = client.get(f"/api/authors/{KAREN}", headers={"Origin": "https://lab.example.org"})
    assert api.status_code == 503 and api.headers["Access-Control-Allow-Origin"]
    for text in (page.get_data(as_text=True), api.get_data(as_text=True)):
        assert str(tmp_path) not in text and "broken.lbdb" not in text
    assert any(str(broken) in r.getMessage() and "frame-1" in r.getMessage()
               for r in caplog.records), "the reason, with its path, is in the server log"
