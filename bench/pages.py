"""Latency of the explorer's pages and slice endpoints, in-process and over HTTP.

    python bench/pages.py                      # the demo data, loaded into a fresh store
    python bench/pages.py --db bench/data/synth-1000000.lbdb --corpus "synthetic 1M"

Each case runs --runs times after --warmup runs on authors drawn at random (fixed seed):
through Flask's test client (server side only) and over HTTP from a client on loopback to
the development server `coauthor-explorer serve` runs (werkzeug, threaded; one client, one
keep-alive connection). p50/p95/p99 in milliseconds go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import http.client
import json
import logging
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server

from bench.machine import append_results, typed_command
from bench.queries import percentile, sample_ids
from explorer.app import create_app
from explorer.cli import DEMO_LOADS
from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.settings import load_config
from explorer.store import open_store

Request = tuple[str, str, bytes | None]  # method, path, body


def load_demo(db: Path) -> None:
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        store.init_schema()
        for source, path in DEMO_LOADS:
            load_paths(store, source, [path], progress=False)


def cases(db: Path, rng: random.Random, pool: int) -> dict[str, Callable[[], Request]]:
    """What to ask, each a function giving the next request."""
    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={})) as store:
        graph = Graph(store)
        authors = sample_ids(graph, "Author", pool, rng)
        papers = sample_ids(graph, "Paper", pool, rng)
        shown = {a: [n["id"] for n in graph.store.query(
            "slice_neighbours", id=a, exclude=[a], limit=25, min_weight=1, year_from=0,
            year_to=9999)] for a in authors}

    def author() -> str:
        return quote(rng.choice(authors), safe=":")

    def expand() -> Request:
        who = rng.choice(authors)
        body = json.dumps({"shown": [who, *shown[who]]}).encode()
        return "POST", f"/api/authors/{quote(who, safe=':')}/expand", body

    return {
        "profile page /authors/<id>": lambda: ("GET", f"/authors/{author()}", None),
        "slice /api/authors/<id>/slice (depth 1, ≤100)":
            lambda: ("GET", f"/api/authors/{author()}/slice", None),
        "slice with facets (colour by topic)":
            lambda: ("GET", f"/api/authors/{author()}/slice?facets=1", None),
        "slice depth 2 (≤100)": lambda: ("GET", f"/api/authors/{author()}/slice?depth=2", None),
        "paper slice /api/papers/<id>/slice": lambda: (
            "GET", f"/api/papers/{quote(rng.choice(papers), safe=':')}/slice", None),
        "expand 25 more (POST)": expand,
    }


@contextmanager
def serving(app) -> Iterator[int]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()


def measure(ask: Callable[[Request], int], make: Callable[[], Request], runs: int,
            warmup: int) -> list[float]:
    samples = []
    for i in range(warmup + runs):
        request = make()
        start = time.perf_counter()
        status = ask(request)
        elapsed = (time.perf_counter() - start) * 1000
        if status != 200:
            raise SystemExit(f"{request[0]} {request[1]} answered {status}")
        if i >= warmup:
            samples.append(elapsed)
    return samples


def run(db: Path, corpus: str, runs: int, warmup: int, seed: int, *,
        record: bool = True) -> dict[str, dict[str, float]]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    rng = random.Random(seed)
    todo = cases(db, rng, pool=50)
    app = create_app(db_path=str(db), neo4j_uri="")
    client = app.test_client()

    def in_process(request: Request) -> int:
        method, path, body = request
        return client.open(path, method=method, data=body,
                           content_type="application/json").status_code

    figures: dict[str, dict[str, float]] = {}
    with serving(app) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port)

        def over_http(request: Request) -> int:
            method, path, body = request
            connection.request(method, path, body=body,
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status

        for name, make in todo.items():
            for where, ask in (("in-process", in_process), ("HTTP", over_http)):
                samples = measure(ask, make, runs, warmup)
                figures[f"{name} | {where}"] = {
                    "p50": percentile(samples, 50), "p95": percentile(samples, 95),
                    "p99": percentile(samples, 99)}
        connection.close()
    app.extensions["coauthor_store"].close()
    if record:
        rows = [f"| {key} | {v['p50']:.2f} | {v['p95']:.2f} | {v['p99']:.2f} |"
                for key, v in figures.items()]
        command = typed_command("pages.py", None)  # as typed
        append_results(f"Pages and slice endpoints: {corpus}, LadybugDB", [
            f"- command: `{command}`",
            f"- corpus: {corpus}",
            f"- runs per case: {runs} (after {warmup} warm-up), random authors (seed {seed}); "
            "in-process = Flask test client; HTTP = werkzeug threaded server on loopback, "
            "one keep-alive client",
            "", "| case | where | p50 ms | p95 ms | p99 ms |", "| --- | --- | ---: | ---: | ---: |",
            *rows])
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a loaded LadybugDB (default: load the demo)")
    parser.add_argument("--corpus", default="the demo data (coauthor-explorer demo)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-record", action="store_true",
                        help="print the figures without adding them to bench/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            db = Path(scratch) / "demo.lbdb"
            load_demo(db)
        figures = run(db, args.corpus, args.runs, args.warmup, args.seed,
                      record=not args.no_record)
    for key, v in figures.items():
        print(f"{key:70} p50 {v['p50']:8.2f}  p95 {v['p95']:8.2f}  p99 {v['p99']:8.2f} ms")


if __name__ == "__main__":
    main()
