"""Standalone exports (`coauthor-explorer export …` and the /export/ downloads) on the demo
data with hostile names: GraphML and GEXF round-trip through networkx with the slice's
nodes, edges and weights; the HTML page is self-contained (no URL to fetch) and keeps
names as text; errors are one line or a page."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import html

from explorer.app import create_app
from explorer.cli import cli
from explorer.views.assets import VIS_NETWORK_DIR
from tests.hostile import EVE, HOSTILE, HOSTILE_ID, INSTITUTION, KAREN, PAPER, TOPIC

JEMAL = "orcid:0000-0002-0000-4111"  # in the OpenAlex part of the demo: no chain to Karen
URL = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}|https?://", re.IGNORECASE)


@pytest.fixture(scope="module")
def client(hostile_db: Path):
    app = create_app(db_path=str(hostile_db), neo4j_uri="")
    app.config["TESTING"] = True
    yield app.test_client()
    app.extensions["coauthor_store"].close()


def export(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), "export", *args], env={"NEO4J_URI": ""})


def graph_data(page: str) -> dict:
    """The JSON the standalone page draws."""
    script = html.fromstring(page).get_element_by_id("graph-data")
    return json.loads(script.text)


def assert_same_graph(graph: nx.Graph, piece: dict) -> None:
    """networkx read back the slice's people, links and weights, names as labels."""
    assert set(graph.nodes) == {n["id"] for n in piece["nodes"]}
    for node in piece["nodes"]:
        assert graph.nodes[node["id"]]["label"] == node["name"]
    assert {frozenset(e) for e in graph.edges} == \
        {frozenset((e["source"], e["target"])) for e in piece["edges"]}
    for edge in piece["edges"]:
        assert graph.edges[edge["source"], edge["target"]]["weight"] == edge["weight"]


