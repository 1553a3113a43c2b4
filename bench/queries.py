"""Latency of every named read query (and the composite slice and path) on a loaded store:
LadybugDB, and Neo4j beside it in the same run when NEO4J_URI is set.

    python bench/queries.py --db bench/data/synth-1000000.lbdb --corpus "synthetic 1M"
    NEO4J_URI=bolt://… NEO4J_PASSWORD=… python bench/queries.py --db … --corpus "synthetic 1M"

Parameters are drawn at random (fixed seed) from the stored data: author, paper, topic and
institution ids, name prefixes from real names, pairs of authors for paths; both engines get
the same ones (drawn from the first, checked in the second, which must hold the same corpus,
e.g. loaded by bench/bulk_load.py). Each query runs --runs times after --warmup runs;
p50/p95/p99 in milliseconds per engine go to one table in bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import append_results, tree_rss_mib, typed_command
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


@dataclass(frozen=True)
class Parameters:
    """What the queries are asked about, drawn once and given to every engine."""

    authors: list[str]
    papers: list[str]
    topics: list[str]
    institutions: list[str]
    prefixes: list[str]
    title_words: list[str]  # what a user types to find a paper: a word begun, or two
    reversed_words: list[str]  # two title words the wrong way round: few or no hits
    citations: list[str] = field(default_factory=list)  # 'Family G', as reference lists

    @classmethod
    def draw(cls, graph: Graph, rng: random.Random, pool: int) -> Parameters:
        authors = sample_ids(graph, "Author", pool, rng)
        names = [graph.store.query("author_profile", id=a)[0]["name"] for a in authors[:50]]
        papers = sample_ids(graph, "Paper", pool, rng)
        titles = [fold(graph.store.query("paper", id=p)[0]["title"] or "").split()
                  for p in papers[:50]]
        pairs = [(words[at], words[at + 1]) for words in titles if len(words) > 1
                 for at in [rng.randrange(len(words) - 1)]]
        return cls(authors, papers, sample_ids(graph, "Topic", pool, rng),
                   sample_ids(graph, "Institution", pool, rng),
                   [fold(n).split()[-1][:rng.randint(3, 6)] for n in names],
                   [f"{a} {b[:rng.randint(1, 4)]}" if rng.random() < 0.5 else
                    b[:rng.randint(3, 6)] for a, b in pairs],
                   [f"{b} {a[:3]}" for a, b in pairs],
                   [f"{n.split()[-1]} {n[0].upper()}" for n in names if len(n.split()) > 1])

    def held_by(self, graph: Graph) -> bool:
        """Whether another engine's graph holds these people and papers too."""
        return all(graph.store.query("author_card", id=a) for a in self.authors[:5]) and all(
            graph.store.query("paper", id=p) for p in self.papers[:5])


def cases(graph: Graph, drawn: Parameters, rng: random.Random
          ) -> dict[str, Callable[[], Any]]:
    authors, papers, topics, institutions, prefixes = (
        drawn.authors, drawn.papers, drawn.topics, drawn.institutions, drawn.prefixes)
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
        **({"search_authors (citation form 'Family G', 20)": lambda: graph.search(
            pick(drawn.citations), limit=20)} if drawn.citations else {}),
        "search_papers (title words, 20)": lambda: graph.search(
            pick(drawn.title_words), kind="papers", limit=20),
        "search_papers (words reversed, 20)": lambda: graph.search(
            pick(drawn.reversed_words), kind="papers", limit=20),
        "search_topics": lambda: graph.search(pick(prefixes), kind="topics"),
        "search_institutions": lambda: graph.search(pick(prefixes), kind="institutions"),
        "paper": lambda: graph.paper(pick(papers)),
        "graph_stats": lambda: q("graph_stats"),
    }


def networkx_baseline(graph: Graph, rng: random.Random, pool: int
                      ) -> dict[str, Callable[[], Any]]:
    """The slice question asked of a plain networkx graph held in memory: the 100
    strongest co-authors of an author (``ego_graph`` at radius 1, ranked by weight) and
    the links among them."""
    import networkx as nx

    started = time.perf_counter()
    edges = graph.store.engine.read_arrow(
        "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) "
        "RETURN a.id AS a, b.id AS b, e.weight AS w", {})
    network = nx.Graph()
    network.add_weighted_edges_from(zip(edges.column("a").to_pylist(),
                                        edges.column("b").to_pylist(),
                                        edges.column("w").to_pylist(), strict=True))
    del edges
    print(f"networkx graph built in {time.perf_counter() - started:.1f} s", flush=True)
    authors = [a for a in sample_ids(graph, "Author", pool, rng) if a in network]

    def ego_slice() -> Any:
        centre = rng.choice(authors)
        ego = nx.ego_graph(network, centre, radius=1)
        strongest = sorted(ego[centre].items(), key=lambda kv: -kv[1]["weight"])[:99]
        return network.subgraph([centre, *(n for n, _ in strongest)]).edges(data="weight")

    return {"networkx ego_graph slice, 100 nodes (baseline)": lambda: list(ego_slice())}


