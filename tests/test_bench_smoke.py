"""A seconds-long run of every benchmark, so that they never rot (figures are not checked:
benchmarks measure, tests assert behaviour)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from bench import append_load, browser_draw, bulk_load, http_load, pages, queries, server_start
from bench.generate import generate_works
from bench.machine import neo4j_ready
from tests.conftest import fresh_store, settle


def test_generator_is_deterministic_and_hits_the_target():
    first = list(generate_works(2000, seed=3))
    assert sum(len(w.authors) for w in first) == 2000
    assert [w.id for w in first] == [w.id for w in generate_works(2000, seed=3)]
    assert first != list(generate_works(2000, seed=4))


def test_bulk_load_and_query_benchmarks_run(tmp_path, capsys, monkeypatch):
    db = tmp_path / "smoke.lbdb"
    bulk_load.main(["--authorships", "3k", "--db", str(db), "--workdir", str(tmp_path),
                    "--buffer-pool-mb", "256", "--no-record"])
    out = capsys.readouterr().out
    assert "authorships/s" in out and "'authorships': 3000" in out
    assert "read and collect" in out and "copy" in out, "the load reported its phases"
    assert list(tmp_path.glob("synth-3000-seed42.jsonl")), "loaded from the generator's file"
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr("bench.machine.RESULTS", results)
    queries.main(["--db", str(db), "--corpus", "smoke", "--runs", "3", "--warmup", "1",
                  "--networkx"])
    out = capsys.readouterr().out
    for name in ("slice depth 1", "collaboration path", "search_authors", "topic",
                 "author index ready in", "networkx ego_graph slice"):
        assert name in out
    section = results.read_text()  # one table, a column group per engine
    assert section.startswith("## Named query latency: smoke, LadybugDB")
    assert "| query | LadybugDB 0" in section and "| slice depth 1, 100 nodes | " in section
    if not os.environ.get("NEO4J_URI"):
        assert "Neo4j skipped: NEO4J_URI not set" in section
    figures = http_load.main(["--db", str(db), "--corpus", "smoke", "--runs", "5",
                              "--warmup", "2", "--clients", "4", "--seconds", "2"])
    assert figures["errors"] == 0 and figures["rps"] > 0
    section = results.read_text().split("## ")[-1]
    assert section.startswith("Author slice over HTTP (gunicorn): smoke, LadybugDB")
    assert "| engine | one client p50 ms |" in section and "\n| LadybugDB | " in section
    if shutil.which("chromium") and shutil.which("chromedriver"):
        times = browser_draw.main(["--db", str(db), "--corpus", "smoke", "--runs", "1",
                                   "--limit", "50", "--sample", "20", "--no-record"])
        assert len(times) == 1 and times[0] > 0
        out = capsys.readouterr().out
        for phase in ("server answered", "vis-network built its nodes and links",
                      "layout steps", "first frame drawn"):
            assert phase in out, "the draw reported its phases"
    elif os.environ.get("CI"):
        pytest.fail("CI installs chromium and chromium-driver for the browser benchmark")


def test_append_benchmark_adds_new_people_or_rewrites_papers(tmp_path, capsys, monkeypatch):
    base = tmp_path / "base.lbdb"
    bulk_load.main(["--authorships", "2k", "--db", str(base), "--workdir", str(tmp_path),
                    "--no-record"])
    before = base.read_bytes()
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr("bench.machine.RESULTS", results)
    capsys.readouterr()
    append_load.main(["--base", str(base), "--base-label", "smoke", "--authorships", "1k",
                      "--workdir", str(tmp_path), "--note", "smoke code"])
    section = results.read_text()
    assert section.startswith("## Appending to a loaded graph: smoke, smoke code")
    assert "| 3,000 (+1,000) | papers " in section and "0 updated" in section, \
        "new ids: every paper and person is new"
    append_load.main(["--base", str(base), "--authorships", "1k", "--seed", "9",
                      "--ids", "same", "--workdir", str(tmp_path), "--no-record"])
    out = capsys.readouterr().out
    assert "the base graph's first papers rewritten" in out
    assert re.search(r"papers [\d,]+ created, [1-9][\d,]* updated", out), out
    assert base.read_bytes() == before, "the base database is copied, never written"


def test_server_start_benchmark_runs_on_the_demo(demo_db, tmp_path, monkeypatch):
    db = settle(Path(shutil.copy(demo_db, tmp_path / "demo.lbdb")))
    results = tmp_path / "RESULTS.md"
    monkeypatch.setattr("bench.machine.RESULTS", results)
    runs = server_start.main(["--db", str(db), "--corpus", "demo", "--workers", "2"])
    assert [sorted(run["how"]) for run in runs] == [
        ["built and saved the author index", "mapped the saved author index"],
        ["mapped the saved author index"] * 2]
    assert all(len(run["pss"]) == 2 and min(run["pss"]) > 0 for run in runs)
    section = results.read_text()
    assert section.startswith("## Production server start: demo, LadybugDB")
    assert "\n| first start | " in section and "\n| restart | " in section


def test_pages_benchmark_runs_on_the_demo(capsys):
    pages.main(["--runs", "2", "--warmup", "1", "--no-record"])
    out = capsys.readouterr().out
    for case in ("profile page", "slice /api/authors", "expand 25 more"):
        assert f"{case}" in out and "| HTTP" in out


def test_neo4j_is_skipped_with_its_reason(monkeypatch):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert neo4j_ready(clear=True) == "NEO4J_URI not set"


def test_neo4j_ready_empties_the_database_only_when_asked(tmp_path):
    """The bulk benchmark needs an empty Neo4j: it says when it is not, and --neo4j-clear
    empties it in transactions of its own."""
    with fresh_store("neo4j", tmp_path) as store, store.transaction() as tx:
        tx.tx.run("UNWIND range(1, 25000) AS i CREATE (:Topic {id: 'smoke-' + toString(i)})")
    assert neo4j_ready(clear=False) == "database not empty (25,000 nodes; --neo4j-clear)"
    assert neo4j_ready(clear=True) is None
