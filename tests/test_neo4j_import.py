"""CSV for `neo4j-admin database import full`: headers in the import tool's documented
syntax, the same graph as a bulk load into LadybugDB, and the command to run."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from explorer.cli import cli
from explorer.loading import load_paths
from explorer.model import NODE_PROPERTIES, RELATIONSHIPS
from explorer.neo4j_import import ARRAY_DELIMITER, BadValue, write_csv
from tests.conftest import fresh_store

SAMPLE = Path(__file__).parent / "data" / "openalex" / "openalex-local_sample_works.jsonl.gz"
# The header syntax of the import tool's manual: <name>:<field_type>, where the type is a
# property type (optionally an array, with []), or ID / START_ID / END_ID with an id space.
FIELD = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)?:(?P<type>"
                   r"(?:int|long|float|double|boolean|byte|short|char|string)(?:\[\])?"
                   r"|(?:ID|START_ID|END_ID)\((?P<space>[A-Za-z]+)\))$")
TYPES = {"STRING": "string", "INT64": "long", "DOUBLE": "double", "STRING[]": "string[]"}


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("neo4j-csv")
    with fresh_store("ladybug", out / "scratch") as scratch, \
            fresh_store("ladybug", out / "graph") as graph:
        report = load_paths(scratch, "openalex", [SAMPLE], progress=False,
                            neo4j_csv=out / "csv")
        assert all(row["total"] == 0 for row in scratch.query("graph_stats"))
        load_paths(graph, "openalex", [SAMPLE], progress=False, bulk=True)
        yield report, graph


def test_headers_follow_the_import_tools_syntax_and_the_model(exported):
    report, _ = exported
    assert set(report.files) == {*NODE_PROPERTIES} - {"Alias"} | {*RELATIONSHIPS}
    for table, path in report.files.items():
        fields = [FIELD.match(f) for f in read(path)[0]]
        assert all(fields), f"{table}: {read(path)[0]}"
        if table in NODE_PROPERTIES:
            assert [f["type"] for f in fields if f["type"].startswith("ID")] == [f"ID({table})"]
            expected = NODE_PROPERTIES[table]
        else:
            start, end, expected = RELATIONSHIPS[table]
            assert [f["type"] for f in fields[:2]] == [f"START_ID({start})", f"END_ID({end})"]
            fields = fields[2:]
        properties = {f["name"]: f["type"] for f in fields if not f["type"].startswith("ID")}
        assert properties == {n: TYPES[k] for n, k in expected.items() if n != "id"}


def test_rows_are_the_graph_a_bulk_load_builds(exported):
    report, graph = exported
    header, rows = read(report.files["Author"])
    variants = header.index("name_variants:string[]")
    authors = {r[0]: r[variants].split(ARRAY_DELIMITER) for r in rows}
    stored = {r[0]: r[1] for r in graph.engine.read(
        "MATCH (a:Author) RETURN a.id, a.name_variants", {}).rows}
    assert authors == stored and len(authors) > 300
    _, pairs = read(report.files["COAUTHORED_WITH"])
    stored_pairs = {(a, b): w for a, b, w in graph.engine.read(
        "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) RETURN a.id, b.id, e.weight",
        {}).rows}
    assert {(a, b): int(w) for a, b, w, *_ in pairs} == stored_pairs
    for table in ("Paper", "AUTHORED", "HAS_TOPIC", "AFFILIATED_WITH"):
        assert len(read(report.files[table])[1]) == graph.engine.read(
            f"MATCH ()-[r:{table}]->() RETURN count(*)" if table in RELATIONSHIPS
            else f"MATCH (n:{table}) RETURN count(*)", {}).rows[0][0]


def test_a_value_holding_the_array_delimiter_is_refused(tmp_path):
    table = pa.table({name: pa.array([], pa.list_(pa.string()) if kind == "STRING[]" else
                                      pa.int64() if kind == "INT64" else pa.string())
                      for name, kind in NODE_PROPERTIES["Author"].items()})
    row = {"id": ["x"], "name": ["A"], "orcid": [None],
           "name_variants": [["A", f"B{ARRAY_DELIMITER}C"]], "search_key": [""],
           "paper_count": [1], "name_key": ["a"]}
    pq.write_table(pa.Table.from_pydict(row, schema=table.schema), tmp_path / "a.parquet")
    with pytest.raises(BadValue, match=r"Author\.name_variants"):
        write_csv("Author", [tmp_path / "a.parquet"], tmp_path)


def _export_csv(tmp_path: Path, source: str, path: Path) -> tuple[str, Path]:
    """`export-neo4j-csv SOURCE PATH`: its output, and the folder of the CSV files."""
    out = tmp_path / "csv"
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "unused.lbdb"),
                                      "export-neo4j-csv", source, str(path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return result.output, out


def test_cli_prints_the_import_command(tmp_path):
    output, out = _export_csv(tmp_path, "openalex", SAMPLE)
    assert ("neo4j-admin database import full neo4j --overwrite-destination=true "
            "--array-delimiter=U+001F") in output
    assert "replaces whatever the database holds" in output
    assert f"--nodes=Author={out / 'Author.csv'}" in output
    assert f"--relationships=COAUTHORED_WITH={out / 'COAUTHORED_WITH.csv'}" in output
    assert not (tmp_path / "unused.lbdb").exists(), "no database is made"


def test_files_without_topics_or_affiliations_leave_those_tables_out(tmp_path):
    """demo.bib has neither: the command was an IndexError; now it names no empty files."""
    from explorer.cli import DEMO_FILE

    output, out = _export_csv(tmp_path, "bibtex", DEMO_FILE)
    assert "--relationships=AUTHORED=" in output
    assert "HAS_TOPIC" not in output and "AFFILIATED_WITH" not in output
    with (out / "Paper.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5 and rows[0]["publication_date:string"] == "2022-04-29"
    assert rows[0]["abstract:string"].startswith("Building models that can be rapidly")
