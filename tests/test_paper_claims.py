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
    assert "1 PubMed record with another PMID's DOI kept apart as a paper of its own" in \
        "\n".join(report.lines())
    assert ("PMID 420123: its DOI 10.1093/ajcn/32.2.277 is also PMID 420122's; kept as a "
            "paper of its own, pmid:420123") in capsys.readouterr().err
    paper = Graph(store).paper("pmid:420123")
    assert (paper["title"], paper["doi"], paper["pmid"]) == (
        "Maternal fatness and placental size.", "10.1093/ajcn/32.2.277", "420123")

    again = load_paths(store, "pubmed", [XML], progress=False)
    assert again.written.papers_unchanged == 183 and again.written.papers_created == 0
    assert paper_authors(store) == papers, "a reload changes nothing"
    assert again.separated == 0 and "PMID 420123" not in capsys.readouterr().err, \
        "nothing new to say"


def test_the_pmid_stored_first_keeps_the_doi(store, tmp_path):
    load_paths(store, "pubmed", [one_article("420123", tmp_path)], progress=False)
    assert list(paper_authors(store)) == [DOI]
    report = load_paths(store, "pubmed", [XML], progress=False)
    papers = paper_authors(store)
    assert Graph(store).stats()["papers"] == 183 and report.separated == 1
    assert papers[DOI] == ["S M Garn", "K Hoff", "K D McCabe"]
    assert papers["pmid:420122"] == ["J F Barrett", "M Cobb", "E Hawkins"]


def revised(path: Path, tmp_path: Path) -> Path:
    """The article with its title revised, as PubMed's update files revise records."""
    text = path.read_text()
    title = text.split("<ArticleTitle>")[1].split("</ArticleTitle>")[0]
    out = tmp_path / f"revised-{path.name}"
    out.write_text(text.replace(title, f"{title} (revised)"))
    return out


def deletion(pmid: str, tmp_path: Path) -> Path:
    path = tmp_path / f"delete-{pmid}.xml"
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n'
                    f'<DeleteCitation><PMID Version="1">{pmid}</PMID></DeleteCitation>\n'
                    "</PubmedArticleSet>\n")
    return path


def titles(store: GraphStore) -> dict[str, tuple[str, str]]:
    rows = store.engine.read("MATCH (p:Paper) RETURN p.id AS id, p.pmid AS pmid, "
                             "p.title AS title", {}).records()
    return {r["id"]: (r["pmid"], r["title"]) for r in rows}


@pytest.mark.parametrize("bulk", [False, True], ids=["batched", "bulk"])
def test_a_revised_record_updates_its_own_paper(store, tmp_path, bulk):
    a, b = one_article("420122", tmp_path), one_article("420123", tmp_path)
    report = load_paths(store, "pubmed", [a, b, revised(b, tmp_path), revised(a, tmp_path)],
                        progress=False, bulk=bulk)
    assert report.separated == 1
    assert titles(store) == {
        DOI: ("420122", "Preliminary results concerning amino acid levels and infant birth "
                        "weight. (revised)"),
        "pmid:420123": ("420123", "Maternal fatness and placental size. (revised)")}


@pytest.mark.parametrize("bulk", [False, True], ids=["batched", "bulk"])
def test_a_deleted_pmid_gives_up_its_doi_and_a_kept_apart_one_stays_apart(store, tmp_path,
                                                                           bulk):
    """NLM deletes one of two records that share a DOI and revises the other: one paper per
    PMID throughout, the same through either path and in one load or several."""
    a, b = one_article("420122", tmp_path), one_article("420123", tmp_path)
    files = [a, b, deletion("420122", tmp_path), revised(b, tmp_path)]
    load_paths(store, "pubmed", files, progress=False, bulk=bulk)
    assert titles(store) == {
        "pmid:420123": ("420123", "Maternal fatness and placental size. (revised)")}
    assert paper_authors(store)["pmid:420123"] == ["S M Garn", "K Hoff", "K D McCabe"]
    garn = store.engine.read("MATCH (a:Author {id: 'name:s m garn'}) RETURN a.paper_count "
                             "AS n", {}).records()
    assert garn == [{"n": 1}]
    load_paths(store, "pubmed", files, progress=False)
    assert list(titles(store)) == ["pmid:420123"], "a reload keeps one paper"


@pytest.mark.parametrize("bulk", [False, True], ids=["batched", "bulk"])
def test_a_doi_freed_by_a_deletion_goes_to_the_next_pmid(store, tmp_path, bulk):
    a, b = one_article("420122", tmp_path), one_article("420123", tmp_path)
    report = load_paths(store, "pubmed", [a, deletion("420122", tmp_path), b],
                        progress=False, bulk=bulk)
    assert report.separated == 0
    assert titles(store) == {DOI: ("420123", "Maternal fatness and placental size.")}