# -- GraphML and GEXF ---------------------------------------------------------------


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_round_trip_through_networkx(hostile_db, client, tmp_path, fmt, read):
    options = "limit=60&min_weight=1&year_from=2021&year_to=2023"
    piece = client.get(f"/api/authors/{KAREN}/slice?{options}").get_json()
    assert len(piece["nodes"]) == 60 and len(piece["edges"]) > 60
    target = tmp_path / f"karen.{fmt}"
    result = export(hostile_db, "author", KAREN, "--limit", "60", "--year-from", "2021",
                    "--year-to", "2023", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert f"wrote {target} ({fmt})" in result.output
    assert_same_graph(read(target), piece)
    download = client.get(f"/export/author/{KAREN}?format={fmt}&{options}")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"] == \
        f'attachment; filename="name-karen-simonyan.{fmt}"'
    assert download.data == target.read_bytes()
    for kind, entity, api in (("paper", PAPER, f"/api/papers/{PAPER}/slice"),
                              ("topic", TOPIC, f"/api/topics/{TOPIC}/slice?depth=2"),
                              ("institution", INSTITUTION,
                               f"/api/institutions/{INSTITUTION}/slice")):
        query = "&depth=2" if kind == "topic" else ""
        document = client.get(f"/export/{kind}/{entity}?format={fmt}{query}")
        assert document.status_code == 200, kind
        assert_same_graph(read(io.BytesIO(document.data)), client.get(api).get_json())
    path = client.get(f"/export/path?from={EVE}&to=name:jack%20w%20rae&format={fmt}")
    piece = client.get(f"/api/path/slice?from={EVE}&to=name:jack%20w%20rae").get_json()
    assert len(piece["nodes"]) == 3
    assert_same_graph(read(io.BytesIO(path.data)), piece)


def test_the_json_export_is_the_analysed_slice(hostile_db, client):
    exported = export(hostile_db, "author", KAREN, "--format", "json", "--limit", "30")
    assert exported.exit_code == 0, exported.output
    answer = json.loads(exported.output)
    assert answer == client.get(f"/api/authors/{KAREN}/analysis?limit=30").get_json()
    assert client.get(f"/export/author/{KAREN}?format=json&limit=30").get_json() == answer


# -- the standalone HTML page ----------------------------------------------------------


def test_the_html_page_is_self_contained(hostile_db, tmp_path):
    target = tmp_path / "karen.html"
    result = export(hostile_db, "author", KAREN, "-o", str(target))
    assert result.exit_code == 0 and "(html)" in result.output
    page = target.read_text(encoding="utf-8")
    document = html.fromstring(page)
    for element in document.iter():
        for name in ("src", "href", "action", "srcset", "poster", "data", "background"):
            assert element.get(name) is None, (element.tag, name)
    assert not document.xpath("//link | //iframe | //object | //embed | //img | //base")
    vis = (VIS_NETWORK_DIR / "vis-network.min.js").read_text(encoding="utf-8")
    assert vis in page  # inlined, as the installed pyvis ships it
    rest = page.replace(vis, "")
    assert not URL.findall(rest), URL.findall(rest)  # styles, data, our script: no URL
    assert "@import" not in rest and "url(" not in rest
    assert [s.get("type") for s in document.xpath("//script")] == \
        ["application/json", None, None]
    data = graph_data(page)
    assert len(data["nodes"]) == 100 and data["edges"]
    assert document.get_element_by_id("title").text_content() == \
        "Co-authorship graph: Karen Simonyan"
    assert "100 people" in document.get_element_by_id("summary").text_content()


def test_hostile_names_stay_text_in_the_html_page(hostile_db, client):
    page = client.get(f"/export/author/{EVE}?format=html&colour=institution&theme=dark")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert page.headers["Content-Disposition"] == \
        'attachment; filename="name-eve-hostile.html"'
    text = page.data.decode()
    assert "<img" not in text and "window.__pwned=2</script>" not in text
    document = html.fromstring(text)
    assert len(document.xpath("//script")) == 3  # no name opened or closed one
    assert document.get_element_by_id("title").text_content() == \
        f"Co-authorship graph: {HOSTILE}"
    legend = [li.text_content() for li in document.get_element_by_id("legend")]
    assert legend == [f"{HOSTILE} (1)", "Other or unknown (2)"]
    nodes = {n["id"]: n for n in graph_data(text)["nodes"]}
    # the canvas label is cut (a long name would cover the drawing), the tooltip is whole
    assert nodes[EVE]["label"] == HOSTILE[:39] + "\u2026" and len(HOSTILE) > 40
    assert nodes[EVE]["title"].startswith(HOSTILE + "\n1 work\n")
    assert f"Institution: {HOSTILE}" in nodes[EVE]["title"]
    assert nodes[HOSTILE_ID]["label"] == "Ida Quote"
    assert "theme-dark" in document.body.get("class")
    topic = client.get(f"/export/topic/{TOPIC}?format=html&colour=topic").data.decode()
    assert html.fromstring(topic).get_element_by_id("title").text_content() == \
        f"Co-authorship graph: {HOSTILE}"
    assert "<img" not in topic


def test_colour_choices_paint_the_page(client):
    ring = graph_data(client.get(f"/export/author/{KAREN}?limit=40").data.decode())
    fills = {n["id"]: n["color"]["background"] for n in ring["nodes"]}
    assert fills[KAREN] == "#d9480f" and set(fills.values()) == {"#d9480f", "#1f5fa8"}
    page = client.get(f"/export/author/{KAREN}?limit=40&colour=community").data.decode()
    analysis = client.get(f"/api/authors/{KAREN}/analysis?limit=40").get_json()
    fills = {n["id"]: n["color"]["background"] for n in graph_data(page)["nodes"]}
    for community in analysis["communities"][:10]:
        assert len({fills[m] for m in community["members"]}) == 1
    assert len(set(fills.values())) == min(len(analysis["communities"]), 10) + \
        (1 if analysis["unclustered"] else 0)
    legend = [li.text_content() for li in html.fromstring(page).get_element_by_id("legend")]
    assert legend[0] == f"Community 1 ({analysis['communities'][0]['size']})"


# -- every kind from the command line, and errors --------------------------------------


def test_every_kind_exports_from_the_command_line(hostile_db, tmp_path):
    for args in (["paper", PAPER], ["topic", TOPIC, "--depth", "2"],
                 ["institution", INSTITUTION], ["path", EVE, "name:jack w rae"],
                 ["author", HOSTILE_ID, "--colour", "topic", "--theme", "dark"]):
        result = export(hostile_db, *args)  # HTML on standard output
        assert result.exit_code == 0, (args, result.output)
        assert result.output.startswith("<!doctype html>")
        assert graph_data(result.output)["nodes"], args
    inferred = tmp_path / "path.gexf"
    assert export(hostile_db, "path", EVE, KAREN, "-o", str(inferred)).exit_code == 0
    assert set(nx.read_gexf(inferred)) == {EVE, KAREN}


def test_errors_are_one_line(hostile_db, tmp_path):
    for args, message in (
            (["author", "name:nobody"], "Error: no author has the id 'name:nobody'"),
            (["paper", "doi:nothing"], "Error: no paper has the id 'doi:nothing'"),
            (["path", EVE, "name:nobody"], "Error: no author has the id 'name:nobody'"),
            (["author", KAREN, "--topic", "nope"], "Error: no topic has the id 'nope'"),
            (["author", KAREN, "--year-from", "2023", "--year-to", "2020"],
             "Error: year_from must not be after year_to"),
            (["author", KAREN, "-o", str(tmp_path / "missing" / "x.html")],
             "Error: cannot write"),
            (["author", KAREN, "--format", "pdf"], "'pdf' is not one of")):
        result = export(hostile_db, *args)
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_download_errors_are_pages(client):
    for url, status, reason in (
            (f"/export/author/{KAREN}?format=pdf", 400, "format must be one of html, json"),
            (f"/export/author/{KAREN}?colour=avg_year", 400, "colour must be one of"),
            (f"/export/author/{KAREN}?theme=sepia", 400, "theme must be one of light, dark"),
            (f"/export/author/{KAREN}?limit=0", 400, "limit must be between 1 and 5000"),
            ("/export/author/name:nobody", 404, "name:nobody"),
            ("/export/path?from=name:eve%20hostile", 400, "give two author ids"),
            (f"/export/path?from={KAREN}&to=openalex:A5100000000", 404,
             "openalex:A5100000000"),
            (f"/export/path?from={KAREN}&to={JEMAL}", 400,
             "no chain of co-authorships joins these two researchers")):
        page = client.get(url)
        assert page.status_code == status, url
        assert page.mimetype == "text/html"
        assert reason in html.fromstring(page.data).get_element_by_id(
            "error-message").text_content(), url
