"""`coauthor-explorer analyze …` on the demo data: readable text, the API's JSON, an export
file, and one-line errors."""

from __future__ import annotations

import networkx as nx
import orjson
import pytest
from click.testing import CliRunner

from explorer.cli import DEMO_FILE, cli

SIMONYAN = "name:karen simonyan"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("analyze") / "demo.lbdb"
    result = CliRunner().invoke(cli, ["--db", str(path), "load", "bibtex", str(DEMO_FILE)],
                                env={"NEO4J_URI": ""})
    assert result.exit_code == 0, result.output
    return path


def run(db, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "analyze", *args], env={"NEO4J_URI": ""})


def test_author_text_json_and_export(db, tmp_path, client):
    text = run(db, "author", SIMONYAN, "--limit", "30", "--seed", "5")
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith(f"Karen Simonyan ({SIMONYAN}): 30 authors,")
    assert "communities (Louvain, resolution 1, seed 5" in lines[1]
    assert any(line.startswith("community 0: ") for line in lines)
    assert "brokers (betweenness without the centre" in text.output
    as_json = orjson.loads(run(db, "author", SIMONYAN, "--limit", "30", "--seed", "5",
                               "--json").output)
    api = client.get(f"/api/authors/{SIMONYAN}/analysis?limit=30&seed=5").get_json()
    assert as_json == api
    target = tmp_path / "slice.gexf"
    exported = run(db, "author", SIMONYAN, "--limit", "30", "--export", str(target))
    assert exported.exit_code == 0
    graph = nx.read_gexf(target)
    assert graph.number_of_nodes() == 30
    assert graph.nodes[SIMONYAN]["degree"] == 29


def test_timeline_and_overview(db):
    timeline = run(db, "timeline", "name:jack w rae")
    assert timeline.exit_code == 0, timeline.output
    as_json = orjson.loads(run(db, "timeline", "name:jack w rae", "--json").output)
    totals = as_json["totals"]
    assert timeline.output.splitlines()[0] == (
        f"Jack W. Rae (name:jack w rae): {totals['works']} works, {totals['coauthors']} "
        "co-authors, 0 topics")
    rows = [line.split()[:4] for line in timeline.output.splitlines()[2:]]
    assert rows == [[str(v) for v in row] for row in zip(
        as_json["years"], as_json["works"], as_json["new_coauthors"],
        as_json["coauthors_total"], strict=True)]
    assert as_json["years"] == [2021, 2022] and sum(as_json["works"]) == 4
    view = run(db, "overview", "--top", "3")
    assert view.exit_code == 0, view.output
    assert "components: 1; the largest has 101 authors, 100.0% of authors" in view.output
    assert "strongest pairs:" in view.output
    skipped = run(db, "overview", "--max-pairs", "10")
    assert "components: not counted: the graph has 3,572 co-author pairs" in skipped.output
    assert orjson.loads(run(db, "overview", "--json").output)["counts"]["authors"] == 101


def test_errors_are_one_line(db, tmp_path):
    for args, words in ((("author", "name:nobody"), "no author has the id 'name:nobody'"),
                        (("timeline", "name:nobody"), "no author has the id"),
                        (("author", SIMONYAN, "--resolution", "0"), "--resolution"),
                        (("author", SIMONYAN, "--export", str(tmp_path / "x.csv")),
                         "name a .graphml or .gexf file")):
        result = run(db, *args)
        assert result.exit_code != 0 and words in result.output, result.output
        assert "Traceback" not in result.output
