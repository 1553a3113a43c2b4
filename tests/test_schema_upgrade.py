"""A LadybugDB file made before the papers had dates and abstracts: the app adds the columns
when it opens the file, its pages answer, and a load fills them."""

from __future__ import annotations

import re
from pathlib import Path

import ladybug

from explorer.app import create_app
from explorer.cli import DEMO_FILE
from explorer.loading import load_paths
from explorer.settings import load_config
from explorer.store import open_store
from explorer.views.health import missing_schema


def _older_schema(statements: list[str]) -> list[str]:
    """The schema as it was before ``ALTER TABLE … ADD`` statements brought new columns."""
    older = []
    for statement in statements:
        if statement.upper().startswith("ALTER TABLE"):
            continue
        older.append(statement.replace(", publication_date STRING, abstract STRING", ""))
    assert any("CREATE NODE TABLE IF NOT EXISTS Paper" in s and "abstract" not in s
               for s in older)
    return older


def _older_database(db: Path) -> None:
    config = load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})
    with open_store(config) as store:
        statements = _older_schema(store.queries["schema"].statements())
    db.unlink()
    database = ladybug.Database(str(db))
    connection = ladybug.Connection(database)
    for statement in statements:
        connection.execute(statement)
    connection.execute("CREATE (:Paper {id: 'doi:old', title: 'An old paper', year: 2001})")
    connection.close()
    database.close()


def test_an_older_database_gains_the_columns_and_a_load_fills_them(tmp_path):
    db = tmp_path / "old.lbdb"
    _older_database(db)
    config = load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})
    with open_store(config, read_only=True) as store:
        assert missing_schema(store) == ["Paper.abstract", "Paper.publication_date"]

    app = create_app(db_path=str(db), neo4j_uri="")
    client = app.test_client()
    assert client.get("/readyz").get_json()["status"] == "ready"
    page = client.get("/papers/doi:old")
    assert page.status_code == 200 and "An old paper" in page.get_data(as_text=True)
    assert client.get("/api/papers/doi:old").get_json()["abstract"] is None
    app.extensions["coauthor_store"].close()

    with open_store(config) as store:
        assert missing_schema(store) == []
        load_paths(store, "bibtex", [DEMO_FILE], progress=False)
        rows = store.engine.read(
            "MATCH (p:Paper) WHERE p.title STARTS WITH 'Flamingo' "
            "RETURN p.publication_date AS date, p.abstract AS abstract", {}).records()
    assert rows[0]["date"] == "2022-04-29"
    assert re.match(r"Building models that can be rapidly adapted", rows[0]["abstract"])


def test_a_reading_command_upgrades_an_older_database_and_makes_none(tmp_path):
    """`query` on an older file gains the columns first; `stats` on a mistyped path makes no
    database."""
    from explorer.cli import cli

    db = tmp_path / "old.lbdb"
    _older_database(db)
    app = create_app(db_path=str(db), neo4j_uri="")
    runner = app.test_cli_runner()
    result = runner.invoke(cli, ["query", "--stored", "paper", "-p", "id=doi:old",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"abstract":null' in result.output.replace(" ", "")
    missing = tmp_path / "typo.lbdb"
    app = create_app(db_path=str(missing), neo4j_uri="")
    result = app.test_cli_runner().invoke(cli, ["stats"])
    assert result.exit_code != 0 and not missing.exists()
