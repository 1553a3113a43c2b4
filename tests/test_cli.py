"""The coauthor-explorer command, run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from explorer.cli import DEMO_FILE, DEMO_OPENALEX_FILE, cli


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def db(tmp_path, runner):
    path = tmp_path / "cli.lbdb"
    result = runner.invoke(cli, ["--db", str(path), "load", "bibtex", str(DEMO_FILE)])
    assert result.exit_code == 0, result.output
    assert "5 created" in result.output and "101 created" in result.output
    return path


def run(runner, db, *args):
    return runner.invoke(cli, ["--db", str(db), *args], env={"NEO4J_URI": ""})


def test_init_and_stats(runner, tmp_path):
    path = tmp_path / "new.lbdb"
    assert "ready: LadybugDB" in run(runner, path, "init").output
    assert run(runner, path, "init").exit_code == 0
    stats = orjson.loads(run(runner, path, "stats", "--format", "json").output)
    assert stats == {"authors": 0, "papers": 0, "topics": 0, "institutions": 0,
                     "authorships": 0, "coauthor_pairs": 0}


def test_a_first_load_is_a_bulk_load_and_later_ones_are_batched(runner, tmp_path):
    path = tmp_path / "auto.lbdb"
    first = run(runner, path, "load", "bibtex", str(DEMO_FILE))
    assert first.exit_code == 0, first.output
    assert "the database is empty: a bulk load" in first.output
    assert "bulk phases" in first.output
    second = run(runner, path, "load", "openalex", str(DEMO_OPENALEX_FILE))
    assert second.exit_code == 0, second.output
    assert "bulk" not in second.output, "the graph holds data: batched transactions"
    stats = orjson.loads(run(runner, path, "stats", "--format", "json").output)
    assert stats["papers"] == 5 + 100


def test_load_twice_changes_nothing(runner, db):
    result = run(runner, db, "load", "bibtex", str(DEMO_FILE))
    assert "0 created, 0 updated, 5 unchanged" in result.output
    assert orjson.loads(run(runner, db, "stats", "--format", "json").output)["papers"] == 5


def test_bulk_load_matches_and_refuses_a_graph_with_data(runner, db, tmp_path):
    batched_db, bulk_db = tmp_path / "batched.lbdb", tmp_path / "bulk.lbdb"
    result = run(runner, bulk_db, "load", "--bulk", "bibtex", str(DEMO_FILE))
    assert result.exit_code == 0 and "3,572 created" in result.output
    batched = run(runner, batched_db, "load", "--no-bulk", "bibtex", str(DEMO_FILE))
    assert batched.exit_code == 0 and "3,572 created" in batched.output
    assert "bulk phases" not in batched.output and "bulk load" not in batched.output
    stats = [orjson.loads(run(runner, path, "stats", "--format", "json").output)
             for path in (batched_db, bulk_db)]
    assert stats[0] == stats[1]
    again = run(runner, bulk_db, "load", "--bulk", "bibtex", str(DEMO_FILE))
    assert again.exit_code == 1 and "needs an empty graph" in again.output


def test_query_formats_and_parameters(runner, db):
    text = "MATCH (a:Author) WHERE a.name = $name RETURN a.id AS id, a.paper_count AS works"
    table = run(runner, db, "query", text, "-p", "name=Karen Simonyan")
    assert "name:karen simonyan" in table.output and "(1 rows)" in table.output
    as_json = orjson.loads(run(runner, db, "query", text, "-p", "name=Karen Simonyan",
                               "--format", "json").output)
    assert as_json["rows"] == [{"id": "name:karen simonyan", "works": 5}]
    as_csv = run(runner, db, "query", text, "-p", "name=Karen Simonyan", "--format", "csv")
    assert as_csv.output.splitlines() == ["id,works", "name:karen simonyan,5"]
    capped = run(runner, db, "query", "MATCH (a:Author) RETURN a.id", "--max-rows", "3")
    assert "(3 rows, truncated at the row cap)" in capped.output


def test_query_refuses_writes_and_reports_errors_in_one_line(runner, db):
    for statement in ("CREATE (:Author {id: 'x'})", "MATCH (a:Author) DETACH DELETE a"):
        result = run(runner, db, "query", statement)
        assert result.exit_code == 1
        assert "read-only" in result.output and "Traceback" not in result.output
    bad = run(runner, db, "query", "MATCH (a:Author RETURN a")
    assert bad.exit_code == 1 and "Parser exception" in bad.output
    assert orjson.loads(run(runner, db, "stats", "--format", "json").output)["authors"] == 101


def test_bad_input_is_reported_and_the_rest_loads(runner, tmp_path):
    broken = tmp_path / "broken.bib"
    broken.write_text("@misc{ok, title = {Fine}, author = {A. Person and B. Person}, "
                      "year = {2020}}\n@misc{notitle, author = {C. Person}, year = {2020}}\n",
                      encoding="utf-8")
    wrong = tmp_path / "wrong.bib"
    wrong.write_text("TY  - JOUR\nTI  - Not BibTeX\nER  - \n", encoding="utf-8")
    rejects = tmp_path / "rejects.txt"
    result = run(runner, tmp_path / "x.lbdb", "load", "bibtex", str(broken), str(wrong),
                 str(tmp_path / "missing.bib"), "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert "1 created" in result.output
    report = rejects.read_text(encoding="utf-8")
    assert "broken.bib: entry notitle (line 2): no title" in report
    assert "wrong.bib: file: no BibTeX entries" in report
    assert "missing.bib: no such file" in report


def _cli(*args, env=None):
    return subprocess.run([sys.executable, "-m", "explorer", *args], capture_output=True,
                          text=True, env={**os.environ, "NEO4J_URI": "", **(env or {})},
                          timeout=120)


def test_connection_problems_are_one_line_messages(tmp_path, db):
    neo = _cli("--neo4j-uri", "bolt://127.0.0.1:1", "stats")
    assert neo.returncode == 1 and "cannot reach Neo4j at bolt://127.0.0.1:1" in neo.stderr
    assert "Traceback" not in neo.stderr
    missing = _cli("--db", str(tmp_path / "none.lbdb"), "query", "RETURN 1")
    assert "no database at" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "a-file").write_text("")
    not_a_dir = _cli("--db", str(tmp_path / "a-file" / "g.lbdb"), "init")
    assert not_a_dir.returncode == 1 and "cannot open the database" in not_a_dir.stderr
    assert "Traceback" not in not_a_dir.stderr
    (tmp_path / "ro").mkdir(mode=0o500)
    if os.geteuid() != 0:  # root ignores permissions
        denied = _cli("--db", str(tmp_path / "ro" / "g.lbdb"), "init")
        assert "cannot open the database" in denied.stderr
    holder = subprocess.Popen([sys.executable, "-c",
                               "import ladybug, sys, time; db = ladybug.Database(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(db)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        locked = _cli("--db", str(db), "init")  # a writer (stats reads, read-only)
        assert locked.returncode == 1
        assert "in use by another process" in locked.stderr and "Traceback" not in locked.stderr
    finally:
        holder.kill()
    bad_setting = _cli("stats", env={"COAUTHOR_EXPLORER_MAX_ROWS": "lots"})
    assert "setting max_rows (environment variable COAUTHOR_EXPLORER_MAX_ROWS)" in \
        bad_setting.stderr


def test_loading_imports_no_graph_drawing_libraries(tmp_path):
    """A load (and every command that is not analyze or export) starts without networkx,
    scipy, igraph or pyvis: they cost more than a small load itself."""
    db = tmp_path / "start.lbdb"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "explorer", "--db", str(db), "load",
         "pubmed", str(Path(__file__).parent / "data" / "pubmed" / "pubmed-29768149.xml")],
        capture_output=True, text=True, env={**os.environ, "NEO4J_URI": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()
                if line.startswith("import time:")}
    assert "explorer.loading" in imported, "the import log is read"
    assert not imported & {"networkx", "scipy", "igraph", "pyvis"}
    listed = subprocess.run([sys.executable, "-m", "explorer", "--help"], capture_output=True,
                            text=True)
    assert "analyze" in listed.stdout and "export " in listed.stdout, "lazy commands listed"


def test_a_load_leaves_what_it_made_out_of_shutdown_collections(tmp_path):
    """After a load the name caches hold hundreds of thousands of objects; the process
    freezes them at exit, so interpreter shutdown does not walk them (bench/RESULTS.md).
    Other commands (a server's store is closed by those collections) do not."""
    code = ("import atexit, gc, sys\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count()))\n"
            "from explorer.cli import main\n"
            "sys.argv = ['coauthor-explorer', '--db', *sys.argv[1:]]\n"
            "main()\n")
    db = str(tmp_path / "end.lbdb")

    def frozen(*args: str) -> int:
        done = subprocess.run([sys.executable, "-c", code, db, *args], capture_output=True,
                              text=True, env={**os.environ, "NEO4J_URI": ""}, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        return int(done.stdout.rsplit("frozen ", 1)[1].split()[0])

    assert frozen("load", "bibtex", str(DEMO_FILE), str(DEMO_FILE)) > 10_000
    assert frozen("stats") == 0


def test_analysis_download_formats_are_the_exporters():
    from explorer.analytics.export import FORMATS
    from explorer.views.analytics import GRAPH_FORMATS

    assert tuple(FORMATS) == GRAPH_FORMATS


def test_the_rejects_file_is_never_an_input_and_must_be_writable(runner, tmp_path):
    """--rejects naming a file to load would empty it before it is read; a rejects path
    that cannot be written is a one-line error, before any database is made."""
    ris = tmp_path / "input.ris"
    ris.write_text("TY  - JOUR\nTI  - A title\nAU  - Smith, Ann\nPY  - 2020\nER  - \n",
                   encoding="utf-8")
    before = ris.read_bytes()
    db = tmp_path / "graph.lbdb"
    result = run(runner, db, "load", "--rejects", str(ris), "ris", str(ris))
    assert result.exit_code == 2 and "is one of the files to load" in result.output
    assert ris.read_bytes() == before and not db.exists()
    result = run(runner, db, "load", "--rejects", str(tmp_path / "no" / "dir" / "r.txt"),
                 "ris", str(ris))
    assert result.exit_code == 1 and "cannot write the rejects file" in result.output
    assert "Traceback" not in result.output and not db.exists()


def test_a_load_that_loads_nothing_exits_with_status_1(runner, tmp_path):
    (tmp_path / "empty.ris").write_text("", encoding="utf-8")
    result = run(runner, tmp_path / "g.lbdb", "load", "ris", str(tmp_path / "missing.ris"),
                 str(tmp_path / "empty.ris"))
    assert result.exit_code == 1, result.output
    assert "nothing was loaded" in result.output and "records read      0" in result.output


def test_stats_of_a_mistyped_path_makes_no_database(runner, tmp_path):
    missing = tmp_path / "no" / "such" / "graph.lbdb"
    result = run(runner, missing, "stats")
    assert result.exit_code == 1
    assert f"no database at {missing}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "no").exists()


def test_the_demo_keeps_to_a_database_of_its_own(runner, tmp_path, monkeypatch):
    import werkzeug.serving

    served = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *a, **k: served.append(a))
    mine = tmp_path / "coauthor-explorer" / "graph.lbdb"
    assert run(runner, mine, "load", "bibtex", str(DEMO_FILE)).exit_code == 0
    env = {"NEO4J_URI": "", "COAUTHOR_EXPLORER_DB": "", "XDG_DATA_HOME": str(tmp_path)}
    result = runner.invoke(cli, ["demo", "--port", "5999"], env=env)
    assert result.exit_code == 0, result.output
    demo_db = tmp_path / "coauthor-explorer" / "demo.lbdb"
    assert f"serving LadybugDB 0.22.0 at {demo_db}" in result.output or \
        str(demo_db) in result.output
    assert served and served[0][1] == 5999
    again = runner.invoke(cli, ["demo", "--port", "5999"], env=env)
    assert again.exit_code == 0, again.output  # its own graph: loaded again, unchanged
    counts = orjson.loads(run(runner, demo_db, "stats", "--format", "json").output)
    assert counts["papers"] == 105, "the seed's 5 papers and 100 OpenAlex works"
    assert orjson.loads(run(runner, mine, "stats", "--format", "json").output)["papers"] == 5


def test_the_demo_refuses_to_mix_into_someone_elses_graph(runner, tmp_path):
    theirs = tmp_path / "theirs.lbdb"
    assert run(runner, theirs, "load", "openalex", str(DEMO_OPENALEX_FILE)).exit_code == 0
    before = run(runner, theirs, "stats", "--format", "json").output
    result = run(runner, theirs, "demo", "--port", "5999")
    assert result.exit_code == 1
    assert "already holds a graph that is not the demo's" in result.output
    assert run(runner, theirs, "stats", "--format", "json").output == before
