"""OpenAlex JSON Lines straight into bulk-import chunks, on every core, without objects.

For a first bulk load of OpenAlex snapshot files: blocks of lines are parsed by a pool of
worker processes (orjson), each into an :class:`explorer.bulk_chunks.Chunk` with the same
columns :func:`explorer.bulk_chunks.chunk_from_works` makes from ``loaders.openalex``
works (a test holds them equal). Every author of a snapshot work normally has an OpenAlex
id, so there is nothing to resolve; a block with an author known only by name comes back
as works instead, for the identity resolver. Bad lines are reported with file, line and
reason, as ``loaders.openalex`` reports them, and the rest loads.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from explorer.bulk_chunks import Chunk, ChunkBuilder
from explorer.records import Work

from . import openalex
from .base import Rejected, doi_id, name_id, open_binary, unreadable_file_errors
from .openalex import (
    is_json_lines_head,
    not_a_work,
    read_head,
    ror_field,
    score_field,
    text_field,
    work_key,
)
from .workers import in_order, process_pool, workers_default

BLOCK_BYTES = 16 << 20
"""Bytes of JSON Lines per block (one task for a worker; ~9,000 synthetic works)."""


@dataclass
class Block:
    """What one block of lines gave: a chunk, or works for the resolver; rejections."""

    chunk: Chunk | None = None
    works: list[Work] | None = None
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (line in block, why)
    records: int = 0
    lines: int = 0
    size: int = 0


def is_json_lines(path: Path) -> bool:
    """Whether ``loaders.openalex`` would read the file line by line (a JSON object on its
    first non-blank line, not an API page)."""
    with unreadable_file_errors(path, streamed=True), open_binary(path) as lines:
        return is_json_lines_head(read_head(lines))


# -- one block, in a worker ---------------------------------------------------------------


class _NeedsResolver(Exception):
    """A byline without an author id: the block goes to the identity resolver."""


_OPENALEX, _ORCID = "https://openalex.org/", "https://orcid.org/"


def _short(url: str | None, prefix: str) -> str | None:
    """``loaders.openalex._short``, with the expected prefix tried first (faster)."""
    if url and url.startswith(prefix):
        return url[len(prefix):].strip("/") or None
    return openalex._short(url)


def _author(authorship: dict[str, Any]) -> tuple | None:
    """(id, name, orcid, institutions) exactly as ``loaders.openalex._author`` decides."""
    person = authorship.get("author") or {}
    name = person.get("display_name") or authorship.get("raw_author_name") or ""
    orcid = openalex.orcid_field(_short(person.get("orcid"), _ORCID))
    if orcid:
        author_id = f"orcid:{orcid}"
    else:
        source_id = _short(person.get("id"), _OPENALEX)
        if source_id:
            author_id = f"openalex:{source_id}"
        elif name.strip():
            raise _NeedsResolver(name_id(name))
        else:
            return None
    institutions = []
    for i in authorship.get("institutions") or ():
        if i.get("id"):
            short = _short(i["id"], _OPENALEX)
            institutions.append((f"openalex:{short}", text_field(i.get("display_name")) or short,
                                 text_field(i.get("country_code")), ror_field(i.get("ror"))))
    return author_id, name.strip() or author_id, orcid, institutions


def _add(record: Any, out: ChunkBuilder) -> str | None:
    """Append one record's columns; the reason when it is not a work."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if not record.get("id"):
        return "no id"
    work_id = work_key(record["id"])
    if work_id is None:
        return not_a_work(record["id"])
    title = " ".join((record.get("title") or record.get("display_name") or "").split())
    if not title:
        return "no title"
    authors = [a for a in map(_author, record.get("authorships") or []) if a]
    location = record.get("primary_location") or {}
    source = location.get("source") or record.get("host_venue") or {}
    ids = record.get("ids") or {}
    year = record.get("publication_year")
    year = year if isinstance(year, int) else None
    doi = openalex._short(record.get("doi") or ids.get("doi"))
    paper_id = doi_id(doi) or f"openalex:{work_id}"
    doi = doi.lower() if doi else None
    pmid = openalex._short(ids.get("pmid"))
    venue, kind = text_field(source.get("display_name")), text_field(record.get("type"))
    date, abstract = openalex.details(record, year)
    topics = [(f"openalex:{_short(t['id'], _OPENALEX)}", text_field(t.get("display_name")) or "",
               score_field(t.get("score")))
              for t in record.get("topics") or record.get("concepts") or [] if t.get("id")]

    number = len(out.hashes)
    bylines, affiliations, author_index = out.bylines, out.affiliations, out.author_index
    seen: set[str] = set()
    for author_id, name, orcid, institutions in authors:
        local = author_index.get(author_id)
        if local is None:
            local = author_index[author_id] = len(author_index)
        position = 0
        if author_id not in seen:
            seen.add(author_id)
            position = len(seen)
        bylines.append((number, position, local, name, orcid, None, None))
        for inst in institutions:
            out.institutions[inst[0]] = inst[1:]
            affiliations.append((number, local, inst[0]))
    for topic_id, (name, score) in {t[0]: t[1:] for t in topics}.items():
        out.topics[topic_id] = name
        out.links.append((number, topic_id, score))
    document = {  # the fields of explorer.records.Work, in order, as the writer hashes it
        "id": paper_id, "title": title, "year": year, "doi": doi, "arxiv_id": None,
        "pmid": pmid, "venue": venue, "type": kind, "source": "openalex",
        "authors": [{"id": a, "name": n, "orcid": o,
                     "institutions": [{"id": i, "name": m, "country": c, "ror": r}
                                      for i, m, c, r in institutions],
                     "family": None, "given": None}
                    for a, n, o, institutions in authors],
        "topics": [{"id": i, "name": n, "score": s} for i, n, s in topics],
        "publication_date": date, "abstract": abstract,
    }
    papers = out.papers
    papers["id"].append(paper_id)
    papers["title"].append(title)
    papers["year"].append(year)
    papers["doi"].append(doi)
    papers["arxiv_id"].append(None)
    papers["pmid"].append(pmid)
    papers["venue"].append(venue)
    papers["type"].append(kind)
    papers["source"].append("openalex")
    papers["author_count"].append(len(seen))
    papers["fingerprint"].append(hashlib.blake2b(orjson.dumps(document),
                                                 digest_size=16).hexdigest())
    papers["publication_date"].append(date)
    papers["abstract"].append(abstract)
    out.hashes.append(int.from_bytes(hashlib.blake2b(paper_id.encode(),
                                                     digest_size=8).digest(), "little") >> 1)
    return None