def run(graph: Graph, drawn: Parameters, runs: int, warmup: int, seed: int, *,
        baseline: bool = False) -> list[tuple[str, list[float]]]:
    rng = random.Random(seed)
    results = []
    todo = cases(graph, drawn, rng)
    if baseline:
        todo.update(networkx_baseline(graph, rng, pool=200))
    for name, call in todo.items():
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


Measured = list[tuple[str, str, dict[str, list[float]]]]  # engine, note, samples per query


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="LadybugDB file (measured first; Neo4j after it when "
                        "NEO4J_URI is set)")
    parser.add_argument("--corpus", required=True, help="what is loaded, for the record")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-record", action="store_true", help="print only")
    parser.add_argument("--networkx", action="store_true",
                        help="also time the slice on a networkx graph in memory (LadybugDB; "
                        "about 0.5 GB per million links)")
    args = parser.parse_args(argv)
    configs = ([load_config({"db_path": args.db, "neo4j_uri": ""}, environ={})]
               if args.db else [])
    if os.environ.get("NEO4J_URI"):
        configs.append(load_config())
    if not configs:
        raise SystemExit("nothing to measure: give --db, or set NEO4J_URI, or both")
    rng = random.Random(args.seed)
    drawn: Parameters | None = None
    measured: Measured = []
    stats: dict[str, int] = {}
    for config in configs:
        with open_store(config, read_only=config.engine == "ladybug") as store:
            graph = Graph(store)
            counts = graph.stats()
            stats = stats or counts  # the corpus line names the first engine's counts
            print(f"{store.engine.describe()}: {counts}", flush=True)
            note = ""
            if store.accelerator:  # search and paths use it once built (the server warms it)
                started = time.perf_counter()
                store.accelerator.index(wait=True)
                note = (f"in-memory author index ready in "
                        f"{time.perf_counter() - started:.1f} s before timing "
                        f"({store.accelerator.how}; this process "
                        f"then {tree_rss_mib(os.getpid()):,.0f} MiB RSS, peak "
                        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f}"
                        f" MiB: index and buffer pool)")
                print(note, flush=True)
            if drawn is None or not drawn.held_by(graph):
                if drawn is not None:
                    note += ("; NOT the same corpus as the engine before (its ids are "
                             "missing): parameters drawn afresh")
                drawn = Parameters.draw(graph, rng, pool=200)
            if not drawn.authors:
                print(f"{store.engine.describe()} holds no authors: not measured", flush=True)
                drawn = None
                continue
            results = run(graph, drawn, args.runs, args.warmup, args.seed,
                          baseline=args.networkx and store.accelerator is not None)
            measured.append((store.engine.describe(), note, dict(results)))
    if not measured:
        raise SystemExit("no engine held a corpus to measure")
    if args.no_record:
        return
    record(args, argv, measured, stats)


def record(args: argparse.Namespace, argv: list[str] | None, measured: Measured,
           stats: dict[str, int]) -> None:
    """One section: every engine's p50/p95/p99 side by side, the same queries in rows."""
    engines = [describe.split(" at ")[0] for describe, _, _ in measured]
    lines = [*(f"- engine: {describe}" + (f" ({note})" if note else "")
               for describe, note, _ in measured),
             f"- corpus: {args.corpus}: " + ", ".join(
                 f"{v:,} {k.replace('_', ' ')}" for k, v in stats.items()),
             f"- command: `{typed_command('queries.py', argv)}`",
             f"- runs per query: {args.runs} (after {args.warmup} warm-up), in-process, one "
             f"thread, the same parameters on every engine; 1-minute load average "
             f"{os.getloadavg()[0]:.1f} at the end",
             *(["- Neo4j skipped: NEO4J_URI not set"] if not os.environ.get("NEO4J_URI")
               else []), "",
             "| query | " + " | ".join(f"{e} p50 ms | p95 | p99" for e in engines) + " |",
             "| --- |" + " ---: | ---: | ---: |" * len(engines)]
    names = list(dict.fromkeys(name for _, _, results in measured for name in results))
    for name in names:
        cells = []
        for _, _, results in measured:
            samples = results.get(name)
            cells += ([f"{percentile(samples, q):.2f}" for q in (50, 95, 99)] if samples
                      else ["—"] * 3)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    append_results(f"Named query latency: {args.corpus}, {' and '.join(engines)}", lines)

if __name__ == "__main__":
    main()
