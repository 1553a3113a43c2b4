"""`coauthor-explorer analyze …`: communities, centralities and brokers around an author,
an author's timeline, and the whole-graph overview, as readable text or --json."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import orjson
from flask import current_app
from flask.cli import with_appcontext

from .analytics.export import FORMATS, export_text
from .analytics.overview import DEFAULT_TOP, overview
from .analytics.slice_analysis import AnalysisOptions, analyse_author
from .analytics.timeline import DEFAULT_TOPICS, author_timeline
from .errors import InvalidParameter, NotFound
from .graph import Graph
from .slices import ALL_YEARS, MAX_SLICE, SliceOptions
from .store import GraphStore
from .store.schema_check import open_reader
from .terminal import printable


class AnalyzeGroup(click.Group):
    """Unknown ids and impossible options end with one line."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NotFound as exc:
            raise click.ClickException(f"no author has the id {exc.args[0]!r}") from None
        except InvalidParameter as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=AnalyzeGroup)
def analyze() -> None:
    """Collaboration analytics: communities, centralities, timelines, overview."""


def _store() -> GraphStore:
    return open_reader(current_app.config["EXPLORER"])


def _emit(answer: dict[str, Any], as_json: bool, text: Callable[[dict[str, Any]], str]) -> None:
    if as_json:
        click.echo(orjson.dumps(answer, option=orjson.OPT_INDENT_2).decode())
    else:
        click.echo(printable(text(answer)))


