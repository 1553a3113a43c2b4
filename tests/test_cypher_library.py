"""The named query library: documented, parameterised, and valid Neo4j 5 Cypher."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from explorer.paths import CYPHER_DIR
from explorer.queries import ENGINES, QueryLibrary

LINT_DIR = Path(__file__).resolve().parent.parent / "tools" / "cypher-lint"
REQUIRED = {
    "author_profile", "author_works", "author_collaborators", "slice_neighbours",
    "slice_edges", "collaboration_path", "search_authors", "paper", "topic", "institution",
    "graph_stats",
}


@pytest.mark.parametrize("engine", ENGINES)
def test_every_query_is_described_and_declares_its_parameters(engine):
    library = QueryLibrary(engine)
    assert set(library.names()) >= REQUIRED
    for name in library.names():
        query = library[name]
        assert query.description, f"{name} needs a description comment"
        assert "{" not in name and "%" not in query.text, "no string formatting"


def test_per_engine_files_only_where_dialects_differ():
    specific = {p.stem for engine in ENGINES for p in (CYPHER_DIR / engine).glob("*.cypher")}
    assert specific == {"schema", "schema_objects", "collaboration_path",
                        "index_authors", "index_coauthor_edges", "index_author_offset",
                        "index_author_count", "index_authored", "index_paper_topics",
                        "index_topics", "index_paper_titles", "index_papers"}
    for engine in ENGINES:
        assert (CYPHER_DIR / engine / "schema.cypher").exists()


def test_read_queries_exclude_writes():
    library = QueryLibrary("ladybug")
    names = {q.name for q in library.read_queries()}
    assert "author_profile" in names
    assert not any(n.startswith("write/") or n == "schema" for n in names)


def test_neo4j_dialect_files_pass_neo4j_linter():
    """Every file Neo4j runs (portable and Neo4j-only) through @neo4j-cypher/language-support."""
    if not (LINT_DIR / "node_modules").is_dir() or not shutil.which("node"):
        if os.environ.get("CI"):
            pytest.fail("the Cypher linter is not installed: run `npm ci` in tools/cypher-lint")
        pytest.skip("run `npm ci --prefix tools/cypher-lint` to lint the Cypher files")
    targets = [CYPHER_DIR, CYPHER_DIR / "neo4j", CYPHER_DIR / "write"]
    result = subprocess.run(["node", "lint.mjs", *map(str, targets)], cwd=LINT_DIR,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ", 0 errors" in result.stdout
