"""A load killed half-way (SIGKILL, no clean-up) and run again ends with the same graph as
one clean load: whole batches only, and identity decisions repeat."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson

DATA = Path(__file__).parent / "data" / "arxiv" / "arxiv-snapshot-0704.jsonl"
AUTHORSHIPS = ("MATCH (a:Author)-[r:AUTHORED]->(p:Paper) "
               "RETURN a.id AS a, p.id AS p, r.position AS n ORDER BY p.id, n")
EDGES = ("MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) "
         "RETURN a.id AS a, b.id AS b, e.weight AS w ORDER BY a.id, b.id")


def command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "explorer", "--db", str(db), *args]


def environment() -> dict[str, str]:
    return {**os.environ, "NEO4J_URI": "", "COAUTHOR_EXPLORER_WRITE_BATCH": "1",
            "COAUTHOR_EXPLORER_MAX_ROWS": "100000"}


def graph(db: Path) -> tuple:
    def rows(cypher: str) -> list:
        out = subprocess.run(command(db, "query", cypher, "--format", "json"), check=True,
                             capture_output=True, env=environment()).stdout
        return orjson.loads(out)

    stats = orjson.loads(subprocess.run(command(db, "stats", "--format", "json"), check=True,
                                        capture_output=True, env=environment()).stdout)
    return stats, rows(AUTHORSHIPS), rows(EDGES)


def kill_after_first_commit(db: Path) -> int:
    """Start a load in batched transactions (a first load is a bulk load unless told),
    SIGKILL it as soon as a transaction has reached the write-ahead log."""
    process = subprocess.Popen(command(db, "load", "--no-bulk", "arxiv", str(DATA)),
                               env=environment(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wal = Path(f"{db}.wal")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 64 * 1024:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.005)
    return process.wait()


def test_a_killed_load_run_again_equals_one_clean_load(tmp_path):
    """The clean load is a bulk load (the database is empty); the killed one and its
    resumption write batches: the graphs are the same."""
    clean = tmp_path / "clean.lbdb"
    subprocess.run(command(clean, "load", "arxiv", str(DATA)), check=True, env=environment(),
                   capture_output=True)
    expected = graph(clean)

    resumed = tmp_path / "resumed.lbdb"
    assert kill_after_first_commit(resumed) == -signal.SIGKILL, "the load was not cut short"
    partial = graph(resumed)[0]
    assert 0 < partial["papers"] < expected[0]["papers"], partial
    subprocess.run(command(resumed, "load", "arxiv", str(DATA)), check=True,
                   env=environment(), capture_output=True)
    assert graph(resumed) == expected