def _table(header: list[str], rows: list[list[Any]], indent: str = "  ") -> list[str]:
    cells = [header] + [["" if v is None else str(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    return [indent + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            for r in cells]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _names(items: list[dict[str, Any]], count: str) -> str:
    return ", ".join(f"{item['name']} ({item[count]})" for item in items) or "-"


def analysis_text(a: dict[str, Any]) -> str:
    s, o = a["summary"], a["options"]
    centre = a["nodes"][0]
    modularity = "-" if s["modularity"] is None else f"{s['modularity']:.3f}"
    between = ("exact" if s["betweenness"] == "exact"
               else f"estimated from {s['betweenness_samples']} sources")
    lines = [f"{centre['name']} ({a['centre']}): {s['nodes']} authors, {s['edges']} links "
             f"(depth {o['depth']}; {a['hidden']} {a['hidden_what']} not shown)",
             f"{_count(s['communities'], 'community', 'communities')} (Louvain, resolution "
             f"{o['resolution']:g}, "
             f"seed {o['seed']}, modularity {modularity}), {s['unclustered']} authors in "
             f"clusters under {o['min_size']}; betweenness {between}", ""]
    for c in a["communities"]:
        lines += [f"community {c['id']}: {c['size']} authors, internal weight "
                  f"{c['internal_weight']}, average year {c['avg_year'] or '-'}",
                  f"  central: {_names(c['top_members'], 'weighted_degree')}",
                  f"  topics:  {_names(c['topics'], 'works')}"]
    names = {n["id"]: n["name"] for n in a["nodes"]}
    lines += ["", "brokers (betweenness without the centre; joint papers per community):"]
    lines += _table(["name", "betweenness", "communities"], [
        [b["name"], f"{b['bridging']:.4f}",
         ", ".join(f"{link['community']}: {link['weight']}" for link in b["links"])]
        for b in a["brokers"]]) if a["brokers"] else ["  none"]
    ranked = sorted(a["attributes"], key=lambda n: (-a["attributes"][n]["pagerank"], n))
    lines += ["", "most central (by PageRank):"]
    lines += _table(["name", "community", "co-authors", "joint papers", "betweenness",
                     "pagerank", "avg year"], [
        [names[n], at["community"], at["degree"], at["weighted_degree"],
         f"{at['betweenness']:.4f}", f"{at['pagerank']:.4f}", at["avg_year"]]
        for n in ranked[:o["top"] * 2] for at in [a["attributes"][n]]])
    return "\n".join(lines)


def timeline_text(t: dict[str, Any]) -> str:
    totals = t["totals"]
    lines = [f"{t['author']['name']} ({t['author']['id']}): {totals['works']} works, "
             f"{totals['coauthors']} co-authors, {totals['topics']} topics"]
    rows = []
    for i, year in enumerate(t["years"]):
        topics = sorted((s for s in t["topics"] if s["counts"][i]),
                        key=lambda s: -s["counts"][i])
        rows.append([year, t["works"][i], t["new_coauthors"][i], t["coauthors_total"][i],
                     _names([{"name": s["name"], "n": s["counts"][i]} for s in topics[:3]],
                            "n")])
    lines += _table(["year", "works", "new co-authors", "co-authors so far", "top topics"],
                    rows, indent="")
    undated = t["undated"]
    if undated["works"] or undated["coauthors"]:
        lines.append(f"undated: {undated['works']} works, {undated['coauthors']} co-authors")
    return "\n".join(lines)


def _log_bins(degrees: list[int], authors: list[int]) -> list[list[Any]]:
    """Authors per range of co-author counts 1, 2-3, 4-7, 8-15, …"""
    bins: dict[int, int] = {}
    for degree, count in zip(degrees, authors, strict=True):
        low = 1 << (degree.bit_length() - 1)
        bins[low] = bins.get(low, 0) + count
    return [[str(low) if low == 1 else f"{low}-{2 * low - 1}", f"{n:,}"]
            for low, n in sorted(bins.items())]


def overview_text(v: dict[str, Any]) -> str:
    lines = ["  ".join(f"{k.replace('_', ' ')} {n:,}" for k, n in v["counts"].items())]
    comp = v["components"]
    if comp is None:
        lines.append("components: stopped at the time limit")
    elif not comp["computed"]:
        lines.append(f"components: not counted: {comp['reason']}")
    else:
        share = f", {comp['largest_share']:.1%} of authors" if comp["largest_share"] else ""
        lines.append(f"components: {comp['count']:,}; the largest has {comp['largest']:,} "
                     f"authors{share}; {comp['isolated']:,} authors have no co-author")
    degrees = v["degree_distribution"]
    if degrees:
        mean = f"{degrees['mean']:.2f}" if degrees["mean"] is not None else "-"
        lines += [f"co-authors per author: mean {mean}, most {degrees['max']:,}", ""]
        lines += _table(["co-authors", "authors"],
                        _log_bins(degrees["degree"], degrees["authors"]))
    if v["top_pairs"]:
        lines += ["", "strongest pairs:"]
        lines += _table(["joint papers", "author", "author", "years"], [
            [p["weight"], p["source"]["name"], p["target"]["name"],
             f"{p['first_year'] or '?'}-{p['last_year'] or '?'}"] for p in v["top_pairs"]])
    for key, title, count in (("top_authors", "authors with most works", "works"),
                              ("top_institutions", "institutions with most authors", "authors"),
                              ("top_topics", "topics with most works", "works")):
        if v[key]:
            lines += ["", f"{title}:"]
            lines += _table([count, "name", "id"], [[r[count], r["name"], r["id"]]
                                                    for r in v[key]])
    if v["stopped_at_time_limit"]:
        lines += ["", "stopped at the time limit: " + ", ".join(v["stopped_at_time_limit"])]
    return "\n".join(lines)


@analyze.command("author")
@click.argument("author_id")
@click.option("--depth", type=click.IntRange(1, 2), default=1, show_default=True)
@click.option("--limit", type=click.IntRange(1, MAX_SLICE), default=100, show_default=True,
              help="Most authors in the slice.")
@click.option("--min-weight", type=click.IntRange(min=1), default=1, show_default=True,
              help="Least joint papers of a link.")
@click.option("--year-from", type=click.IntRange(0, 9999), default=ALL_YEARS[0])
@click.option("--year-to", type=click.IntRange(0, 9999), default=ALL_YEARS[1])
@click.option("--topic", default="", help="Only co-authors with works on this topic id.")
@click.option("--resolution", type=click.FloatRange(0, 100, min_open=True),
              default=AnalysisOptions.resolution, show_default=True,
              help="Louvain resolution: higher gives more, smaller communities.")
@click.option("--min-size", type=click.IntRange(1, 5000), default=AnalysisOptions.min_size,
              show_default=True, help="Smaller clusters are left unclustered.")
@click.option("--seed", type=click.IntRange(0, 2**32 - 1), default=AnalysisOptions.seed,
              show_default=True)
@click.option("--top", type=click.IntRange(1, 50), default=AnalysisOptions.top,
              show_default=True, help="Members and topics listed per community.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the slice with its measures as FILE.graphml or FILE.gexf.")
@with_appcontext
def analyze_author(author_id: str, depth: int, limit: int, min_weight: int, year_from: int,
                   year_to: int, topic: str, resolution: float, min_size: int, seed: int,
                   top: int, as_json: bool, export_path: Path | None) -> None:
    """Communities, centralities and brokers in the neighbourhood of AUTHOR_ID."""
    fmt = export_path.suffix.lstrip(".").lower() if export_path else None
    if export_path and fmt not in FORMATS:
        raise click.BadParameter("name a .graphml or .gexf file", param_hint="--export")
    slicing = SliceOptions(depth=depth, limit=limit, min_weight=min_weight,
                           year_from=year_from, year_to=year_to, topic=topic.strip())
    options = AnalysisOptions(resolution=resolution, min_size=min_size, seed=seed, top=top)
    with _store() as store:
        analysis = analyse_author(Graph(store), author_id, slicing, options)
    if export_path and fmt:
        export_path.write_text(export_text(analysis, fmt), encoding="utf-8")
    _emit(analysis, as_json, analysis_text)
    if export_path:
        click.echo(f"wrote {export_path}", err=True)


@analyze.command("timeline")
@click.argument("author_id")
@click.option("--topics", type=click.IntRange(1, 50), default=DEFAULT_TOPICS,
              show_default=True, help="Topics followed year by year.")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@with_appcontext
def analyze_timeline(author_id: str, topics: int, as_json: bool) -> None:
    """Works, new co-authors and topics of AUTHOR_ID year by year."""
    with _store() as store:
        answer = author_timeline(Graph(store), author_id, topics=topics)
    _emit(answer, as_json, timeline_text)


@analyze.command("overview")
@click.option("--top", type=click.IntRange(1, 100), default=DEFAULT_TOP, show_default=True)
@click.option("--max-pairs", type=click.IntRange(min=0),
              help="Count components only up to this many co-author pairs "
                   "(default: the components_max_pairs setting).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON.")
@with_appcontext
def analyze_overview(top: int, max_pairs: int | None, as_json: bool) -> None:
    """Counts, components, degree distribution and the top pairs, authors, institutions
    and topics of the whole graph."""
    config = current_app.config["EXPLORER"]
    with _store() as store:
        answer = overview(store, top=top, timeout_ms=config.analysis_timeout_ms,
                          max_pairs=config.components_max_pairs if max_pairs is None
                          else max_pairs)
    _emit(answer, as_json, overview_text)
