"""A large slice in headless chromium: from opening the profile page to the graph drawn and
stable (laid out, physics stopped).

    python bench/browser_draw.py --db bench/data/synth-10000000.lbdb --corpus "synthetic 10M"

Serves the app (werkzeug, in a thread) on the database, once its in-memory author index is
built (until then Cypher answers, seconds per slice at 10M), and opens
``/authors/<id>?depth=2&limit=1000`` for the best-connected of a sample of random authors
(fixed seed) in Debian's chromium through Selenium, --runs times with a fresh page each;
reports, on the page's own clock (``performance.now()``), the time from the slice's arrival
to the layout's end (drawing and layout in the browser) and from navigation to the layout's
end (the whole page, the slice request included), the people and links drawn, and the median
time of each phase (the marks static/graph.js leaves in ``window.explorerGraph.marks``).
--author draws a given person instead: LadybugDB's SKIP without ORDER BY does not always
give the same sample, so the best-connected of it can differ from one run to the next.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from selenium import webdriver
from selenium.webdriver.support.ui import WebDriverWait

from bench.machine import append_results, typed_command
from bench.pages import serving
from bench.queries import sample_ids
from explorer.app import create_app
from explorer.graph import Graph
from explorer.settings import load_config
from explorer.store import open_store


def best_connected(db: Path, sample: int, seed: int) -> str:
    import random

    with open_store(load_config({"db_path": str(db), "neo4j_uri": ""}, environ={}),
                    read_only=True) as store:
        authors = sample_ids(Graph(store), "Author", sample, random.Random(seed))
        return max(authors, key=lambda a: store.query("author_profile", id=a)[0]["coauthors"])


# The marks of one draw, in order, and what ends at each (from the previous mark).
PHASES = {
    "script": "HTML and scripts loaded (from navigation)",
    "request": "slice requested",
    "response": "server answered (headers)",
    "slice": "body read and parsed",
    "items": "people and links made",
    "placed": "start positions (groups)",
    "prepared": "colours and legend",
    "filled": "data sets filled, time slider",
    "attached": "vis-network built its nodes and links",
    "stable": "layout steps",
    "painted": "first frame drawn",
}


def phase_times(marks: list[dict[str, float]]) -> list[tuple[str, float]]:
    """The median milliseconds of each phase over the runs' marks."""
    names = list(PHASES)
    return [(PHASES[name], statistics.median(
        m[name] - (m[names[i - 1]] if i else 0) for m in marks)) for i, name in enumerate(names)]


def browser() -> webdriver.Chrome:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        raise SystemExit("needs Debian's chromium and chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     "--window-size=1400,1000"):
        options.add_argument(argument)
    return webdriver.Chrome(service=webdriver.ChromeService(driver), options=options)


def main(argv: list[str] | None = None) -> list[float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--author", help="this author's slice (default: the best-connected "
                        "of --sample random authors)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    author = args.author or best_connected(args.db, args.sample, args.seed)
    app = create_app(db_path=str(args.db), neo4j_uri="")
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    store = app.extensions["coauthor_store"].get()
    if store.accelerator:  # slices come from the in-memory author index once it is built
        started = time.perf_counter()
        store.accelerator.index(wait=True)
        print(f"in-memory author index built in {time.perf_counter() - started:.1f} s "
              "before timing", flush=True)
    times, draws, paints, marks, drawn = [], [], [], [], (0, 0)
    with serving(app) as port:
        url = (f"http://127.0.0.1:{port}/authors/{quote(author, safe=':')}"
               f"?depth=2&limit={args.limit}")
        driver = browser()
        try:
            driver.get(url)  # a first visit warms the server's caches and chromium's
            WebDriverWait(driver, 60).until(
                lambda d: d.execute_script("return !!(window.explorerGraph || {}).stable"))
            expected = driver.execute_script("return window.explorerGraph.nodes.length")
            for _ in range(args.runs):
                driver.get("about:blank")
                driver.get(url)
                WebDriverWait(driver, 60).until(lambda d: d.execute_script(
                    "const g = window.explorerGraph || {};"
                    "return !!g.stable && g.nodes.length === arguments[0] &&"
                    " !!g.marks.painted", expected))
                stable_at, slice_at, run_marks = driver.execute_script(
                    "const g = window.explorerGraph; return [g.stableAt, g.sliceAt, g.marks]")
                times.append(stable_at / 1000)
                draws.append((stable_at - slice_at) / 1000)
                paints.append((run_marks["painted"] - slice_at) / 1000)
                marks.append(run_marks)
                drawn = tuple(driver.execute_script("return [window.explorerGraph.nodes.length,"
                                                    " window.explorerGraph.edges.length]"))
        finally:
            driver.quit()
    app.extensions["coauthor_store"].close()
    summary = (f"{author}: {drawn[0]:,} people and {drawn[1]:,} links: drawn and stable "
               f"{statistics.median(draws):.2f} s after the slice arrived (median; min "
               f"{min(draws):.2f}, max {max(draws):.2f}); the whole page, slice request "
               f"included, {statistics.median(times):.2f} s (min {min(times):.2f}, max "
               f"{max(times):.2f}); {len(times)} runs; first frame after the layout "
               f"{statistics.median(paints):.2f} s after the slice arrived")
    phases = phase_times(marks)
    print(summary)
    for name, ms in phases:
        print(f"  {name:42} {ms:8.1f} ms (median)")
    if not args.no_record:
        command = typed_command("browser_draw.py", argv)
        append_results(f"Large slice in headless chromium: {args.corpus}", [
            f"- command: `{command}`",
            f"- page: `/authors/<id>?depth=2&limit={args.limit}` for the best-connected of "
            f"{args.sample} random authors; Debian chromium (headless) via Selenium; time = "
            "the page's performance.now() when the layout stopped (navigation, HTML, slice "
            "request, drawing, layout)",
            f"- **{summary}**",
            "- phases, median ms: " + "; ".join(f"{name} {ms:.0f}" for name, ms in phases)])
    return times


if __name__ == "__main__":
    main()
