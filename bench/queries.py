"""Latency of every named read query (and the composite slice and path) on a loaded store.

    python bench/queries.py --db bench/data/synth-1000000.lbdb --corpus "synthetic 1M"
    NEO4J_URI=bolt://… python bench/queries.py --corpus "synthetic 1M"

Parameters are drawn at random (fixed seed) from the stored data: author, paper, topic and
institution ids, name prefixes from real names, pairs of authors for paths. Each query runs
--runs times after --warmup runs; p50/p95/p99 in milliseconds go to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import append_results
from explorer.graph import Graph, SliceOptions
from explorer.names import fold
from explorer.settings import load_config
from explorer.store import open_store


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def sample_ids(graph: Graph, label: str, count: int, rng: random.Random) -> list[str]:
    """Random ids of a label, by skipping into the id order (no full scan into Python)."""
    total = graph.store.engine.read(f"MATCH (n:{label}) RETURN count(n)", {}).rows[0][0]
    if not total:
        return []
    ids = []
    for _ in range(count):
        rows = graph.store.engine.read(f"MATCH (n:{label}) RETURN n.id SKIP $s LIMIT 1",
                                       {"s": rng.randrange(total)}).rows
        ids += [r[0] for r in rows]
    return ids


def cases(graph: Graph, rng: random.Random, pool: int) -> dict[str, Callable[[], Any]]:
    authors = sample_ids(graph, "Author", pool, rng)
    papers = sample_ids(graph, "Paper", pool, rng)
    topics = sample_ids(graph, "Topic", pool, rng)
    institutions = sample_ids(graph, "Institution", pool, rng)
    names = [graph.store.query("author_profile", id=a)[0]["name"] for a in authors[:50]]
    prefixes = [fold(n).split()[-1][:rng.randint(3, 6)] for n in names]
    pick = rng.choice
    q = graph.store.query
    optional = {
        "topic (+authors, papers)": (topics, lambda: graph.topic(pick(topics))),
        "institution (+people)": (institutions, lambda: graph.institution(pick(institutions))),
    }
    return {
        **{name: call for name, (ids, call) in optional.items() if ids},
        "author_profile": lambda: q("author_profile", id=pick(authors)),
        "author_works (50)": lambda: q("author_works", id=pick(authors), skip=0, limit=50),
        "author_collaborators (20)": lambda: q("author_collaborators", id=pick(authors),
                                               limit=20),
        "author_topics": lambda: q("author_topics", id=pick(authors), limit=10),
        "author_institutions": lambda: q("author_institutions", id=pick(authors)),
        "profile (Graph.author: 5 queries)": lambda: graph.author(pick(authors)),
        "slice depth 1, 100 nodes": lambda: graph.neighbourhood(pick(authors),
                                                                SliceOptions(depth=1)),
        "slice depth 2, 200 nodes": lambda: graph.neighbourhood(
            pick(authors), SliceOptions(depth=2, limit=200)),
        "neighbour_count": lambda: q("neighbour_count", id=pick(authors), exclude=[], min_weight=1,
                                     year_from=0, year_to=9999),
        "collaboration path (random pair)": lambda: graph.path(pick(authors), pick(authors)),
        "search_authors (prefix, 20)": lambda: graph.search(pick(prefixes), limit=20),
        "search_papers (20)": lambda: graph.search(pick(prefixes), kind="papers", limit=20),
        "search_topics": lambda: graph.search(pick(prefixes), kind="topics"),
        "search_institutions": lambda: graph.search(pick(prefixes), kind="institutions"),
        "paper": lambda: graph.paper(pick(papers)),
        "graph_stats": lambda: q("graph_stats"),
    }


def run(graph: Graph, runs: int, warmup: int, seed: int) -> list[tuple[str, list[float]]]:
    rng = random.Random(seed)
    results = []
    for name, call in cases(graph, rng, pool=200).items():
        repeat = max(3, runs // 10) if name in ("graph_stats",) else runs
        for _ in range(warmup):
            call()
        samples, stopped = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            answer = call()
            samples.append((time.perf_counter() - started) * 1000)
            stopped += isinstance(answer, dict) and answer.get("stopped_at_time_limit", False)
        if stopped:
            name += f" ({stopped} of {repeat} stopped at the time limit)"
        results.append((name, samples))
        print(f"{name:36} p50 {percentile(samples, 50):8.2f} ms  "
              f"p95 {percentile(samples, 95):8.2f}  p99 {percentile(samples, 99):8.2f}",
              flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="LadybugDB file (ignored when NEO4J_URI is set)")
    parser.add_argument("--corpus", required=True, help="what is loaded, for the record")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)
    config = load_config({"db_path": args.db} if args.db else {})
    with open_store(config, read_only=config.engine == "ladybug") as store:
        graph = Graph(store)
        stats = graph.stats()
        print(f"{store.engine.describe()}: {stats}", flush=True)
        results = run(graph, args.runs, args.warmup, args.seed)
        engine = store.engine.describe()
    if args.no_record:
        return
    command = "python bench/queries.py " + " ".join(sys.argv[1:] if argv is None else argv)
    lines = [f"- engine: {engine}", f"- corpus: {args.corpus}: " + ", ".join(
                 f"{v:,} {k.replace('_', ' ')}" for k, v in stats.items()),
             f"- command: `{command}`", f"- runs per query: {args.runs} (after {args.warmup} "
             "warm-up), in-process, one thread", "",
             "| query | p50 ms | p95 ms | p99 ms | mean ms |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {percentile(s, 50):.2f} | {percentile(s, 95):.2f} | "
              f"{percentile(s, 99):.2f} | {statistics.fmean(s):.2f} |" for name, s in results]
    append_results(f"Named query latency: {args.corpus}, {engine.split(' at ')[0]}", lines)


if __name__ == "__main__":
    main()
