"""PubMed load benchmark: `coauthor-explorer load pubmed` per engine, checked against an
independent parse, next to metaknowledge's RecordCollection + networkCoAuthor on the same records.

    python bench/pubmed_load.py [--engines ladybug,neo4j] [--limit N] [--no-metaknowledge]

Defaults to ../shared/datasets/pubmed/pubmed20n0014.xml.gz and the same records as MEDLINE text
(metaknowledge reads MEDLINE text, not PubMed XML). Every load runs in a fresh subprocess on a
fresh LadybugDB file (incremental, then --bulk); Neo4j runs when NEO4J_URI is set and its
database is empty (or --neo4j-clear). Papers and authorships in the graph must equal the
independent parse exactly, else MISMATCH and exit status 1. metaknowledge runs in the project
environment when importable, else in a virtualenv made once under bench/data/. A last
LadybugDB row is the floor: the engine alone writing the graph of the MEDLINE load again
from its own Parquet export (EXPORT / IMPORT DATABASE), which no load of ours can beat.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
import unicodedata
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import IO

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.machine import append_results, neo4j_ready, remove_db, typed_command

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = ROOT / "bench" / "data" / "pubmed"
SAMPLES = ROOT.parent / "shared" / "datasets" / "pubmed"
DEFAULT_XML = SAMPLES / "pubmed20n0014.xml.gz"
DEFAULT_MEDLINE = SAMPLES / "pubmed20n0014.medline.txt.gz"
MK_VERSION = "3.4.1"
MK_VENV = ROOT / "bench" / "data" / "metaknowledge-venv"
MAX_AUTHORS = int(os.environ.get("COAUTHOR_EXPLORER_COAUTHOR_MAX_AUTHORS", "100"))

MK_SCRIPT = """
import json, sys, time
import metaknowledge as mk, networkx as nx
mk.VERBOSE_MODE = False
started = time.perf_counter()
rc = mk.RecordCollection(sys.argv[1])
read = time.perf_counter()
graph = rc.networkCoAuthor()
done = time.perf_counter()
print(json.dumps({
    "version": mk.__version__, "networkx": nx.__version__, "records": len(rc),
    "authorships": sum(len(r.get("authorsFull") or []) for r in rc),
    "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
    "self_loops": nx.number_of_selfloops(graph), "errors": len(rc.errors),
    "read_s": read - started, "network_s": done - read}))
