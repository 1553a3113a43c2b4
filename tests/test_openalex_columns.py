"""Bulk loads read OpenAlex JSON Lines straight into columns (loaders.openalex_columns):
the columns must be exactly those of the works loaders.openalex makes, and the graph
exactly the writer's."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from bench.generate import generate_works, write_openalex_jsonl
from explorer.bulk_chunks import chunk_from_works
from explorer.loading import load_paths
from loaders import openalex, openalex_columns
from loaders.openalex_columns import parse_block
from tests.conftest import fresh_store
from tests.test_bulk_import import snapshot

SAMPLE = Path(__file__).parent / "data" / "openalex" / "openalex-local_sample_works.jsonl.gz"


def real_records_with_ids() -> list[dict]:
    """The real sample's works whose every author has an OpenAlex id."""
    records = [json.loads(line) for line in gzip.decompress(SAMPLE.read_bytes()).splitlines()]
    kept = [r for r in records if all((a.get("author") or {}).get("id")
                                      for a in r["authorships"])]
    assert 50 < len(kept) < len(records), "the sample has both kinds"
    return kept


def assert_same_chunk(block, works) -> None:
    expected = chunk_from_works(works)
    chunk = block.chunk
    assert chunk is not None and block.works is None
    assert chunk.papers.equals(expected.papers)
    assert chunk.paper_hashes == expected.paper_hashes
    assert chunk.authors.equals(expected.authors)
    assert chunk.bylines.equals(expected.bylines)
    assert chunk.topic_links.equals(expected.topic_links)
    assert chunk.affiliations.equals(expected.affiliations)
    assert (chunk.topics, chunk.institutions) == (expected.topics, expected.institutions)


def test_real_records_give_the_columns_of_their_works():
    records = real_records_with_ids()
    data = b"\n".join(json.dumps(r).encode() for r in records)
    assert_same_chunk(parse_block(data), [openalex.to_work(r) for r in records])


def test_synthetic_records_give_the_columns_of_their_works(tmp_path):
    works = list(generate_works(3000, seed=5))
    path = tmp_path / "synth.jsonl"
    write_openalex_jsonl(works, path)
    expected = [w for w in openalex.read(path)]
    assert_same_chunk(parse_block(path.read_bytes()), expected)


def test_an_author_without_id_sends_the_block_to_the_resolver():
    data = gzip.decompress(SAMPLE.read_bytes())
    block = parse_block(data)
    assert block.chunk is None
    assert block.works == list(openalex.read(SAMPLE))
    assert block.records == len(block.works) == 100


def test_bad_lines_are_rejected_with_line_and_reason_and_the_rest_load(tmp_path):
    good = [json.dumps(r) for r in real_records_with_ids()[:3]]
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([good[0], "{not json", json.dumps({"id": None}), "",
                                 json.dumps({"id": "https://openalex.org/W1", "title": ""}),
                                 "[1, 2]", good[1], good[2]]) + "\n")
    with fresh_store("ladybug", tmp_path / "db") as store:
        report = load_paths(store, "openalex", [broken], progress=False, bulk=True)
        found = [(r.file, r.record, r.reason.split(" (")[0]) for r in report.rejected]
        general = [(r.file, r.record, r.reason.split(" (")[0])
                   for r in openalex.read(broken) if isinstance(r, openalex.Rejected)]
        assert found == general == [
            (str(broken), "line 2", "not JSON"), (str(broken), "line 3", "no id"),
            (str(broken), "line 5", "no title"), (str(broken), "line 6", "not a JSON object")]
        assert report.records == 3 and report.written.papers_created == 3


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz"])
def test_columns_bulk_load_builds_the_writers_graph(tmp_path, monkeypatch, suffix):
    """Many small blocks on two workers, a repeated paper (the later record wins), the
    real sample's name-only authors in the middle (resolved against the blocks before),
    against the writer reading the same file record by record."""
    works = list(generate_works(4000, seed=7))
    path = tmp_path / f"mixed{suffix}"
    write_openalex_jsonl(works[:400], tmp_path / "head.jsonl")
    write_openalex_jsonl(works[400:] + works[:5], tmp_path / "tail.jsonl")
    lines = ((tmp_path / "head.jsonl").read_bytes() + gzip.decompress(SAMPLE.read_bytes())
             + (tmp_path / "tail.jsonl").read_bytes())
    path.write_bytes(gzip.compress(lines) if suffix.endswith(".gz") else lines)
    monkeypatch.setattr(openalex_columns, "BLOCK_BYTES", 20_000)
    with fresh_store("ladybug", tmp_path / "a", coauthor_max_authors=20) as copied, \
            fresh_store("ladybug", tmp_path / "b", coauthor_max_authors=20) as written:
        bulk = load_paths(copied, "openalex", [path], progress=False, bulk=True, workers=2)
        incremental = load_paths(written, "openalex", [path], progress=False, batch_size=300)
        assert bulk.records == incremental.records == len(works) + 105
        assert bulk.identity.lines() == incremental.identity.lines()
        assert bulk.written.papers_created == len(works) + 100
        assert snapshot(copied) == snapshot(written)
