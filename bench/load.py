"""Incremental load benchmark: a synthetic corpus through GraphWriter batches (the path
every load after the first takes), with --query-times showing each named write query's share.

    python bench/load.py --authorships 1000000 [--db PATH] [--batch 2000] [--query-times]

LadybugDB by default (the database at --db is deleted first); Neo4j when NEO4J_URI is
set, in which case nothing is cleared and the target database should be empty.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from itertools import islice
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate_works, parse_count
from bench.machine import remove_db
from explorer.settings import load_config
from explorer.store import GraphStore, open_store
from explorer.store.base import NamedTransaction
from explorer.writer import GraphWriter, WriteSummary

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTS = {
    "Author": "MATCH (n:Author) RETURN count(*) AS n",
    "Paper": "MATCH (n:Paper) RETURN count(*) AS n",
    "Topic": "MATCH (n:Topic) RETURN count(*) AS n",
    "Institution": "MATCH (n:Institution) RETURN count(*) AS n",
    "AUTHORED": "MATCH ()-[e:AUTHORED]->() RETURN count(*) AS n",
    "COAUTHORED_WITH": "MATCH ()-[e:COAUTHORED_WITH]->() RETURN count(*) AS n",
    "AFFILIATED_WITH": "MATCH ()-[e:AFFILIATED_WITH]->() RETURN count(*) AS n",
}


class QueryTimer:
    """Wall time per named query, collected by wrapping NamedTransaction.run."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.rows: dict[str, int] = defaultdict(int)

    def install(self) -> None:
        original = NamedTransaction.run
        timer = self

        def timed(tx: NamedTransaction, name: str, **params: Any) -> list[dict[str, Any]]:
            started = time.perf_counter()
            try:
                return original(tx, name, **params)
            finally:
                timer.seconds[name] += time.perf_counter() - started
                timer.calls[name] += 1
                timer.rows[name] += sum(len(v) for v in params.values() if isinstance(v, list))

        NamedTransaction.run = timed  # type: ignore[method-assign]

    def report(self, total: float, generating: float) -> str:
        """A table of the named queries by time, with the rest of the wall time."""
        lines = [f"{'query':34} {'calls':>7} {'rows in':>11} {'seconds':>9} {'share':>6}"]
        for name, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1]):
            lines.append(f"{name:34} {self.calls[name]:7,} {self.rows[name]:11,} "
                         f"{seconds:9.1f} {seconds / total:6.1%}")
        for label, seconds in (
                ("(generating works)", generating),
                ("(other: commit, writer Python)",
                 total - generating - sum(self.seconds.values()))):
            lines.append(f"{label:34} {'':7} {'':11} {seconds:9.1f} {seconds / total:6.1%}")
        return "\n".join(lines)


def fresh_store(db: Path) -> GraphStore:
    """A store with the schema applied: a new LadybugDB at ``db``, or the Neo4j of the
    environment (not cleared)."""
    config = load_config({"db_path": str(db)})
    if config.engine == "neo4j":
        print(f"warning: writing to Neo4j at {config.neo4j_uri} (database "
              f"{config.neo4j_database}); nothing is cleared, it should be empty",
              file=sys.stderr)
    else:
        remove_db(db)
    store = open_store(config)
    store.init_schema()
    return store


def count(store: GraphStore, text: str) -> int:
    return int(store.engine.read(text, {}).rows[0][0])


def run(authorships: int, db: Path, batch_size: int, seed: int, query_times: bool) -> None:
    timer = QueryTimer()
    if query_times:
        timer.install()
    store = fresh_store(db)
    print(f"loading {authorships:,} authorships into {store.engine.describe()}, "
          f"batches of {batch_size} works", flush=True)
    writer = GraphWriter(store)
    summary = WriteSummary()
    started = time.perf_counter()
    generating = 0.0
    works = generate_works(authorships, seed)
    next_report = 100_000
    while True:
        mark = time.perf_counter()
        batch = list(islice(works, batch_size))
        generating += time.perf_counter() - mark
        if not batch:
            break
        summary.add(writer.write(batch))
        if summary.authorships >= next_report or summary.authorships == authorships:
            elapsed = time.perf_counter() - started
            print(f"  {summary.authorships:>11,} authorships  {elapsed:7.1f}s  "
                  f"{summary.authorships / elapsed:8,.0f}/s", flush=True)
            next_report = (summary.authorships // 100_000 + 1) * 100_000
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"done: {elapsed:.1f}s total ({generating:.1f}s generating), "
          f"{summary.authorships / elapsed:,.0f} authorships/s, peak RSS {peak_mb:,.0f} MB")
    print(f"writer: {summary}")
    print("store: " + ", ".join(f"{label} {count(store, text):,}"
                                for label, text in COUNTS.items()))
    if query_times:
        print(timer.report(elapsed, generating))
    store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorships", type=parse_count, required=True,
                        help="how many authorships to load (e.g. 100000, 100k, 1M)")
    parser.add_argument("--db", type=Path, help="LadybugDB path, deleted first; default "
                        "bench/data/synth-<N>-writer.lbdb (bulk_load.py keeps synth-<N>.lbdb)")
    parser.add_argument("--batch", type=int, default=2000, help="works per transaction")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--query-times", action="store_true",
                        help="time every named write query and print a table at the end")
    args = parser.parse_args(argv)
    db = args.db or DATA_DIR / f"synth-{args.authorships}-writer.lbdb"
    run(args.authorships, db, args.batch, args.seed, args.query_times)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
