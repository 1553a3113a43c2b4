"""Time community detection and centralities on slices of 500, 2,000 and 10,000 authors.

    python bench/analytics.py                      # sizes 500 2000 10000, corpus 300k
    python bench/analytics.py --sizes 500 --authorships 20k --no-record
    python bench/analytics.py --db bench/data/synth-1000000.lbdb   # + end-to-end API calls

Slices are cut from the co-author graph of the synthetic corpus of bench/generate.py (seed
42): pairs, weights and first/last years exactly as the writer derives them (papers with
more than 100 authors add no pairs). A slice grows from the author with most co-authors
ring by ring, strongest links first, as Graph.neighbourhood does, but with as many rings as
it takes to reach the size (the API stops at depth 2 and 5,000 authors). Each step runs
--runs times in-process; the median goes to bench/RESULTS.md. With igraph (and leidenalg)
installed, the same slices are also timed there for comparison; the app does not use them.

With --db, ``analyse_author`` (slice queries + analytics + per-author year and topic
queries: what /api/authors/<id>/analysis does) is timed on random authors of that database.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from itertools import combinations
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx

from bench.generate import generate_works, parse_count
from bench.machine import append_results, typed_command
from explorer.analytics import centrality
from explorer.analytics.centrality import betweenness, brokers
from explorer.analytics.communities import detect_communities, participation
from explorer.analytics.network import slice_graph
from explorer.graph import Graph

MAX_AUTHORS = 100


def coauthor_graph(authorships: int, seed: int) -> nx.Graph:
    """The synthetic corpus's co-author pairs: weight, first_year, last_year."""
    graph = nx.Graph()
    for work in generate_works(authorships, seed=seed):
        ids = sorted({a.id for a in work.authors})
        if len(ids) > MAX_AUTHORS:
            continue
        for a, b in combinations(ids, 2):
            data = graph.get_edge_data(a, b)
            if data is None:
                graph.add_edge(a, b, weight=1, first_year=work.year, last_year=work.year)
            else:
                data["weight"] += 1
                data["first_year"] = min(data["first_year"], work.year)
                data["last_year"] = max(data["last_year"], work.year)
    return graph


def cut_slice(graph: nx.Graph, size: int) -> dict[str, Any]:
    """A slice of ``size`` authors around the best-connected author, in the shape
    Graph.neighbourhood returns."""
    centre = max(graph, key=lambda n: (graph.degree(n), n))
    rings = {centre: 0}
    frontier = [centre]
    while len(rings) < size and frontier:
        best: dict[str, tuple[int, int]] = {}
        for source in frontier:
            for other, data in graph[source].items():
                if other not in rings:
                    weight, total = best.get(other, (0, 0))
                    best[other] = (max(weight, data["weight"]), total + data["weight"])
        ring = max(rings.values()) + 1
        found = sorted(best, key=lambda n: (-best[n][0], -best[n][1], n))[:size - len(rings)]
        rings.update(dict.fromkeys(found, ring))
        frontier = found
    nodes = [{"id": n, "name": n, "works": None, "ring": r} for n, r in rings.items()]
    edges = [{"source": a, "target": b, **d} for a, b, d in graph.subgraph(rings).edges(data=True)]
    return {"centre": centre, "nodes": nodes, "edges": edges, "hidden_neighbours": 0,
            "options": {}}


