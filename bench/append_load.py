"""Append benchmark: `coauthor-explorer load openalex FILE` into a copy of a loaded
database, the path every load after the first takes, timed as a whole in its own process.

    python bench/append_load.py --base bench/data/synth-10000000.lbdb \\
        --base-label "synthetic 10M authorships (seed 42)" --authorships 100k --seed 7

The appended corpus is the generator's (bench/generate.py), written once (untimed) and
reused. ``--ids new`` (the default) gives its works and authors ids that no other seed
uses and leaves out its ORCIDs, so it adds new papers by new people; ``--ids same`` keeps
the generator's ids, so a corpus of another seed rewrites the base graph's first papers
(new titles, years and bylines: every co-author pair they had is taken back and
recounted). The base database is copied first (untimed) and never changed. Results go to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import shlex
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bulk_load import DATA_DIR, ROOT, cli, cli_env, stats, written_once
from bench.generate import generate_works, parse_count
from bench.machine import append_results, load_average, remove_db, run_measured
from explorer.records import Work
from explorer.store.file_marks import database_files

NEW_ID_OFFSET = 8_000_000_000
"""Added to the generator's work and author numbers for ``--ids new``: far above any
corpus it writes (W and A numbers stay below the authorships generated)."""


def _renumbered(scheme_id: str) -> str:
    prefix, number = re.fullmatch(r"(openalex:[AW])(\d+)", scheme_id).groups()
    return f"{prefix}{int(number) + NEW_ID_OFFSET}"


def with_new_ids(works: Iterator[Work]) -> Iterator[Work]:
    """The works under ids no other corpus of the generator has, without ORCIDs (which
    would merge their authors into the base graph's)."""
    for work in works:
        authors = tuple(dataclasses.replace(a, id=_renumbered(a.id), orcid=None)
                        for a in work.authors)
        yield dataclasses.replace(work, id=_renumbered(work.id), doi=None, authors=authors)


def corpus_file(authorships: int, seed: int, ids: str, directory: Path) -> Path:
    """The corpus to append, written if missing."""
    def works() -> Iterator[Work]:
        generated = generate_works(authorships, seed=seed)
        return with_new_ids(generated) if ids == "new" else generated

    return written_once(directory / f"append-{authorships}-seed{seed}-{ids}-ids.jsonl", works)


def copy_base(base: Path, db: Path) -> None:
    """The base database's files (the file and its write-ahead log), copied to ``db``."""
    remove_db(db)
    for source, target in zip(database_files(base), database_files(db), strict=True):
        if source.exists():
            shutil.copyfile(source, target)


def summary_lines(output: str) -> list[str]:
    """The load's own summary: papers, authors, authorships and co-author pairs."""
    wanted = ("papers", "authors", "authorships", "co-author pairs")
    return [" ".join(line.split()) for line in output.splitlines() if line.startswith(wanted)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="a loaded LadybugDB file")
    parser.add_argument("--base-label", help="how RESULTS.md names the base graph")
    parser.add_argument("--authorships", type=parse_count, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ids", choices=["new", "same"], default="new")
    parser.add_argument("--workdir", type=Path, default=DATA_DIR / "append-load")
    parser.add_argument("--note", help="added to the RESULTS.md title (the code measured)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    if not args.base.exists():
        raise SystemExit(f"no database at {args.base}: load one first "
                         "(python bench/bulk_load.py)")
    args.workdir.mkdir(parents=True, exist_ok=True)
    corpus = corpus_file(args.authorships, args.seed, args.ids, args.workdir)
    db = args.workdir / "append.lbdb"
    copy_base(args.base, db)
    before_counts = stats("ladybug", db, args.workdir / "stats-before.log", 0)
    before = load_average()
    run = run_measured(cli(db, "load", "openalex", str(corpus)), cli_env("ladybug", 0),
                       args.workdir / "load.log", ROOT)
    after = load_average()
    if run.status:
        raise SystemExit(f"the load failed (log in {args.workdir}):\n{run.output[-3000:]}")
    after_counts = stats("ladybug", db, args.workdir / "stats-after.log", 0)
    added = after_counts["authorships"] - before_counts["authorships"]
    if args.ids == "new" and added != args.authorships:
        raise SystemExit(f"the load stored {added:,} new authorships of {args.authorships:,}"
                         f" (log in {args.workdir})")
    rate = args.authorships / run.wall
    label = args.base_label or args.base.name
    kind = ("new papers by new people" if args.ids == "new"
            else "the generator's own ids: the base graph's first papers rewritten")
    given = sys.argv[1:] if argv is None else argv
    lines = [
        f"- command: `python bench/append_load.py {shlex.join(given)}` (the load: "
        f"`coauthor-explorer "
        f"load openalex {corpus.name}` in a new process, into a copy of the base database)",
        f"- base graph: {label}: " + ", ".join(
            f"{v:,} {k.replace('_', ' ')}" for k, v in before_counts.items()),
        f"- appended: synthetic {args.authorships:,} authorships (seed {args.seed}), {kind}"
        f" ({corpus.stat().st_size / 2**20:,.0f} MiB)",
        f"- 1-minute load average {before:.1f} before, {after:.1f} after (other work on the "
        "machine slows the figures)",
        "",
        "| engine | wall s | authorships/s | peak RSS MiB | authorships stored after "
        "(change) | the load's summary |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| ladybug | {run.wall:.1f} | {rate:,.0f} | {run.peak_rss:,.0f} | "
        f"{after_counts['authorships']:,} ({added:+,}) | "
        f"{'; '.join(summary_lines(run.output))} |",
    ]
    print("\n".join(lines))
    if not args.no_record:
        note = f", {args.note}" if args.note else ""
        append_results(f"Appending to a loaded graph: {label}{note}", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
