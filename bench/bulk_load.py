"""Bulk-load benchmark: OpenAlex JSON Lines written by bench/generate.py, loaded by
`coauthor-explorer load --bulk openalex FILE` into a new database, timed as a whole.

    python bench/bulk_load.py --corpus /work/bench-data/synth-10M.jsonl --label "synthetic 10M"
    python bench/bulk_load.py --authorships 1M     # writes bench/data/synth-1000000.jsonl first

The corpus file is written once (untimed) and reused. The load runs in its own
subprocess, exactly as a user runs it: wall time, the process's peak RSS and the peak of
the process and its parsing workers together (sampled), the phases the load reports, and
the 1-minute load average before and after. LadybugDB always; Neo4j too when NEO4J_URI is
set and its database is empty, or emptied with --neo4j-clear (the same command writes
batched UNWIND transactions there); otherwise the record says why Neo4j was skipped.
Results go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate_works, parse_count, write_openalex_jsonl
from bench.machine import (
    Measured,
    append_results,
    load_average,
    neo4j_ready,
    remove_db,
    run_measured,
)
from explorer.records import Work

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "bench" / "data"


def written_once(path: Path, works: Callable[[], Iterable[Work]]) -> Path:
    """``path``, written as OpenAlex JSON Lines from ``works()`` if it is missing (through a
    ``.partial`` file, so an interrupted run leaves no half corpus under its name)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        write_openalex_jsonl(works(), partial)
        partial.rename(path)
    return path


def corpus_file(authorships: int, seed: int, directory: Path) -> Path:
    """The generator's OpenAlex JSON Lines for this size and seed, written if missing."""
    return written_once(directory / f"synth-{authorships}-seed{seed}.jsonl",
                        lambda: generate_works(authorships, seed=seed))


def cli_env(engine: str, buffer_pool_mb: int) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        "COAUTHOR_EXPLORER_BUFFER_POOL_MB": str(buffer_pool_mb)}
    if engine == "ladybug":
        env.pop("NEO4J_URI", None)
    return env


def cli(db: Path | None, *args: str) -> list[str]:
    return [sys.executable, "-m", "explorer", *(["--db", str(db)] if db else []), *args]


def stats(engine: str, db: Path | None, log: Path, buffer_pool_mb: int) -> dict[str, int]:
    run = run_measured(cli(db, "stats", "--format", "json"), cli_env(engine, buffer_pool_mb),
                       log, ROOT)
    if run.status:
        raise SystemExit(f"stats failed ({log}):\n{run.output[-2000:]}")
    return json.loads(run.output.strip().splitlines()[-1])


def load(engine: str, db: Path | None, corpus: Path, workdir: Path, buffer_pool_mb: int,
         workers: int | None) -> tuple[Measured, dict[str, int]]:
    if db is not None:
        remove_db(db)
    env = cli_env(engine, buffer_pool_mb)
    args = ["load", "--bulk", *(["--workers", str(workers)] if workers else []),
            "openalex", str(corpus)]
    run = run_measured(cli(db, *args), env, workdir / f"load-{engine}.log", ROOT)
    if run.status:
        raise SystemExit(f"the {engine} load failed (log in {workdir}):\n{run.output[-3000:]}")
    return run, stats(engine, db, workdir / f"stats-{engine}.log", buffer_pool_mb)


def phases(output: str) -> str:
    found = re.search(r"^bulk phases\s+(.*)$", output, re.M)
    return found.group(1) if found else "(the writer: no bulk phases)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--corpus", type=Path, help="OpenAlex JSON Lines (.jsonl or .gz)")
    source.add_argument("--authorships", type=parse_count,
                        help="generate this many authorships (once) and load them")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--label", help="how RESULTS.md names the corpus")
    parser.add_argument("--db", type=Path, help="LadybugDB file (replaced; default: a "
                        "file next to the corpus)")
    parser.add_argument("--buffer-pool-mb", type=int, default=0,
                        help="LadybugDB buffer pool, MiB (0: the engine's default)")
    parser.add_argument("--workers", type=int, help="parsing processes (default: per core)")
    parser.add_argument("--workdir", type=Path, default=DATA_DIR / "bulk-load")
    parser.add_argument("--neo4j-clear", action="store_true",
                        help="empty the Neo4j database (NEO4J_URI) before its load")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus or corpus_file(args.authorships, args.seed, args.workdir)
    label = args.label or (f"synthetic {args.authorships:,} authorships (seed {args.seed})"
                           if args.authorships else corpus.name)
    db = args.db or corpus.with_name(corpus.name.split(".")[0] + ".lbdb")

    # Checked before any load: a bulk load needs an empty graph, and a skip loses nothing.
    neo4j_skipped = neo4j_ready(args.neo4j_clear)
    if neo4j_skipped and os.environ.get("NEO4J_URI"):
        print(f"Neo4j skipped: {neo4j_skipped}", flush=True)
    engines = ["ladybug"] + ([] if neo4j_skipped else ["neo4j"])
    before = load_average()
    runs = {engine: load(engine, db if engine == "ladybug" else None, corpus, args.workdir,
                         args.buffer_pool_mb, args.workers)
            for engine in engines}
    after = load_average()

    given = sys.argv[1:] if argv is None else argv
    lines = [
        f"- command: `python bench/bulk_load.py {shlex.join(given)}`"
        f" (each load: `coauthor-explorer load --bulk openalex {corpus.name}` in a new "
        f"process, COAUTHOR_EXPLORER_BUFFER_POOL_MB={args.buffer_pool_mb})",
        f"- corpus: {label}: {corpus} ({corpus.stat().st_size / 2**20:,.0f} MiB)",
        f"- 1-minute load average {before:.1f} before, {after:.1f} after (other work on the "
        "machine slows the figures)",
        *([f"- Neo4j skipped: {neo4j_skipped}"] if neo4j_skipped else []),
        "",
        "| engine | wall s | authorships/s | peak RSS MiB (load process) | peak RSS MiB "
        "(with workers) | phases |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for engine, (run, counts) in runs.items():
        rate = counts["authorships"] / run.wall
        lines.append(f"| {engine} | {run.wall:.1f} | {rate:,.0f} | {run.peak_rss:,.0f} | "
                     f"{run.peak_tree_rss:,.0f} | {phases(run.output)} |")
        print(f"{engine}: {counts}\n{run.wall:.1f} s, {rate:,.0f} authorships/s, peak RSS "
              f"{run.peak_rss:,.0f} MiB ({run.peak_tree_rss:,.0f} MiB with workers); "
              f"{phases(run.output)}")
    counts = runs["ladybug"][1]
    lines.insert(2, "- graph: " + ", ".join(f"{v:,} {k.replace('_', ' ')}"
                                           for k, v in counts.items()))
    if not args.no_record:
        append_results(f"Bulk load from files: {label}", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