def _records(data: bytes) -> Iterator[tuple[int, Any]]:
    """(line number in the block, parsed record or the reason it is not JSON)."""
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            yield number, orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            try:  # a line in Latin-1 among UTF-8 ones (mixed encodings)
                yield number, orjson.loads(raw.decode("latin-1").encode())
            except orjson.JSONDecodeError:
                yield number, Rejected("", "", f"not JSON ({exc})")


def parse_block(data: bytes, as_works: bool = False) -> Block:
    """One block of whole lines as a chunk (or as works, when ``as_works`` or when an
    author has no id)."""
    block = Block(lines=data.count(b"\n") + (not data.endswith(b"\n")), size=len(data))
    if not as_works:
        out = ChunkBuilder()
        try:
            for number, record in _records(data):
                reason = record.reason if isinstance(record, Rejected) else _add(record, out)
                if reason is None:
                    block.records += 1
                else:
                    block.rejected.append((number, reason))
            block.chunk = out.build()
            return block
        except _NeedsResolver:
            block.rejected.clear()
            block.records = 0
    block.works = []
    for number, record in _records(data):
        work = record.reason if isinstance(record, Rejected) else openalex.to_work(record)
        if isinstance(work, str):
            block.rejected.append((number, work))
        else:
            block.works.append(work)
            block.records += 1
    return block


def _read_range(path: str, start: int, end: int, as_works: bool) -> Block:
    with open(path, "rb") as handle:
        handle.seek(start)
        return parse_block(handle.read(end - start), as_works)


# -- the whole file, in the main process --------------------------------------------------


def _ranges(path: Path, block: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of whole lines, about ``block`` bytes each."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        start = 0
        while start < size:
            handle.seek(min(start + block, size))
            handle.readline()
            end = min(handle.tell(), size) if start + block < size else size
            yield start, end
            start = end


def _gzip_blocks(path: Path, block: int) -> Iterator[bytes]:
    """Blocks of whole lines; the lines before damage to the archive come out first."""
    with open_binary(path) as lines:
        pending: list[bytes] = []
        size = 0
        try:
            for line in lines:
                pending.append(line)
                size += len(line)
                if size >= block:
                    yield b"".join(pending)
                    pending, size = [], 0
        except Exception:
            if pending:
                yield b"".join(pending)
            raise
        if pending:
            yield b"".join(pending)


def read_blocks(path: Path, *, workers: int | None = None, as_works: bool = False,
                block_bytes: int | None = None) -> Iterator[tuple[Block, int]]:
    """Blocks of a JSON Lines file in file order, parsed ``workers`` at a time, each with
    the number of the file's line before it. Plain files are read by the workers
    themselves; gzip is decompressed here and sent to them."""
    count = workers or workers_default()
    block_bytes = block_bytes or BLOCK_BYTES
    with unreadable_file_errors(path, streamed=True), process_pool(count) as pool:
        if path.suffix == ".gz":
            tasks = (pool.submit(parse_block, data, as_works)
                     for data in _gzip_blocks(path, block_bytes))
        else:
            tasks = (pool.submit(_read_range, str(path), start, end, as_works)
                     for start, end in _ranges(path, block_bytes))
        line = 0
        for block in in_order(tasks, ahead=count + 1):
            yield block, line
            line += block.lines


def rejected(path: Path, block: Block, line: int) -> list[Rejected]:
    """A block's rejections with the file's line numbers."""
    return [Rejected(str(path), f"line {line + number}", reason)
            for number, reason in block.rejected]
