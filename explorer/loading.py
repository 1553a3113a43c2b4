"""Stream records from loaders into the store in batches, with progress and a summary."""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from loaders import SOURCES, Rejected, reader
from loaders.base import UnreadableFile, report_bytes_read, reporting_bytes_read
from loaders.detect import detect_source
from loaders.openalex_columns import is_json_lines, read_blocks
from loaders.openalex_columns import rejected as block_rejections

from .bulk import BulkImporter, graph_is_empty, require_empty_graph
from .bulk_chunks import Chunk
from .bulk_lookups import BulkLookups
from .identity import IdentityReport, IdentityResolver, StoreLookups
from .paper_claims import PaperClaims
from .records import Deletion, Work
from .store.base import GraphStore
from .terminal import printable
from .thesaurus import Thesaurus
from .views.wording import counted
from .writer import GraphWriter, WriteSummary

AUTO = "auto"
"""The source name that means: tell each file's source from its content."""


@dataclass
class LoadReport:
    """What a load did, for the summary printed at the end."""

    records: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    written: WriteSummary = field(default_factory=WriteSummary)
    identity: IdentityReport = field(default_factory=IdentityReport)
    separated: int = 0  # PubMed records kept apart from another PMID's paper with their DOI
    phases: dict[str, float] = field(default_factory=dict)  # bulk loads: seconds per phase
    peaks: dict[str, float] = field(default_factory=dict)   # and peak RSS (MiB) after each
    files: dict[str, Path] = field(default_factory=dict)   # CSV for neo4j-admin, by table

    def lines(self) -> list[str]:
        w = self.written
        return [
            f"records read      {self.records:,}",
            f"papers            {w.papers_created:,} created, {w.papers_updated:,} updated, "
            f"{w.papers_unchanged:,} unchanged, {w.papers_deleted:,} deleted",
            *([f"                  {counted(self.separated, 'PubMed record')} with another "
               "PMID's DOI kept apart as " + ("a paper of its own" if self.separated == 1
                                              else "papers of their own") + " (pmid:…)"]
              if self.separated else []),
            f"authors           {w.authors_created:,} created, {w.authors_updated:,} updated",
            f"authorships       {w.authorships:,} written",
            f"topics            {w.topics_created:,} created",
            f"institutions      {w.institutions_created:,} created",
            f"co-author pairs   {w.coauthor_pairs_created:,} created, "
            f"{w.coauthor_pairs_updated:,} updated, {w.coauthor_pairs_removed:,} removed",
            *self.identity.lines(),
            f"rejected          {len(self.rejected):,} records, "
            f"{len(self.unreadable):,} unreadable files",
            *(["bulk phases       " + ", ".join(
                f"{name} {seconds:.1f} s (peak memory {self.peaks[name]:,.0f} MiB)"
                for name, seconds in self.phases.items())]
              if self.phases else []),
        ]


Record = Work | Deletion | Chunk
"""What a load writes: works and deletions from any loader, or (bulk loads of OpenAlex
JSON Lines) chunks of works already in columns."""


@dataclass
class Columnar:
    """How a bulk load reads OpenAlex JSON Lines (loaders.openalex_columns): with how
    many worker processes, and whether every block must come back as works (when a
    thesaurus or recorded merges could change an author id)."""

    workers: int | None = None
    as_works: bool = False


PARALLEL_READERS = frozenset({"pubmed"})
"""Sources whose ``read`` parses big files in worker processes (``workers=``)."""


def _records(source: str, paths: Iterable[Path], report: LoadReport,
             warn: Callable[[str], None], columnar: Columnar | None = None,
             workers: int | None = None) -> Iterator[Record]:
    for path in paths:
        try:
            name = _source_of(path) if source == AUTO else source
            if columnar is not None and name == "openalex" and is_json_lines(path):
                yield from _blocks(path, report, warn, columnar)
                continue
            read = reader(name)
            items = read(path, workers=workers) if name in PARALLEL_READERS else read(path)
            for item in items:
                if isinstance(item, Rejected):
                    report.rejected.append(item)
                    warn(f"rejected {item}")
                else:
                    report.records += 1
                    yield item
        except UnreadableFile as exc:
            report.unreadable.append(str(exc))
            warn(f"skipped {exc}")


