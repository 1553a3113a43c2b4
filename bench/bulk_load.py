"""Bulk-load benchmark: a synthetic corpus into a new LadybugDB through explorer.bulk.

    python bench/bulk_load.py --authorships 10M [--db PATH]

Times the phases (generating and collecting works, deriving the tables, the engine's COPY),
reports authorships/s and peak memory, and records them in bench/RESULTS.md. The database
is kept for bench/queries.py.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate_works, parse_count
from bench.machine import append_results
from explorer.bulk import BulkImporter
from explorer.graph import Graph
from explorer.settings import load_config
from explorer.store import open_store

DATA_DIR = Path(__file__).resolve().parent / "data"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorships", type=parse_count, required=True)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    db = args.db or DATA_DIR / f"synth-{args.authorships}.lbdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)

    started = time.perf_counter()
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""})) as store:
        store.init_schema()
        importer = BulkImporter(store)
        importer.add(generate_works(args.authorships, seed=args.seed))
        collected = time.perf_counter()
        tables = importer._tables()
        derived = time.perf_counter()
        store.engine.copy_tables(tables)
        copied = time.perf_counter()
        stats = Graph(store).stats()
    total = copied - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = stats["authorships"] / total
    phases = (f"generate + collect {collected - started:.1f} s, derive tables "
              f"{derived - collected:.1f} s, COPY {copied - derived:.1f} s")
    print(f"{stats}\n{total:.1f} s ({phases}); {rate:,.0f} authorships/s; "
          f"peak RSS {peak:,.0f} MiB")
    if args.no_record:
        return
    command = "python bench/bulk_load.py " + " ".join(sys.argv[1:] if argv is None else argv)
    append_results(f"Bulk load: synthetic {args.authorships:,} authorships, LadybugDB", [
        f"- command: `{command}` (seed {args.seed})",
        "- corpus: " + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in stats.items()),
        f"- wall time {total:.1f} s: {phases}",
        f"- **{rate:,.0f} authorships/s** end to end (generation included); "
        f"peak RSS {peak:,.0f} MiB",
    ])


if __name__ == "__main__":
    main()