"""

EXPORT_SCRIPT = """
import sys, ladybug
database = ladybug.Database(sys.argv[1], read_only=True)
ladybug.Connection(database).execute(f"EXPORT DATABASE {sys.argv[2]!r}")
"""

IMPORT_SCRIPT = """
import sys, ladybug
database = ladybug.Database(sys.argv[1])
ladybug.Connection(database).execute(f"IMPORT DATABASE {sys.argv[2]!r}")
database.close()
"""
"""The floor: LadybugDB alone making the graph again from its own Parquet export, in an
interpreter that imports nothing else (EXPORT/IMPORT DATABASE take no parameters; the paths
are the benchmark's own)."""


# ---------------------------------------------------------------- the independent parse


def name_key(name: str) -> str:
    """A folded name (accents, case and punctuation dropped), to count distinct names."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split()) or name.casefold()


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


def valid_orcid(text: str | None) -> str | None:
    """The 16 characters of an ORCID iD whose ISO 7064 check digit holds, else None."""
    chars = re.sub(r"[^0-9X]", "", re.sub(r"(?i).*orcid\.org/", "", text or "").upper())
    if not re.fullmatch(r"\d{15}[\dX]", chars):
        return None
    total = 0
    for digit in chars[:15]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return chars if chars[15] == ("X" if check == 10 else str(check)) else None


def normal_doi(text: str | None) -> str | None:
    value = re.sub(r"(?i)^(https?://(dx\.)?doi\.org/|doi:)", "", (text or "").strip()).lower()
    return value if value.startswith("10.") else None


@dataclass
class Truth:
    """What a PubMed XML file holds, counted without the project's loader."""

    records: int = 0
    book_records: int = 0
    rejected: int = 0
    revised: int = 0
    kept_apart: int = 0
    deleted: int = 0
    left_out_authors: int = 0
    pmids: set[str] = field(default_factory=set)
    papers: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """paper id (DOI, else PMID) -> (PMID, the bylines' name keys)"""

    @property
    def authorships(self) -> int:
        return sum(len(keys) for _, keys in self.papers.values())

    def authors(self) -> int:
        return len({key for _, keys in self.papers.values() for key in keys})

    def pairs(self) -> int:
        return len({pair for _, keys in self.papers.values() if len(keys) <= MAX_AUTHORS
                    for pair in combinations(sorted(set(keys)), 2)})

    def add(self, pmid: str, title: str, dois: list[str | None], keys: list[str]) -> None:
        """A record: rejected without a numeric PMID or a title. Its paper is its DOI's,
        unless another PMID holds that DOI or the PMID was kept apart before: then it is
        ``pmid:<PMID>`` (two articles, one DOI); a later record of the same PMID replaces
        the earlier one (a revision)."""
        self.pmids.add(pmid)
        if not pmid.isdigit() or not title:
            self.rejected += 1
            return
        doi = next((d for d in map(normal_doi, dois) if d), None)
        apart = f"pmid:{pmid}"
        owner = self.papers.get(f"doi:{doi}") if doi else None
        if doi is None or apart in self.papers or (owner and owner[0] != pmid):
            paper = apart
            self.kept_apart += doi is not None and apart not in self.papers
        else:
            paper = f"doi:{doi}"
        self.revised += paper in self.papers
        self.papers[paper] = (pmid, keys)

    def bylines(self, parent: ET.Element | None) -> list[str]:
        """Name keys of the byline's people: AuthorList of Type 'authors' (the default),
        Author not marked ValidYN="N", no CollectiveName (a consortium is no person), some
        name ('ForeName LastName', Initials when no ForeName); one ORCID counts once."""
        people: dict[str, str] = {}
        for author_list in () if parent is None else parent.iterfind("AuthorList"):
            if author_list.get("Type", "authors") != "authors":
                continue
            for author in author_list.iterfind("Author"):
                given = clean(author.findtext("ForeName") or author.findtext("Initials"))
                name = clean(f"{given} {clean(author.findtext('LastName'))}")
                if (author.get("ValidYN") == "N" or author.find("CollectiveName") is not None
                        or not any(c.isalnum() for c in name)):
                    self.left_out_authors += 1
                    continue
                orcid = next((valid_orcid(i.text) for i in author.iterfind("Identifier")
                              if (i.get("Source") or "").upper() == "ORCID"), None)
                people[orcid or f"byline {len(people)}"] = name_key(name)
        return list(people.values())

    def delete(self, pmid: str) -> None:
        for paper, (known, _) in list(self.papers.items()):
            if known == pmid:
                del self.papers[paper]
                self.deleted += 1


def open_maybe_gzip(path: Path) -> IO[bytes]:
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == b"\x1f\x8b" else path.open("rb")


def title_of(parent: ET.Element, *paths: str) -> str:
    for path in paths:
        element = parent.find(path)
        if element is not None and clean("".join(element.itertext())):
            return clean("".join(element.itertext()))
    return ""


def doi_in(id_list: ET.Element | None) -> str | None:
    if id_list is None:
        return None
    return next((i.text for i in id_list.iterfind("ArticleId") if i.get("IdType") == "doi"),
                None)


def parse_xml(path: Path) -> Truth:
    """Articles and book articles, their titles, DOIs and bylines; DeleteCitation PMIDs
    remove what was read before them."""
    truth = Truth()
    with open_maybe_gzip(path) as stream:
        for _, element in ET.iterparse(stream, events=("end",)):
            if element.tag == "PubmedArticle":
                truth.records += 1
                citation = element.find("MedlineCitation")
                article = citation.find("Article") if citation is not None else None
                if article is None:
                    truth.rejected += 1
                else:
                    location = next((e.text for e in article.iterfind("ELocationID")
                                     if e.get("EIdType") == "doi"), None)
                    truth.add(clean(citation.findtext("PMID")),
                              title_of(article, "ArticleTitle", "VernacularTitle"),
                              [doi_in(element.find("PubmedData/ArticleIdList")), location],
                              truth.bylines(article))
                element.clear()
            elif element.tag == "PubmedBookArticle":
                truth.records += 1
                truth.book_records += 1
                document = element.find("BookDocument")
                if document is None:
                    truth.rejected += 1
                else:
                    truth.add(clean(document.findtext("PMID")),
                              title_of(document, "ArticleTitle", "Book/BookTitle"),
                              [doi_in(element.find("PubmedBookData/ArticleIdList")),
                               doi_in(document.find("ArticleIdList"))],
                              truth.bylines(document) or truth.bylines(document.find("Book")))
                element.clear()
            elif element.tag == "DeleteCitation":
                for pmid in element.iterfind("PMID"):
                    truth.delete(clean(pmid.text))
                element.clear()
    return truth


def medline_pmids(path: Path) -> list[str]:
    """The PMIDs of a MEDLINE text file, in order."""
    with open_maybe_gzip(path) as stream:
        return [line[6:].strip().decode() for line in stream if line.startswith(b"PMID- ")]


# ---------------------------------------------------------------- inputs


def first_xml_records(source: Path, limit: int, out: Path) -> None:
    """The XML declaration, the set's opening tag and the first ``limit`` PubmedArticles
    (NLM files put each element's tags on lines of their own)."""
    count = 0
    with open_maybe_gzip(source) as stream, out.open("wb") as sink:
        for line in stream:
            if count >= limit and b"<PubmedArticle>" in line:
                break
            sink.write(line)
            count += line.count(b"</PubmedArticle>")
        sink.write(b"</PubmedArticleSet>\n")


def first_medline_records(source: Path, limit: int, out: Path) -> None:
    """The first ``limit`` records of a MEDLINE text file, decompressed."""
    count = 0
    with open_maybe_gzip(source) as stream, out.open("wb") as sink:
        for line in stream:
            if line.startswith(b"PMID- "):
                count += 1
                if count > limit:
                    break
            sink.write(line)


def prepare_inputs(xml: Path, medline: Path, limit: int | None, workdir: Path) -> \
        tuple[Path, Path]:
    """The XML to load and a plain-text MEDLINE file for metaknowledge (it reads no gzip)."""
    workdir.mkdir(parents=True, exist_ok=True)
    base = medline.name.removesuffix(".gz")
    if limit is None:
        with medline.open("rb") as probe:
            if probe.read(2) != b"\x1f\x8b":
                return xml, medline
        plain = workdir / base
        if not plain.exists() or plain.stat().st_mtime < medline.stat().st_mtime:
            first_medline_records(medline, sys.maxsize, plain)
        return xml, plain
    stem = xml.name.removesuffix(".gz").removesuffix(".xml")
    xml_out = workdir / f"{stem}-first{limit}.xml"
    medline_out = workdir / base.replace(".medline", f"-first{limit}.medline", 1)
    if medline_out == workdir / base:
        medline_out = workdir / f"first{limit}-{base}"
    first_xml_records(xml, limit, xml_out)
    first_medline_records(medline, limit, medline_out)
    return xml_out, medline_out


# ---------------------------------------------------------------- runs


@dataclass
class Row:
    """One measured run."""

    label: str
    wall: float
    peak_mib: float
    records: int
    authorships: int
    papers: int | None = None
    authors: int | None = None
    pairs: int | None = None
    check: str = ""
    note: str = ""


def run_measured(command: list[str], env: dict[str, str], log: Path) -> \
        tuple[int, float, float, str]:
    """Run a command with its output in ``log``: exit status, wall seconds, the process's
    own peak RSS in MiB (os.wait4, so one figure per run) and what it printed."""
    with log.open("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                 cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return child.returncode, wall, usage.ru_maxrss / 1024, out.read()


def cli_env(engine: str) -> dict[str, str]:
    """The environment of a CLI subprocess: the working tree first on the path, and no
    Neo4j URI for LadybugDB runs (a set URI selects Neo4j)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    if engine == "ladybug":
        env.pop("NEO4J_URI", None)
    return env


def cli(db: Path | None, *args: str) -> list[str]:
    """`python -m explorer` (the working tree) on ``db``, or on the environment's Neo4j."""
    return [sys.executable, "-m", "explorer", *(["--db", str(db)] if db else []), *args]


def graph_stats(engine: str, db: Path | None, log: Path) -> dict[str, int]:
    status, _, _, out = run_measured(cli(db, "stats", "--format", "json"),
                                     cli_env(engine), log)
    if status:
        raise SystemExit(f"stats failed ({log}):\n{out[-2000:]}")
    return json.loads(out.strip().splitlines()[-1])


def loaded(engine: str, bulk: bool, path: Path, workdir: Path, name: str
           ) -> tuple[float, float, str, dict[str, int]]:
    """One `coauthor-explorer load pubmed` of ``path`` into an empty graph (database and logs
    named ``name``): wall time, peak RSS, output, and the graph's counts."""
    db = workdir / f"{name}.lbdb" if engine == "ladybug" else None
    if db:
        remove_db(db)
    log = workdir / f"{name}.log"
    # --no-bulk said outright: a load into an empty database is a bulk load by default
    command = cli(db, "load", "--bulk" if bulk else "--no-bulk", "pubmed", str(path))
    status, wall, peak, out = run_measured(command, cli_env(engine), log)
    if status:
        raise SystemExit(f"{name} load failed (exit {status}, {log}):\n{out[-3000:]}")
    return wall, peak, out, graph_stats(engine, db, workdir / f"{name}-stats.log")


def records_read(out: str) -> str:
    """What the load says it read ('30,000'), from its summary."""
    read = re.search(r"records read\s+([\d,]+)", out)
    return read.group(1) if read else "?"


def load_run(engine: str, bulk: bool, xml: Path, truth: Truth, workdir: Path) -> Row:
    """One load of the XML, checked against ``truth``."""
    mode = "bulk" if bulk else "incremental"
    wall, peak, out, stats = loaded(engine, bulk, xml, workdir, f"{engine}-{mode}")
    ok = stats["papers"] == len(truth.papers) and stats["authorships"] == truth.authorships
    check = "ok" if ok else (f"MISMATCH: papers {stats['papers']:,} vs {len(truth.papers):,},"
                             f" authorships {stats['authorships']:,} vs {truth.authorships:,}")
    label = {"ladybug": "LadybugDB", "neo4j": "Neo4j"}[engine] + f" load {mode}"
    return Row(label, wall, peak, truth.records, stats["authorships"], stats["papers"],
               stats["authors"], stats["coauthor_pairs"], check,
               f"loader read {records_read(out)} records")


def medline_run(medline: Path, workdir: Path, mk: Row | None) -> Row:
    """Our bulk load of the MEDLINE text metaknowledge reads: its papers and authorships
    must equal metaknowledge's (MEDLINE text has no ValidYN flag, so they differ from the
    XML's by the invalid authors)."""
    wall, peak, out, stats = loaded("ladybug", True, medline, workdir, "ladybug-bulk-medline")
    check = ""
    if mk is not None:
        same = (stats["papers"], stats["authorships"]) == (mk.papers, mk.authorships)
        check = "= metaknowledge" if same else (
            f"MISMATCH: papers {stats['papers']:,} vs {mk.papers:,}, authorships "
            f"{stats['authorships']:,} vs {mk.authorships:,} (metaknowledge)")
    read = records_read(out)
    return Row("LadybugDB load bulk, MEDLINE text", wall, peak, int(read.replace(",", "")),
               stats["authorships"], stats["papers"], stats["authors"],
               stats["coauthor_pairs"], check,
               f"the file metaknowledge reads; loader read {read} records")


def floor_run(medline_row: Row, workdir: Path) -> Row:
    """LadybugDB alone writing the graph of the MEDLINE load: that database exported to
    Parquet (not timed), then imported into a new database in a fresh interpreter that
    imports only ladybug (timed like every row). A load of ours writes the same tables and
    cannot take less; the difference is reading, resolving and collecting."""
    export = workdir / "ladybug-floor-export"
    shutil.rmtree(export, ignore_errors=True)
    source = workdir / "ladybug-bulk-medline.lbdb"
    log = workdir / "ladybug-floor-export.log"
    status, _, _, out = run_measured([sys.executable, "-c", EXPORT_SCRIPT, str(source),
                                      str(export)], cli_env("ladybug"), log)
    if status:
        raise SystemExit(f"EXPORT DATABASE failed ({log}):\n{out[-2000:]}")
    db = workdir / "ladybug-floor.lbdb"
    remove_db(db)
    log = workdir / "ladybug-floor.log"
    status, wall, peak, out = run_measured([sys.executable, "-c", IMPORT_SCRIPT, str(db),
                                            str(export)], cli_env("ladybug"), log)
    if status:
        raise SystemExit(f"IMPORT DATABASE failed ({log}):\n{out[-2000:]}")
    stats = graph_stats("ladybug", db, workdir / "ladybug-floor-stats.log")
    shutil.rmtree(export, ignore_errors=True)
    same = all(stats[k] == getattr(medline_row, a) for k, a in (
        ("papers", "papers"), ("authorships", "authorships"), ("authors", "authors"),
        ("coauthor_pairs", "pairs")))
    return Row("LadybugDB alone: IMPORT DATABASE of that graph (the floor)", wall, peak,
               medline_row.records, stats["authorships"], stats["papers"], stats["authors"],
               stats["coauthor_pairs"], "= the row above" if same else
               "MISMATCH: not the graph of the row above",
               "the engine writing the same tables from its own Parquet export; no reading,"
               " resolving or collecting")


def metaknowledge_python(workdir: Path) -> tuple[str, str]:
    """An interpreter that imports metaknowledge, and how it got there: the project's own
    when it has the package, else a virtualenv created (once) with pip from PyPI."""
    if importlib.util.find_spec("metaknowledge"):
        return sys.executable, "already in the project environment"
    python = MK_VENV / "bin" / "python"
    how = (f"`pip install metaknowledge=={MK_VERSION}` in an isolated virtualenv "
           f"({MK_VENV.relative_to(ROOT)}, created on first run and reused)")
    probe = [str(python), "-c", "import metaknowledge"]
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        return str(python), how
    print(f"creating {MK_VENV} with metaknowledge {MK_VERSION} ...", flush=True)
    venv.EnvBuilder(clear=True, with_pip=True).create(MK_VENV)
    with (workdir / "metaknowledge-install.log").open("w") as log:
        subprocess.run([str(python), "-m", "pip", "install", "--disable-pip-version-check",
                        f"metaknowledge=={MK_VERSION}"], check=True, stdout=log,
                       stderr=subprocess.STDOUT)
    return str(python), how


def metaknowledge_run(medline: Path, workdir: Path) -> tuple[Row, str]:
    python, how = metaknowledge_python(workdir)
    log = workdir / "metaknowledge.log"
    status, wall, peak, out = run_measured([python, "-c", MK_SCRIPT, str(medline)],
                                           dict(os.environ), log)
    if status:
        raise SystemExit(f"metaknowledge failed (exit {status}, {log}):\n{out[-3000:]}")
    mk = json.loads(out.strip().splitlines()[-1])
    note = (f"RecordCollection {mk['read_s']:.1f} s + networkCoAuthor {mk['network_s']:.1f} s;"
            f" {mk['self_loops']} self-loops, {mk['errors']} bad files")
    row = Row(f"metaknowledge {mk['version']} (networkx {mk['networkx']})", wall, peak,
              mk["records"], mk["authorships"], mk["records"], mk["nodes"], mk["edges"],
              "", note)
    return row, how


# ---------------------------------------------------------------- report


def table(rows: list[Row]) -> list[str]:
    def n(value: int | None) -> str:
        return "" if value is None else f"{value:,}"

    lines = ["| run | wall s | records/s | authorships/s | peak RSS MiB | papers | "
             "authorships | authors | co-author pairs | check | notes |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in rows:
        lines.append(
            f"| {r.label} | {r.wall:.1f} | {r.records / r.wall:,.0f} | "
            f"{r.authorships / r.wall:,.0f} | {r.peak_mib:,.0f} | {n(r.papers)} | "
            f"{n(r.authorships)} | {n(r.authors)} | {n(r.pairs)} | {r.check} | {r.note} |")
    return lines


def engines_arg(text: str) -> list[str]:
    engines = [e.strip() for e in text.split(",") if e.strip()]
    unknown = set(engines) - {"ladybug", "neo4j"}
    if unknown or not engines:
        raise argparse.ArgumentTypeError(f"engines are ladybug and neo4j, not {text!r}")
    return engines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xml", type=Path, default=DEFAULT_XML, help="PubMed XML (.gz)")
    parser.add_argument("--medline", type=Path, default=DEFAULT_MEDLINE,
                        help="the same records as MEDLINE text (.gz), for metaknowledge")
    parser.add_argument("--engines", type=engines_arg, default=["ladybug", "neo4j"])
    parser.add_argument("--limit", type=int, help="only the first N records of both files")
    parser.add_argument("--workdir", type=Path, default=DATA_DIR,
                        help="databases, logs and derived inputs (deleted and remade)")
    parser.add_argument("--no-metaknowledge", action="store_true")
    parser.add_argument("--neo4j-clear", action="store_true",
                        help="empty the Neo4j database first (it must be empty otherwise)")
    parser.add_argument("--no-record", action="store_true", help="do not touch RESULTS.md")
    args = parser.parse_args(argv)

    xml, medline = prepare_inputs(args.xml, args.medline, args.limit, args.workdir)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    truth = parse_xml(xml)
    parse_s = time.perf_counter() - started
    pmids = medline_pmids(medline)
    same = sorted(pmids) == sorted(truth.pmids) and len(pmids) == truth.records
    corpus = (f"{args.xml.name}" + (f", first {args.limit:,} records" if args.limit else "")
              + f": {truth.records:,} records ({truth.book_records:,} books; "
              f"{truth.rejected:,} without PMID or title, {truth.revised:,} revising an "
              f"earlier record of their PMID, {truth.kept_apart:,} kept apart from another "
              f"PMID's paper with the same DOI, {truth.deleted:,} deleted by DeleteCitation), "
              f"**{len(truth.papers):,} papers, {truth.authorships:,} authorships** "
              f"({truth.left_out_authors:,} invalid, collective or nameless authors left out),"
              f" {truth.authors():,} distinct folded names, {truth.pairs():,} co-author "
              f"name pairs; MEDLINE text {args.medline.name}: {len(pmids):,} records, "
              + ("the same PMIDs" if same else "NOT the same PMIDs"))
    print(f"independent parse ({parse_s:.1f} s): {corpus}", flush=True)

    rows: list[Row] = []
    skipped: list[str] = []
    for engine in args.engines:
        why = neo4j_ready(args.neo4j_clear) if engine == "neo4j" else None
        if why:
            skipped.append(f"Neo4j skipped: {why}")
            print(skipped[-1], flush=True)
            continue
        for bulk in (False, True) if engine == "ladybug" else (False,):
            rows.append(load_run(engine, bulk, xml, truth, args.workdir))
            print(f"{rows[-1].label}: {rows[-1].wall:.1f} s, {rows[-1].check}", flush=True)
    how = "not run (--no-metaknowledge)"
    mk = None
    if not args.no_metaknowledge:
        mk, how = metaknowledge_run(medline, args.workdir)
        rows.append(mk)
        print(f"{mk.label}: {mk.wall:.1f} s", flush=True)
    if "ladybug" in args.engines:
        ours = medline_run(medline, args.workdir, mk)
        rows.insert(len(rows) - (mk is not None), ours)  # before metaknowledge's row
        print(f"{ours.label}: {ours.wall:.1f} s, {ours.check}", flush=True)
        floor = floor_run(ours, args.workdir)
        rows.insert(len(rows) - (mk is not None), floor)
        print(f"{floor.label}: {floor.wall:.1f} s, {floor.check}", flush=True)

    lines = table(rows)
    print("\n".join(lines))
    mismatched = [r for r in rows if r.check.startswith("MISMATCH")]
    for r in mismatched:
        print(f"{r.label}: {r.check}", file=sys.stderr)
    if mismatched or not same:
        if not same:
            print("MISMATCH: the MEDLINE file does not hold the XML's records", file=sys.stderr)
        return 1
    if args.no_record:
        return 0
    command = typed_command("pubmed_load.py", argv)
    append_results(f"PubMed load: {args.xml.name}"
                   + (f" (first {args.limit:,})" if args.limit else "")
                   + ", coauthor-explorer vs metaknowledge", [
        f"- command: `{command.strip()}`",
        f"- corpus: {corpus}",
        f"- independent parse: xml.etree, {parse_s:.1f} s; papers and authorships in every "
        "graph equal it exactly (check column)",
        f"- metaknowledge: {how}; it reads the MEDLINE text (latin-1, not gzip), ours the "
        "PubMed XML (.gz) and, in the row so named, the same MEDLINE text",
        *(f"- {s}" for s in skipped),
        "- wall time and peak RSS are per subprocess (interpreter start included; "
        "os.wait4); ours include writing the database, Neo4j's RSS is the client's only; "
        f"1-minute load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after "
        "(other work on the machine slows the figures)",
        "",
        *lines,
    ])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
