"""The author slice over HTTP from the production server: one client's latency, then
throughput with many concurrent clients.

    python bench/http_load.py --db bench/data/synth-10000000.lbdb --corpus "synthetic 10M"

Starts `coauthor-explorer gunicorn` on the database (a subprocess, as in production: --workers
processes, the production default unless given, each with --threads threads; with more than
one, each opens the file read-only and maps the author index saved beside it, which the
first of them builds and saves when there is none), waits until /readyz
says ready and the server's processes have stopped using the CPU (every worker's index
built), then asks for
``/api/authors/<id>/slice`` (depth 1, at most 100 people) of random authors (fixed seed):
first --runs times from one keep-alive client (p50/p95/p99), then for --seconds from
--clients concurrent keep-alive clients spread over --client-processes processes
(requests/s, errors, p50/p95). The clients run on the same machine as the server and take
CPU from it. When NEO4J_URI is set, the same requests then go to a server on Neo4j (which
must hold the same corpus, e.g. loaded by bench/bulk_load.py), in the same run. Figures go
to one table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import orjson

from bench.machine import append_results, children, memory_mib, typed_command
from bench.queries import percentile, sample_ids
from explorer.graph import Graph
from explorer.settings import SETTINGS_BY_NAME, load_config
from explorer.store import open_store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slice_paths(db: Path, count: int, seed: int) -> list[str]:
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={}),
                    read_only=True) as store:
        authors = sample_ids(Graph(store), "Author", count, random.Random(seed))
    return [f"/api/authors/{quote(a, safe=':')}/slice" for a in authors]


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by a process and its children that are still running (Linux
    /proc), or None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0.0, False
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):  # itself, or its child
            total += (int(fields[11]) + int(fields[12])) / tick
            found = True
    return total if found else None


def start_server(db: Path, port: int, threads: int, workers: int, *, engine: str = "ladybug"
                 ) -> subprocess.Popen:
    """The production server on LadybugDB (the file ``db``) or on Neo4j (NEO4J_URI and the
    other NEO4J_ settings from the environment), once ready."""
    env = {**os.environ, "COAUTHOR_EXPLORER_DB": str(db),
           "COAUTHOR_EXPLORER_LOG_LEVEL": "warning"}
    if engine == "ladybug":
        env["NEO4J_URI"] = ""
    server = subprocess.Popen(
        [sys.executable, "-m", "explorer", "gunicorn", "--bind", f"127.0.0.1:{port}",
         "--threads", str(threads), "--workers", str(workers)], env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz")
            response = connection.getresponse()
            ready = response.status == 200 and orjson.loads(response.read()).get(
                "author_index", "ready") == "ready"  # its build would take CPU from us
            if ready:
                break
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        raise SystemExit("the server did not become ready within 5 minutes")
    # /readyz answered from one worker: the others may still be building their index.
    used = cpu_seconds(server.pid)
    while used is not None and time.monotonic() < deadline:
        time.sleep(1)
        now = cpu_seconds(server.pid)
        if now is None or now - used < 0.1:
            return server
        used = now
    return server


def one_client(port: int, paths: list[str], runs: int, warmup: int) -> list[float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        connection.request("GET", paths[i % len(paths)])
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{paths[i % len(paths)]} answered {response.status}")
        if i >= warmup:
            samples.append((time.perf_counter() - start) * 1000)
    connection.close()
    return samples


def _client_process(port: int, paths: list[str], clients: int, seconds: float,
                    seed: int, out: multiprocessing.Queue) -> None:
    """``clients`` threads, each a keep-alive connection asking until time is up."""
    stop = time.monotonic() + seconds
    results: list[tuple[list[float], int]] = []

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        samples, errors = [], 0
        while time.monotonic() < stop:
            start = time.perf_counter()
            try:
                connection.request("GET", rng.choice(paths))
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                samples.append((time.perf_counter() - start) * 1000)
            else:
                errors += 1
        results.append((samples, errors))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(([s for samples, _ in results for s in samples],
             sum(errors for _, errors in results)))


def many_clients(port: int, paths: list[str], clients: int, processes: int,
                 seconds: float, seed: int) -> tuple[list[float], int, float]:
    queue: multiprocessing.Queue = multiprocessing.Queue()
    share = [clients // processes + (i < clients % processes) for i in range(processes)]
    workers = [multiprocessing.Process(target=_client_process,
                                       args=(port, paths, n, seconds, seed + i, queue))
               for i, n in enumerate(share) if n]
    started = time.perf_counter()
    for w in workers:
        w.start()
    gathered = [queue.get() for _ in workers]
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    return [s for samples, _ in gathered for s in samples], \
        sum(e for _, e in gathered), elapsed


def workers_text(workers: int, engine: str) -> str:
    """How the server held the database, for the record."""
    if engine == "neo4j":
        return f"{workers} worker{'s' if workers > 1 else ''} (Neo4j, through the driver)"
    if workers == 1:
        return "1 worker (LadybugDB, read-write)"
    return (f"{workers} workers (LadybugDB, each read-only, sharing the author index saved "
            "beside the file)")


def measure(engine: str, args: argparse.Namespace, paths: list[str]) -> dict[str, float]:
    """One client, then many, against a fresh server on ``engine``."""
    port = free_port()
    server = start_server(args.db, port, args.threads, args.workers, engine=engine)
    try:
        single = one_client(port, paths, args.runs, args.warmup)
        loaded, errors, elapsed = many_clients(port, paths, args.clients,
                                               args.client_processes, args.seconds, args.seed)
        memory = [memory_mib(pid) for pid in children(server.pid)] if engine == "ladybug" \
            else []
    finally:
        server.terminate()
        server.wait(timeout=60)
    figures = {"p50": percentile(single, 50), "p95": percentile(single, 95),
               "p99": percentile(single, 99), "rps": len(loaded) / elapsed,
               "errors": errors, "loaded_p50": percentile(loaded, 50) if loaded else 0,
               "loaded_p95": percentile(loaded, 95) if loaded else 0,
               "rss": [m[0] for m in memory], "pss": [m[1] for m in memory]}
    print(f"{engine}: one client: p50 {figures['p50']:.2f} ms, p95 {figures['p95']:.2f} ms, "
          f"p99 {figures['p99']:.2f} ms; {args.clients} clients: {figures['rps']:.0f} "
          f"requests/s, {errors} errors, p50 {figures['loaded_p50']:.1f} ms, p95 "
          f"{figures['loaded_p95']:.1f} ms", flush=True)
    return figures


def main(argv: list[str] | None = None) -> dict[str, float]:
    """Measure LadybugDB (and Neo4j when NEO4J_URI is set); LadybugDB's figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--corpus", required=True, help="what is loaded, for the record")
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=16, help="server threads per worker")
    parser.add_argument("--workers", type=int,
                        default=SETTINGS_BY_NAME["workers"].default_value(),
                        help="server worker processes (default: the setting's default)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    paths = slice_paths(args.db, 200, args.seed)
    load_before = os.getloadavg()[0]
    engines = ["ladybug"] + (["neo4j"] if os.environ.get("NEO4J_URI") else [])
    measured = {engine: measure(engine, args, paths) for engine in engines}
    if not args.no_record:
        names = {"ladybug": "LadybugDB", "neo4j": "Neo4j"}
        append_results(f"Author slice over HTTP (gunicorn): {args.corpus}, "
                       + " and ".join(names[e] for e in engines), [
            f"- command: `{typed_command('http_load.py', argv)}`",
            *(f"- server on {names[e]}: `coauthor-explorer gunicorn`, "
              f"{workers_text(args.workers, e)}, {args.threads} threads each" for e in engines),
            f"- clients on the same machine ({args.client_processes} processes); 1-minute "
            f"load average before: {load_before:.1f}",
            *(["- Neo4j skipped: NEO4J_URI not set"] if len(engines) == 1 else []),
            f"- request: `/api/authors/<id>/slice` (depth 1, ≤100 people) of 200 random "
            f"authors (seed {args.seed}, the same on every engine); one client {args.runs} "
            f"runs after {args.warmup}; then {args.clients} clients for {args.seconds:.0f} s",
            "",
            f"| engine | one client p50 ms | p95 | p99 | {args.clients} clients requests/s "
            "| errors | p50 ms | p95 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(f"| {names[e]} | {f['p50']:.2f} | {f['p95']:.2f} | {f['p99']:.2f} | "
              f"{f['rps']:.0f} | {f['errors']} | {f['loaded_p50']:.1f} | "
              f"{f['loaded_p95']:.1f} |" for e, f in measured.items()),
            *(["", "Memory of the LadybugDB server's workers at the end of the run: RSS "
               + ", ".join(f"{m:,.0f}" for m in measured["ladybug"]["rss"]) + " MiB; PSS "
               "(pages shared between workers, such as the mapped author index, counted "
               "once) " + ", ".join(f"{m:,.0f}" for m in measured["ladybug"]["pss"])
               + " MiB"] if measured["ladybug"]["rss"] else [])])
    return measured["ladybug"]

if __name__ == "__main__":
    main()
