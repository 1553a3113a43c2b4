"""How long the production server takes to have every worker's author index ready, and the
memory its workers hold then: a first start (no saved index: one worker builds and saves it,
the others wait and map it), then a restart on the same file (every worker maps it).

    python bench/server_start.py --db bench/data/synth-10000000.lbdb --corpus "synthetic 10M"

Starts `coauthor-explorer gunicorn` (a subprocess, as in production, --workers processes)
twice on the LadybugDB file ``--db``, which it only reads (the saved index beside it,
``NAME.author-index/``, is removed before the first start and left afterwards). For each
start: seconds from launching the command until every worker has logged its index, what
each did, and each worker's resident memory then (RSS, and PSS: shared pages such as a
mapped index counted once across processes). Figures go to one table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.http_load import free_port
from bench.machine import append_results, children, load_average, memory_mib, typed_command
from explorer.settings import SETTINGS_BY_NAME
from explorer.store import index_files

INDEX_LOGGER = "explorer.store.accelerator"


def index_lines(log: Path) -> list[dict]:
    lines = []
    for text in log.read_text(errors="replace").splitlines():
        try:
            line = json.loads(text)
        except ValueError:
            continue
        if line.get("logger") == INDEX_LOGGER:
            lines.append(line)
    return lines


def start(db: Path, workers: int, log: Path, timeout: float) -> dict:
    """One start of the server until every worker has its index; its figures."""
    env = {**os.environ, "COAUTHOR_EXPLORER_DB": str(db), "NEO4J_URI": "",
           "COAUTHOR_EXPLORER_LOG_FORMAT": "json", "COAUTHOR_EXPLORER_LOG_LEVEL": "info"}
    started = time.monotonic()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "explorer", "gunicorn", "--bind",
             f"127.0.0.1:{free_port()}", "--workers", str(workers)],
            env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        while len(lines := index_lines(log)) < workers:
            if server.poll() is not None or time.monotonic() - started > timeout:
                raise SystemExit(f"the workers' indexes were not ready:\n{log.read_text()}")
            time.sleep(0.1)
        ready = time.monotonic() - started
        time.sleep(1)  # the arbiter and workers settle (a build gives memory back)
        memory = [memory_mib(pid) for pid in children(server.pid)]
    finally:
        server.terminate()
        server.wait(timeout=120)
    return {"ready": ready, "how": [line["message"].partition(":")[0] for line in lines],
            "rss": [m[0] for m in memory], "pss": [m[1] for m in memory]}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--corpus", required=True, help="what is loaded, for the record")
    parser.add_argument("--workers", type=int,
                        default=SETTINGS_BY_NAME["workers"].default_value())
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    index_files.remove(args.db)
    load_before = load_average()
    runs = []
    for name in ("first start", "restart"):
        figures = start(args.db, args.workers, args.db.with_name(f"{args.db.name}.start.log"),
                        args.timeout)
        runs.append({"name": name, **figures})
        print(f"{name}: every worker's index ready in {figures['ready']:.1f} s "
              f"({'; '.join(figures['how'])}); workers RSS "
              f"{', '.join(f'{m:,.0f}' for m in figures['rss'])} MiB, PSS "
              f"{', '.join(f'{m:,.0f}' for m in figures['pss'])} MiB", flush=True)
    saved = sum(f.stat().st_size for f in index_files.index_dir(args.db).rglob("*")
                if f.is_file()) / 2**20
    if not args.no_record:
        append_results(f"Production server start: {args.corpus}, LadybugDB", [
            f"- command: `{typed_command('server_start.py', argv)}`",
            f"- server: `coauthor-explorer gunicorn`, {args.workers} workers (each opens the "
            "file read-only); the saved author index removed before the first start; "
            f"{saved:,.0f} MiB on disk once saved",
            f"- 1-minute load average before: {load_before:.1f}, after: {load_average():.1f}",
            "",
            "| start | every worker's index ready, s | what the workers did | RSS MiB per "
            "worker | PSS MiB per worker | PSS MiB, workers together |",
            "| --- | ---: | --- | --- | --- | ---: |",
            *(f"| {r['name']} | {r['ready']:.1f} | {'; '.join(sorted(r['how']))} | "
              f"{', '.join(f'{m:,.0f}' for m in r['rss'])} | "
              f"{', '.join(f'{m:,.0f}' for m in r['pss'])} | {sum(r['pss']):,.0f} |"
              for r in runs)])
    return runs


if __name__ == "__main__":
    main()
