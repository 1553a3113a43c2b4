"""One PubMed record, one paper: PMIDs 420122 and 420123 of the PubMed extract
(tests/data/pubmed) are two articles that PubMed gives one DOI; both stay in the graph,
through the batched writer and the bulk import, across reloads and in either order."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.store.base import GraphStore

DATA = Path(__file__).parent / "data" / "pubmed"
XML = DATA / "pubmed20n0014-extract.xml.gz"
DOI = "doi:10.1093/ajcn/32.2.277"


def paper_authors(store: GraphStore) -> dict[str, list[str]]:
    """Paper id -> its authors' names in byline order, read straight from the store."""
    rows = store.engine.read(
        "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN p.id AS paper, a.name AS name, "
        "r.position AS position ORDER BY paper, position", {}).records()
    papers: dict[str, list[str]] = {}
    for row in rows:
        papers.setdefault(row["paper"], []).append(row["name"])
    return papers


def one_article(pmid: str, tmp_path: Path) -> Path:
    """A file holding only the extract's article with this PMID."""
    text = gzip.decompress(XML.read_bytes()).decode()
    head, *articles = text.split("<PubmedArticle>")
    found = [a for a in articles if f'<PMID Version="1">{pmid}</PMID>' in a]
    assert len(found) == 1
    body = found[0].split("</PubmedArticleSet>")[0]
    path = tmp_path / f"{pmid}.xml"
    path.write_text(f"{head}<PubmedArticle>{body}</PubmedArticleSet>\n")
    return path


@pytest.mark.parametrize("bulk", [False, True], ids=["batched", "bulk"])
def test_two_pmids_with_one_doi_are_two_papers(store, bulk, capsys):
    report = load_paths(store, "pubmed", [XML], progress=False, bulk=bulk)
    papers = paper_authors(store)
    assert Graph(store).stats()["papers"] == 183, "every article of the extract is a paper"
    assert papers[DOI] == ["J F Barrett", "M Cobb", "E Hawkins"]
    assert papers["pmid:420123"] == ["S M Garn", "K Hoff", "K D McCabe"]
    assert report.separated == 1
    assert "1 PubMed record with another PMID's DOI kept as papers of their own" in \
        "\n".join(report.lines())
    assert ("PMID 420123: its DOI 10.1093/ajcn/32.2.277 is also PMID 420122's; kept as a "
            "paper of its own, pmid:420123") in capsys.readouterr().err
    paper = Graph(store).paper("pmid:420123")
    assert (paper["title"], paper["doi"], paper["pmid"]) == (
        "Maternal fatness and placental size.", "10.1093/ajcn/32.2.277", "420123")

    again = load_paths(store, "pubmed", [XML], progress=False)
    assert again.written.papers_unchanged == 183 and again.written.papers_created == 0
    assert paper_authors(store) == papers, "a reload changes nothing"


def test_the_pmid_stored_first_keeps_the_doi(store, tmp_path):
    load_paths(store, "pubmed", [one_article("420123", tmp_path)], progress=False)
    assert list(paper_authors(store)) == [DOI]
    report = load_paths(store, "pubmed", [XML], progress=False)
    papers = paper_authors(store)
    assert Graph(store).stats()["papers"] == 183 and report.separated == 1
    assert papers[DOI] == ["S M Garn", "K Hoff", "K D McCabe"]
    assert papers["pmid:420122"] == ["J F Barrett", "M Cobb", "E Hawkins"]


def test_a_pmid_loaded_again_updates_its_own_paper(store, tmp_path):
    """The same PMID twice is one record twice (PubMed's update files revise records)."""
    one = one_article("420122", tmp_path)
    first = load_paths(store, "pubmed", [one, one], progress=False)
    assert first.separated == 0 and list(paper_authors(store)) == [DOI]