def _blocks(path: Path, report: LoadReport, warn: Callable[[str], None],
            columnar: Columnar) -> Iterator[Record]:
    for block, line in read_blocks(path, workers=columnar.workers,
                                   as_works=columnar.as_works):
        if path.suffix != ".gz":  # a gzip file is read, and counted, in this process
            report_bytes_read(block.size)
        for item in block_rejections(path, block, line):
            report.rejected.append(item)
            warn(f"rejected {item}")
        report.records += block.records
        if block.chunk is not None:
            yield block.chunk
        else:
            yield from block.works or []


def _source_of(path: Path) -> str:
    found = detect_source(path)
    if found is None:
        raise UnreadableFile(f"{path}: not a format 'auto' recognises; name the source "
                             f"({', '.join(SOURCES)})")
    return found


def _batches(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Runs of at most ``size`` records, never mixing works and deletions, in file order;
    a chunk is a batch of its own."""
    batch: list[Record] = []
    for record in records:
        if batch and (len(batch) >= size or type(record) is not type(batch[-1])
                      or isinstance(record, Chunk)):
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


def load_paths(store: GraphStore, source: str, paths: Iterable[Path], *,
               batch_size: int = 2000, reject_file: TextIO | None = None,
               progress: bool | None = None, bulk: bool = False,
               thesaurus: Thesaurus | None = None, workers: int | None = None,
               neo4j_csv: Path | None = None) -> LoadReport:
    """Load files of one source; bad records are reported, every other record is written.

    Each batch's authors are resolved to people (explorer.identity), then written in one
    transaction. ``bulk`` is for a first load into an empty graph: where the engine can
    bulk-copy, the resolved records are collected in compact form and copied at the end
    (explorer.bulk), much faster than batched transactions; elsewhere they go through the
    same batches as any load. A bulk load of OpenAlex JSON Lines parses them in
    ``workers`` processes (default: one per core, at most four) straight into columns.
    With ``neo4j_csv`` (a directory), a bulk load writes CSV files for `neo4j-admin
    database import` there instead of copying (``report.files``); the store stays empty.
    """
    if source not in SOURCES and source != AUTO:
        raise ValueError(f"unknown source {source!r}; choose from {', '.join(SOURCES)}")
    report = LoadReport()
    paths = list(paths)
    show = sys.stderr.isatty() if progress is None else progress
    total = sum(p.stat().st_size for p in paths if p.is_file())
    bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, disable=not show,
               file=sys.stderr, dynamic_ncols=True, desc=source)
    started = time.monotonic()

    def note(message: str) -> None:
        bar.write(printable(message), file=sys.stderr)

    def warn(message: str) -> None:
        note(message)  # the rejects file keeps it exact
        if reject_file is not None:
            reject_file.write(message + "\n")

    def written(count: int) -> None:
        done = report.records + len(report.rejected)
        rate = done / max(time.monotonic() - started, 1e-9)
        bar.set_postfix_str(f"{done:,} records, {rate:,.0f} records/s", refresh=False)

    bulk = bulk or neo4j_csv is not None
    columnar = None
    if bulk and store.engine.can_copy_tables:
        columnar = Columnar(workers=workers, as_works=bool(thesaurus) or bool(_aliases(store)))
    with reporting_bytes_read(bar.update), cycle_collector_paused():
        write_records(store, _records(source, paths, report, warn, columnar, workers), report,
                      batch_size=batch_size, bulk=bulk, thesaurus=thesaurus, progress=written,
                      neo4j_csv=neo4j_csv, note=note)
    bar.close()
    return report


def bulk_by_default(store: GraphStore) -> bool:
    """Whether a load that does not say takes the bulk path: the first load (an empty
    graph) on an engine that copies tables, where it is several times faster (the
    30,000-record PubMed file: 13 s against 32 s; bench/RESULTS.md)."""
    return store.engine.can_copy_tables and graph_is_empty(store)


@contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while loading (worker processes forked meanwhile
    inherit it), back on after. A load holds hundreds of thousands of long-lived objects
    (people, ids, caches) that every full collection walks again: 7 of the 26 s of a bulk
    PubMed load (bench/RESULTS.md); reading and writing records makes almost no cyclic
    garbage (2,601 objects collected after that whole load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _aliases(store: GraphStore) -> dict[str, str]:
    with store.transaction() as tx:
        return StoreLookups(tx).aliases()


def write_records(store: GraphStore, records: Iterable[Record], report: LoadReport,
                  *, batch_size: int = 2000, bulk: bool = False,
                  thesaurus: Thesaurus | None = None,
                  progress: Callable[[int], None] | None = None,
                  neo4j_csv: Path | None = None,
                  note: Callable[[str], None] | None = None) -> LoadReport:
    """Resolve and write records (works and deletions, in order) batch by batch; ``note``
    hears of PubMed records kept apart from another PMID's paper (explorer.paper_claims)."""
    claims = PaperClaims(store, note or (lambda message: None))
    if neo4j_csv is not None and not store.engine.can_copy_tables:
        raise ValueError("CSV for neo4j-admin is made with the embedded engine's bulk path")
    if bulk and not store.engine.can_copy_tables:
        require_empty_graph(store)
        bulk = False
    if bulk:
        return _bulk_records(store, records, report, claims,
                             batch_size=max(batch_size, BULK_BATCH), thesaurus=thesaurus,
                             progress=progress, neo4j_csv=neo4j_csv)
    resolver = IdentityResolver(store, thesaurus)
    writer = GraphWriter(store)
    with store.engine.many_writes():
        for batch in _batches(records, batch_size):
            if isinstance(batch[0], Deletion):
                report.written.add(writer.delete([d.id for d in batch]))
                claims.deleted(d.id for d in batch)
                resolver.forget(everything=True)  # deleted papers and authors are gone
            else:
                report.written.add(writer.write(resolver.resolve(claims.settle(batch))))
                resolver.forget()
                claims.forget()  # the store has them now
            if progress is not None:
                progress(len(batch))
    report.identity = resolver.report
    report.separated = claims.separated
    return report


BULK_BATCH = 50_000
"""Works resolved at a time by a bulk load (the importer answers the resolver's lookups,
so the batch size changes the speed, not the result)."""


def _bulk_records(store: GraphStore, records: Iterable[Record], report: LoadReport,
                  claims: PaperClaims, *, batch_size: int, thesaurus: Thesaurus | None,
                  progress: Callable[[int], None] | None,
                  neo4j_csv: Path | None = None) -> LoadReport:
    """Resolve batch after batch against what the importer holds, then copy everything
    (or write it as CSV for neo4j-admin)."""
    importer = BulkImporter(store, workdir=neo4j_csv)
    try:
        resolver = IdentityResolver(store, thesaurus)
        lookups = BulkLookups(importer, _aliases(store))
        for batch in _batches(records, batch_size):
            if isinstance(batch[0], Chunk):  # resolved already: every author has an id
                importer.add_chunk(batch[0])
            elif isinstance(batch[0], Deletion):
                importer.delete(d.id for d in batch)
                claims.deleted(d.id for d in batch)
            else:
                importer.add(resolver.resolve(claims.settle(batch), lookups))
            resolver.forget(everything=True)  # the importer remembers them
            if progress is not None:
                progress(batch[0].size if isinstance(batch[0], Chunk) else len(batch))
        if neo4j_csv is None:
            report.written.add(importer.finish())
        else:
            report.files, written = importer.export_neo4j_csv(neo4j_csv)
            report.written.add(written)
        report.phases, report.peaks = importer.phases, importer.peaks
        report.separated = claims.separated
    except BaseException:
        importer.abandon()
        raise
    report.identity = resolver.report
    return report
