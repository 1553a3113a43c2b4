"""`load auto`: each file's source is told from its content, whatever its name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from loaders.detect import detect_source

DATA = Path(__file__).parent / "data"
SAMPLES = sorted(p for p in DATA.glob("*/*") if p.name != "README.md")


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_sample_is_recognised_even_renamed(path, tmp_path):
    assert detect_source(path) == path.parent.name
    renamed = tmp_path / ("records.gz" if path.suffix == ".gz" else "records.dat")
    shutil.copy(path, renamed)
    assert detect_source(renamed) == path.parent.name


def test_a_mixed_load_equals_loading_each_source(store, tmp_path):
    files = [DATA / "ris" / "litstudy-example.ris", DATA / "wos" / "savedrecs_7.txt",
             DATA / "pubmed" / "pubmed-29768149.xml"]
    unknown = tmp_path / "notes.txt"
    unknown.write_text("just some notes\n")
    report = load_paths(store, "auto", [*files, unknown], progress=False)
    assert report.unreadable == [f"{unknown}: not a format 'auto' recognises; name the "
                                 "source (openalex, dblp, arxiv, crossref, pubmed, bibtex, "
                                 "ris, scopus, wos)"]
    mixed = Graph(store).stats()
    for path in files:
        load_paths(store, path.parent.name, [path], progress=False)
    assert Graph(store).stats() == mixed, "the same records, so nothing changes"


def test_a_directory_or_a_head_cut_mid_character_is_handled(store, tmp_path):
    report = load_paths(store, "auto", [tmp_path], progress=False)
    assert len(report.unreadable) == 1 and "cannot read it" in report.unreadable[0]
    entry = "@article{k, title={Ünïcödé}, year={2020}, author={Müller, Jörg}}\n"
    text = "%" + "é" * 30_000 + "\n" + entry + "%" + "é" * 30_000  # look-ahead ends in an é
    cut = tmp_path / "refs.dat"
    cut.write_text(text, encoding="utf-8")
    assert detect_source(cut) == "bibtex"
