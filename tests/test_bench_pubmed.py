"""A seconds-long run of bench/pubmed_load.py on four records, so that it never rots (its
independent parse is checked here; the figures are not)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench import pubmed_load

XML = """<?xml version="1.0" encoding="utf-8"?>
<PubmedArticleSet>
  <PubmedArticle><MedlineCitation><PMID Version="1">101</PMID><Article>
    <ArticleTitle>Two authors, one named twice.</ArticleTitle>
    <AuthorList CompleteYN="Y">
      <Author ValidYN="Y"><LastName>Halberg</LastName><ForeName>F</ForeName></Author>
      <Author ValidYN="Y"><LastName>Smith</LastName><Initials>J</Initials></Author>
      <Author ValidYN="Y"><LastName>Halberg</LastName><ForeName>F</ForeName></Author>
    </AuthorList></Article></MedlineCitation>
    <PubmedData><ArticleIdList><ArticleId IdType="pubmed">101</ArticleId>
      <ArticleId IdType="doi">10.1000/A</ArticleId></ArticleIdList></PubmedData>
  </PubmedArticle>
  <PubmedArticle><MedlineCitation><PMID Version="1">102</PMID><Article>
    <ArticleTitle>An invalid author, a <i>consortium</i> and an editor.</ArticleTitle>
    <AuthorList CompleteYN="Y">
      <Author ValidYN="Y"><LastName>M&#252;ller</LastName><ForeName>&#201;va</ForeName></Author>
      <Author ValidYN="N"><LastName>Wrong</LastName><ForeName>W</ForeName></Author>
      <Author ValidYN="Y"><CollectiveName>The Study Group</CollectiveName></Author>
      <Author ValidYN="Y"><LastName>Smith</LastName><Initials>J</Initials></Author>
    </AuthorList>
    <AuthorList Type="editors">
      <Author ValidYN="Y"><LastName>Editor</LastName><ForeName>E</ForeName></Author>
    </AuthorList></Article></MedlineCitation>
  </PubmedArticle>
  <PubmedArticle><MedlineCitation><PMID Version="1">103</PMID><Article>
    <ArticleTitle>Deleted below.</ArticleTitle>
    <AuthorList><Author ValidYN="Y"><LastName>Gone</LastName><ForeName>G</ForeName></Author>
    </AuthorList></Article></MedlineCitation>
  </PubmedArticle>
  <PubmedArticle><MedlineCitation><PMID Version="1">104</PMID><Article>
    <ArticleTitle>No authors.</ArticleTitle></Article></MedlineCitation>
  </PubmedArticle>
  <DeleteCitation><PMID Version="1">103</PMID><PMID Version="1">999</PMID></DeleteCitation>
</PubmedArticleSet>
"""

MEDLINE = """PMID- 101
TI  - Two authors, one named twice.
FAU - Halberg, F
AU  - Halberg F
FAU - Smith, J
AU  - Smith J
FAU - Halberg, F
AU  - Halberg F

PMID- 102
TI  - An invalid author, a consortium and an editor.
FAU - Müller, Éva
AU  - Müller É
CN  - The Study Group
FAU - Smith, J
AU  - Smith J

PMID- 103
TI  - Deleted below.
FAU - Gone, G
AU  - Gone G

PMID- 104
TI  - No authors.
"""


def sample(tmp_path: Path) -> tuple[Path, Path]:
    xml, medline = tmp_path / "sample.xml", tmp_path / "sample.medline.txt"
    xml.write_text(XML, encoding="utf-8")
    medline.write_text(MEDLINE, encoding="utf-8")
    return xml, medline


def test_independent_parse_follows_the_loader_rules(tmp_path):
    truth = pubmed_load.parse_xml(sample(tmp_path)[0])
    assert (truth.records, truth.deleted, truth.left_out_authors) == (4, 1, 2)
    assert sorted(truth.papers) == ["doi:10.1000/a", "pmid:102", "pmid:104"]
    assert truth.authorships == 5, "a name twice on one paper is two bylines"
    assert truth.authors() == 3 and truth.pairs() == 2


def test_pubmed_load_bench_runs_end_to_end(tmp_path, capsys):
    xml, medline = sample(tmp_path)
    skip_mk = [] if importlib.util.find_spec("metaknowledge") else ["--no-metaknowledge"]
    status = pubmed_load.main(["--xml", str(xml), "--medline", str(medline), "--engines",
                               "ladybug", "--workdir", str(tmp_path / "work"), "--no-record",
                               *skip_mk])
    out = capsys.readouterr().out
    assert status == 0, out
    assert "LadybugDB load incremental" in out and "LadybugDB load bulk" in out
    assert out.count("| ok |") == 2 and "MISMATCH" not in out
    work = tmp_path / "work"
    assert "bulk phases" not in (work / "ladybug-incremental.log").read_text(), \
        "the incremental row is batched (a load into an empty database is bulk by default)"
    assert "bulk phases" in (work / "ladybug-bulk.log").read_text()
    # the floor: the engine alone writing the MEDLINE load's graph again, the same graph
    assert "IMPORT DATABASE of that graph (the floor)" in out and "= the row above" in out