def timed(call: Callable[[], Any], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def networkx_steps(piece: dict[str, Any], seed: int) -> dict[str, Callable[[], Any]]:
    graph = slice_graph(piece)
    partition = detect_communities(graph, seed=seed)
    return {
        "build graph": lambda: slice_graph(piece),
        "Louvain communities": lambda: detect_communities(graph, seed=seed),
        "betweenness": lambda: betweenness(graph, seed=seed),
        "PageRank": lambda: nx.pagerank(graph, weight="weight", max_iter=1000),
        "weighted degree + participation": lambda: (dict(graph.degree(weight="weight")),
                                                    participation(graph, partition.groups)),
        "brokers": lambda: brokers(graph, piece["centre"], partition, seed=seed),
    }


def igraph_steps(piece: dict[str, Any], seed: int) -> dict[str, Callable[[], Any]]:
    """The same work in igraph (C), when it is installed, for comparison only."""
    try:
        import igraph
    except ImportError:
        return {}
    ids = sorted(n["id"] for n in piece["nodes"])
    index = {n: i for i, n in enumerate(ids)}
    edges = [(index[e["source"]], index[e["target"]]) for e in piece["edges"]]
    weights = [e["weight"] for e in piece["edges"]]
    graph = igraph.Graph(n=len(ids), edges=edges)
    graph.es["weight"] = weights
    steps = {
        "igraph: Louvain (multilevel)": lambda: graph.community_multilevel(weights="weight"),
        "igraph: betweenness (exact)": lambda: graph.betweenness(directed=False),
        "igraph: PageRank": lambda: graph.pagerank(weights="weight"),
    }
    try:
        import leidenalg

        steps["leidenalg: Leiden (modularity)"] = lambda: leidenalg.find_partition(
            graph, leidenalg.ModularityVertexPartition, weights="weight", seed=seed)
    except ImportError:
        pass
    return steps


def sampling_accuracy(piece: dict[str, Any], seed: int) -> str:
    """How far the sampled betweenness is from the exact one on the same slice."""
    graph = slice_graph(piece)
    sampled, k = betweenness(graph, seed=seed)
    threshold = centrality.EXACT_BETWEENNESS_MAX_NODES
    centrality.EXACT_BETWEENNESS_MAX_NODES = graph.number_of_nodes()
    try:
        started = time.perf_counter()
        exact, _ = betweenness(graph, seed=seed)
        seconds = time.perf_counter() - started
    finally:
        centrality.EXACT_BETWEENNESS_MAX_NODES = threshold
    top = set(sorted(exact, key=exact.get, reverse=True)[:20])
    found = set(sorted(sampled, key=sampled.get, reverse=True)[:20])
    errors = sorted(abs(sampled[n] - exact[n]) / exact[n] for n in top)
    return (f"{k} sampled sources find {len(top & found)} of the exact top 20, whose values "
            f"they miss by {statistics.median(errors):.1%} (median) and {errors[-1]:.1%} "
            f"at most (exact: {seconds:.1f} s)")


def end_to_end(db: str, sizes: list[int], runs: int, seed: int) -> list[tuple[str, float]]:
    """analyse_author on random authors of a LadybugDB database (what the API does)."""
    from bench.queries import sample_ids
    from explorer.analytics.slice_analysis import AnalysisOptions, analyse_author
    from explorer.graph import SliceOptions
    from explorer.settings import load_config
    from explorer.store import open_store

    rng = random.Random(seed)
    results = []
    with open_store(load_config({"db_path": db, "neo4j_uri": ""}, environ={}),
                    read_only=True) as store:
        graph = Graph(store)
        authors = sample_ids(graph, "Author", runs, rng)
        for size in sizes:
            options = SliceOptions(depth=2, limit=size)
            samples, nodes = [], []
            for author in authors:
                started = time.perf_counter()
                answer = analyse_author(graph, author, options, AnalysisOptions(seed=seed))
                samples.append(time.perf_counter() - started)
                nodes.append(answer["summary"]["nodes"])
            name = (f"analyse_author depth 2, limit {size} (median "
                    f"{statistics.median(nodes):.0f} authors)")
            results.append((name, statistics.median(samples)))
            print(f"{name}: {statistics.median(samples):.2f} s", flush=True)
    return results


def overview_parts(db: str, max_pairs: int) -> list[tuple[str, float]]:
    """Each part of the overview on a LadybugDB database, timed alone (components only up
    to ``max_pairs`` pairs), with the peak RSS after the components."""
    import resource

    from explorer.analytics.overview import components, weight_floor
    from explorer.settings import load_config
    from explorer.store import open_store

    results = []
    with open_store(load_config({"db_path": db, "neo4j_uri": ""}, environ={}),
                    read_only=True) as store:
        limit = 10 * 60 * 1000

        def timed_once(name: str, call: Callable[[], Any]) -> Any:
            started = time.perf_counter()
            answer = call()
            results.append((name, time.perf_counter() - started))
            print(f"{name}: {results[-1][1]:.2f} s", flush=True)
            return answer

        counts = timed_once("graph_stats", lambda: Graph(store).stats())
        timed_once("degree_distribution",
                   lambda: store.query("degree_distribution", timeout_ms=limit))
        weights = timed_once("pair_weight_distribution", lambda: store.query(
            "pair_weight_distribution", timeout_ms=limit))
        timed_once("top_pairs (10, from the weight floor)", lambda: store.query(
            "top_pairs", min_weight=weight_floor(weights, 10), limit=10, timeout_ms=limit))
        for name in ("top_authors", "top_institutions", "top_topics"):
            timed_once(name, lambda name=name: store.query(name, limit=10, timeout_ms=limit))
        if counts["coauthor_pairs"] <= max_pairs:
            found = timed_once(f"components ({counts['coauthor_pairs']:,} pairs read)",
                               lambda: components(store, counts["authors"], timeout_ms=limit))
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            results.append((f"(components: {found['count']:,}, largest "
                            f"{found['largest']:,}; peak RSS so far {peak:,.0f} MiB)", 0.0))
        else:
            results.append((f"(components not counted: {counts['coauthor_pairs']:,} pairs, "
                            f"more than --max-pairs {max_pairs:,})", 0.0))
    return results


def slice_benchmark(sizes: list[int], authorships: int, seed: int, runs: int) -> list[str]:
    """Time every step on slices of each size; the RESULTS.md lines."""
    started = time.perf_counter()
    graph = coauthor_graph(authorships, seed)
    print(f"co-author graph: {graph.number_of_nodes():,} authors, "
          f"{graph.number_of_edges():,} pairs ({time.perf_counter() - started:.1f} s)",
          flush=True)
    columns: list[str] = []
    table: dict[str, dict[int, float]] = {}
    shapes: list[str] = []
    accuracy: list[str] = []
    for size in sizes:
        piece = cut_slice(graph, size)
        got = len(piece["nodes"])
        shapes.append(f"{got:,} authors / {len(piece['edges']):,} links")
        steps = {**networkx_steps(piece, seed), **igraph_steps(piece, seed)}
        for name, call in steps.items():
            seconds = timed(call, runs)
            label = name
            if name == "betweenness":
                label = (f"betweenness (exact up to {centrality.EXACT_BETWEENNESS_MAX_NODES:,}, "
                         f"else {centrality.BETWEENNESS_SAMPLES} sampled sources)")
            if label not in columns:
                columns.append(label)
            table.setdefault(label, {})[size] = seconds
            print(f"{size:>6} {label:45} {seconds:8.3f} s", flush=True)
        if got > centrality.EXACT_BETWEENNESS_MAX_NODES:
            accuracy.append(f"{got:,} authors: " + sampling_accuracy(piece, seed))
            print(f"{size:>6} {accuracy[-1]}", flush=True)
    lines = [f"- graphs: slices cut from the co-author graph of bench/generate.py "
             f"({authorships:,} authorships, seed {seed}: {graph.number_of_nodes():,} "
             f"authors, {graph.number_of_edges():,} pairs); slices: " + ", ".join(shapes),
             f"- median of {runs} runs, seconds, one thread; networkx {nx.__version__}",
             "", "| step | " + " | ".join(f"{s:,} authors" for s in sizes) + " |",
             "| --- |" + " ---: |" * len(sizes)]
    lines += [f"| {label} | " + " | ".join(
        f"{table[label][s]:.3f}" if s in table[label] else "" for s in sizes) + " |"
        for label in columns]
    if accuracy:
        lines += ["", "Sampled betweenness against exact on the same slices:", ""]
        lines += [f"- {line}" for line in accuracy]
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[500, 2000, 10000],
                        help="slice sizes (none: only the --db measurements)")
    parser.add_argument("--authorships", type=parse_count, default=parse_count("300k"))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", help="also time analyse_author on this LadybugDB database")
    parser.add_argument("--db-sizes", type=int, nargs="*", default=[100, 500])
    parser.add_argument("--overview", action="store_true",
                        help="with --db: time each part of the whole-graph overview")
    parser.add_argument("--max-pairs", type=parse_count, default=parse_count("3M"),
                        help="with --overview: count components up to this many pairs")
    parser.add_argument("--no-record", action="store_true", help="print only")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    lines = slice_benchmark(args.sizes, args.authorships, args.seed, args.runs) \
        if args.sizes else []
    if args.db and args.db_sizes:
        runs = args.runs * 7
        lines += ["", f"End to end on {args.db} (median of {runs} random authors):", ""]
        lines += [f"- {name}: {seconds:.2f} s"
                  for name, seconds in end_to_end(args.db, args.db_sizes, runs, args.seed)]
    if args.db and args.overview:
        lines += ["", f"Whole-graph overview on {args.db}, each part alone, one run:", ""]
        lines += [f"- {name}: {seconds:.2f} s" if seconds else f"- {name}"
                  for name, seconds in overview_parts(args.db, args.max_pairs)]
    if args.no_record:
        return
    command = typed_command("analytics.py", argv)
    append_results("Analytics: communities, centralities and the overview", [
        f"- command: `{command}`",
        f"- 1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        "(other work on the machine slows the figures)", *lines])


if __name__ == "__main__":
    main()
