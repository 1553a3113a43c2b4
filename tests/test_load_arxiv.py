"""arXiv metadata into the graph, from the Kaggle snapshot and OAI-PMH XML (tests/data/arxiv,
see its README)."""

from __future__ import annotations

import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from unidecode import unidecode

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import arxiv
from loaders.base import Rejected, UnreadableFile, institution_from_text
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "arxiv"
SNAPSHOT = DATA / "arxiv-snapshot-0704.jsonl"
OAI = DATA / "oai-listrecords-arXiv.xml"
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "a": "http://arxiv.org/OAI/arXiv/"}


def _key(last: str, first: str, suffix: str) -> str | None:
    """A person's or collaboration's name as compared words ('The X Collaboration' = 'X
    Collaboration'), or None for an empty entry."""
    last, first, suffix = (" ".join((s or "").split()) for s in (last, first, suffix))
    if not (last or first):
        return None
    name = re.sub(r"(?i)^the ", "", last) if not first and " " in last else \
        f"{first} {last} {suffix}"
    return " ".join(re.findall(r"[0-9a-z]+", unidecode(name).lower()))


def _counts(papers: dict[str, list[str | None]]) -> dict[str, int]:
    bylines = [{k for k in keys if k} for keys in papers.values()]
    return {"papers": len(papers), "authors": len(set().union(*bylines)),
            "authorships": sum(map(len, bylines))}


def snapshot_counts(path: Path) -> dict[str, int]:
    """With the json module; a paper is its first DOI, else its arXiv id."""
    papers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        paper = (record["doi"] or "").split(" ")[0].lower() or record["id"]
        papers[paper] = [_key(*entry[:3]) for entry in record["authors_parsed"]]
    return _counts(papers)


def oai_counts(path: Path) -> dict[str, int]:
    """With xml.etree over the whole document."""
    papers = {}
    for meta in ET.parse(path).getroot().iterfind(".//o:record/o:metadata/a:arXiv", NS):
        paper = (meta.findtext("a:doi", "", NS).split(" ")[0].lower()
                 or meta.findtext("a:id", "", NS))
        papers[paper] = [_key(*(a.findtext(f"a:{t}", "", NS) for t in
                                ("keyname", "forenames", "suffix")))
                         for a in meta.iterfind("a:authors/a:author", NS)]
    return _counts(papers)


def works(path: Path) -> list[Work]:
    return [w for w in arxiv.read(path) if isinstance(w, Work)]


def loader_counts(found: list[Work]) -> dict[str, int]:
    papers = {w.id: [a.id for a in w.authors] for w in found}
    return {"papers": len(papers), "authors": len({a for ids in papers.values() for a in ids}),
            "authorships": sum(len(set(ids)) for ids in papers.values())}


@pytest.mark.parametrize("path, independent", [(SNAPSHOT, snapshot_counts),
                                                (OAI, oai_counts)])
def test_record_counts_match_an_independent_parse(path, independent):
    items = list(arxiv.read(path))
    assert all(isinstance(i, Work) for i in items)
    assert loader_counts(items) == independent(path)


def test_snapshot_records_parse_ids_years_topics_and_names():
    by_arxiv = {w.arxiv_id: w for w in works(SNAPSHOT)}
    first = by_arxiv["0704.0001"]
    assert (first.id, first.doi, first.year, first.source) == (
        "doi:10.1103/physrevd.76.013009", "10.1103/physrevd.76.013009", 2007, "arxiv")
    assert first.venue == "Phys.Rev.D76:013009,2007"
    assert [a.name for a in first.authors] == ["C. Balázs", "E. L. Berger", "P. M. Nadolsky",
                                               "C.-P. Yuan"]
    assert (first.authors[0].id, first.authors[0].family, first.authors[0].given) == (
        "name:c balazs", "Balázs", "C.")
    second = by_arxiv["0704.0002"]
    assert (second.id, second.doi, second.venue) == ("arxiv:0704.0002", None, "arXiv")
    assert [(t.id, t.name) for t in second.topics] == [("arxiv:math.CO", "math.CO"),
                                                       ("arxiv:cs.CG", "cs.CG")]
    evans = by_arxiv["0704.0009"].authors[5]
    assert (evans.name, evans.family, evans.given) == ("Neal J. Evans II", "Evans", "Neal J.")
    sudha = by_arxiv["0704.0147"].authors[0]
    assert (sudha.name, sudha.family, sudha.given) == ("Sudha", "Sudha", None)
    erratum = by_arxiv["0704.0033"]  # doi "10.1364/JOSAA.23.002578 10.1364/JOSAA.32.002407"
    assert erratum.doi == "10.1364/josaa.23.002578", "the paper's DOI, not the erratum's"
    assert by_arxiv["0704.0002"].year == 2007 and by_arxiv["0704.0003"].year == 2007


def test_collaborations_affiliations_and_footnote_markers():
    by_arxiv = {w.arxiv_id: w for w in works(SNAPSHOT)}
    babar, aubert = by_arxiv["0704.0020"].authors
    assert (babar.id, babar.name, babar.family, babar.given) == (
        "name:babar collaboration", "BABAR Collaboration", None, None)
    assert aubert.name == "B. Aubert", "'et al' is not an author"
    schekochihin = by_arxiv["0704.0044"].authors[0]
    assert schekochihin.institutions == (institution_from_text("Oxford"),)
    assert all(a.institutions[0].name == "Department of Chemistry, Stanford University."
               for a in by_arxiv["0704.0113"].authors)
    # "A. S. Mishchenko (1 and 2)": arXiv's parser left the footnote numbers as affiliations
    assert [a.institutions for a in by_arxiv["0704.0025"].authors] == [(), ()]


def test_both_formats_give_the_same_works():
    from_oai = works(OAI)
    by_arxiv = {w.arxiv_id: w for w in works(SNAPSHOT)}
    assert len(from_oai) == 8
    for work in from_oai:
        assert work == by_arxiv[work.arxiv_id]


def test_abstracts_and_first_version_dates():
    by_arxiv = {w.arxiv_id: w for w in works(SNAPSHOT)}
    first = by_arxiv["0704.0001"]  # v1 'Mon, 2 Apr 2007 19:18:42 GMT', v2 24 Jul 2007
    assert first.publication_date == "2007-04-02"
    assert first.abstract.startswith("A fully differential calculation in perturbative "
                                     "quantum chromodynamics is presented for the production")
    assert first.abstract.endswith("can be obtained with judicious selection of events.")
    assert "\n" not in first.abstract, "arXiv's line wraps are not paragraphs"
    assert by_arxiv["0704.0002"].publication_date == "2007-03-31"
    assert "the $(k,\\ell)$-pebble game with colors" in by_arxiv["0704.0002"].abstract, \
        "LaTeX as written"
    assert "for d<=7. There are 7622" in by_arxiv["0704.0049"].abstract
    # a line indented by spaces starts a paragraph, as arXiv marks them
    assert by_arxiv["0704.0047"].abstract.split("\n\n")[0] == (
        "The intelligent acoustic emission locator is described in Part I, while Part II "
        "discusses blind source separation, time delay estimation and location of two "
        "simultaneously active continuous acoustic emission sources.")
    assert by_arxiv["0704.0047"].abstract.split("\n\n")[1].startswith(
        "The location of acoustic emission on complicated aircraft frame structures")
    assert all(w.abstract and w.publication_date for w in by_arxiv.values())
    for work in works(OAI):  # <created> and <abstract>: the same date and text
        same = by_arxiv[work.arxiv_id]
        assert (work.publication_date, work.abstract) == (same.publication_date, same.abstract)
        assert work.publication_date[:4] == str(work.year)


def test_records_without_abstract_or_dates_give_none(tmp_path):
    record = json.loads(SNAPSHOT.read_text(encoding="utf-8").splitlines()[0])
    variants = [{**record, "abstract": "  \n "}, {**record, "abstract": None},
                {**record, "versions": []},
                {**record, "versions": [{"version": "v1", "created": "not a date"}]},
                {**record, "versions": [{"version": "v1", "created": 20070402}]}]
    path = tmp_path / "variants.jsonl"
    path.write_text("".join(json.dumps(v) + "\n" for v in variants), encoding="utf-8")
    found = works(path)
    assert [(w.year, w.publication_date, w.abstract is None) for w in found] == [
        (2007, "2007-04-02", True), (2007, "2007-04-02", True), (None, None, False),
        (None, None, False), (None, None, False)]
    text = OAI.read_text(encoding="utf-8")
    oai = tmp_path / "no-date.xml"
    oai.write_text(text.replace("<created>2007-04-02</created>", "", 1).replace(
        re.search(r"<abstract>.*?</abstract>", text, re.S).group(0), "<abstract> </abstract>",
        1), encoding="utf-8")
    first = works(oai)[0]
    assert (first.arxiv_id, first.year, first.publication_date, first.abstract) == (
        "0704.0001", None, None, None)


def test_loaded_counts_match_and_the_oai_records_are_the_same_papers(store):
    report = load_paths(store, "arxiv", [SNAPSHOT], progress=False)
    assert not report.rejected and not report.unreadable
    expected = snapshot_counts(SNAPSHOT)
    stats = Graph(store).stats()
    assert (stats["papers"], stats["authorships"]) == (expected["papers"],
                                                       expected["authorships"])
    assert stats["topics"] == len({t.id for w in works(SNAPSHOT) for t in w.topics})
    again = load_paths(store, "arxiv", [SNAPSHOT], progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats
    oai = load_paths(store, "arxiv", [OAI], progress=False)
    assert oai.written.papers_unchanged == 8 and not oai.rejected
    assert Graph(store).stats() == stats


def test_gzip_of_both_formats(tmp_path):
    for path in (SNAPSHOT, OAI):
        packed = tmp_path / (path.name + ".gz")
        packed.write_bytes(gzip.compress(path.read_bytes()))
        assert works(packed) == works(path)


def test_a_bare_arxiv_metadata_document(tmp_path):
    element = re.search(r"<arXiv .*?</arXiv>", OAI.read_text(encoding="utf-8"), re.S).group(0)
    (tmp_path / "one.xml").write_text(element, encoding="utf-8")
    assert works(tmp_path / "one.xml") == works(OAI)[:1]


def test_bad_snapshot_lines_are_rejected_with_line_and_reason_and_the_rest_load(store,
                                                                                tmp_path):
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[2])
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([
        lines[0], "{not json",
        json.dumps({**record, "title": "  "}),
        json.dumps({**record, "id": "not-an-id"}),
        json.dumps({**record, "authors_parsed": "Pan, Hongjun"}),
        json.dumps({**record, "authors_parsed": [["Pan", 7, ""]]}),
        "[1, 2]", lines[1]]), encoding="utf-8")
    report = load_paths(store, "arxiv", [broken], progress=False)
    reasons = [(r.file, r.record, r.reason.split(" (")[0]) for r in report.rejected]
    assert reasons == [
        (str(broken), "line 2", "not JSON"), (str(broken), "line 3", "no title"),
        (str(broken), "line 4", "'not-an-id' is not an arXiv identifier"),
        (str(broken), "line 5", "no authors_parsed list"),
        (str(broken), "line 6", "authors_parsed entry 1 is not a list of names"),
        (str(broken), "line 7", "not a JSON object")]
    assert Graph(store).stats()["papers"] == 2


def test_a_broken_first_line_is_still_a_record_error(tmp_path):
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    shifted = tmp_path / "shifted.jsonl"
    shifted.write_text("\n{broken\n" + "\n".join(lines[:3]) + "\n", encoding="utf-8")
    items = list(arxiv.read(shifted))
    assert [(i.record, i.reason.split(" (")[0]) for i in items if isinstance(i, Rejected)] == [
        ("line 2", "not JSON")]
    assert sum(isinstance(i, Work) for i in items) == 3


def test_bad_oai_records_are_rejected_and_the_rest_load(store, tmp_path):
    text = OAI.read_text(encoding="utf-8")
    text = text.replace("<title>Sparsity-certifying Graph Decompositions</title>", "<title/>")
    text = text.replace("<id>0704.0003</id>", "<id>0704.3</id>")
    deleted = ('<record><header status="deleted"><identifier>oai:arXiv.org:0704.0004'
               '</identifier><datestamp>2024-01-01</datestamp></header></record>\n')
    text = re.sub(r"<record><header><identifier>oai:arXiv.org:0704.0004</identifier>.*?"
                  r"</record>\n", lambda _: deleted, text, flags=re.S)
    broken = tmp_path / "broken.xml"
    broken.write_text(text, encoding="utf-8")
    report = load_paths(store, "arxiv", [broken], progress=False)
    assert [(r.record, r.reason) for r in report.rejected] == [
        ("arXiv 0704.0002 (record 2)", "no title"),
        ("arXiv 0704.3 (record 3)", "'0704.3' is not an arXiv identifier")]
    assert Graph(store).stats()["papers"] == 5, "the deleted record is skipped, not rejected"


def test_xml_cut_short_keeps_the_records_before(tmp_path):
    data = OAI.read_bytes()
    cut = tmp_path / "cut.xml"
    cut.write_bytes(data[: data.index(b"<id>0704.0009</id>")])
    items = list(arxiv.read(cut))
    assert [w.arxiv_id for w in items[:-1]] == ["0704.0001", "0704.0002", "0704.0003",
                                               "0704.0004", "0704.0005"]
    assert items[-1].record == "record 6" and "cut short" in items[-1].reason


@pytest.mark.parametrize("name", ["damaged.xml", "damaged.xml.gz"])
def test_a_damaged_oai_record_is_left_out_and_reading_goes_on(tmp_path, name):
    text = OAI.read_text(encoding="utf-8")
    third = text.index("<id>0704.0003</id>")
    text = text[:third] + text[third:].replace("</title>", "</titel>", 1)  # no match
    ninth = text.index("<id>0704.0009</id>")
    text = text[:ninth] + text[ninth:].replace("<title>", "<title>Fish & chips ", 1)
    lines = text.splitlines()
    third = next(i for i, line in enumerate(lines) if "</titel>" in line)
    ninth = next(i for i, line in enumerate(lines) if "Fish & chips" in line)
    damaged = tmp_path / name
    data = ("\n".join(lines) + "\n").encode()
    damaged.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)

    items = list(arxiv.read(damaged))
    works = [i.arxiv_id for i in items if isinstance(i, Work)]
    assert works == ["0704.0001", "0704.0002", "0704.0004", "0704.0005", "0704.0020",
                     "0704.0044"]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert [r.record for r in rejected] == ["record 3", "record 6"]
    starts = [n + 1 for n, line in enumerate(lines) if line.startswith("<record>")]
    for reason, line, next_record in zip([r.reason for r in rejected], (third, ninth),
                                         (starts[3], starts[6]), strict=True):
        assert "not well-formed" in reason
        assert f"(line {line + 1}: " in reason, reason
        assert reason.endswith(f"read on from the next record, at line {next_record}")


def test_oai_damage_after_the_last_record_keeps_every_record(tmp_path):
    damaged = tmp_path / "tail.xml"
    damaged.write_text(OAI.read_text(encoding="utf-8").replace("</ListRecords>",
                                                               "</ListRecord>"))
    items = list(arxiv.read(damaged))
    assert sum(isinstance(i, Work) for i in items) == 8
    assert items[-1].reason.endswith("the records before it were read")


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    head, _, tail = OAI.read_text(encoding="utf-8").partition("<record>")
    body, _, end = ("<record>" + tail).rpartition("</record>")
    xml = head + (body + "</record>\n") * 12 + end  # ~190 KB of repeated records
    for name, text in (("lines.jsonl.gz", SNAPSHOT.read_text(encoding="utf-8")),
                       ("oai.xml.gz", xml)):
        cut = cut_gzip(tmp_path / name, text.encode())
        assert 0 < works_before_damage(arxiv.read, cut) < text.count("0704.00")


def test_latin1_bytes_among_utf8_are_read_as_latin1(tmp_path):
    line = SNAPSHOT.read_bytes().splitlines()[0].replace(b"Bal\\u00e1zs", b"Bal\xe1zs")
    (tmp_path / "latin1.jsonl").write_bytes(line + b"\n")
    xml = OAI.read_bytes().replace("Balázs".encode(), b"Bal\xe1zs")
    (tmp_path / "latin1.xml").write_bytes(xml)
    for name in ("latin1.jsonl", "latin1.xml"):
        first = works(tmp_path / name)[0]
        assert first.authors[0].name == "C. Balázs" and first.arxiv_id == "0704.0001"


def test_empty_wrong_format_and_missing_files(tmp_path):
    files = {
        "empty.json": "", "blank.xml": "\n  \n",
        "refs.bib": "@article{x, title={Not arXiv}}",
        "openalex.jsonl": json.dumps({"id": "https://openalex.org/W1", "title": "x"}),
        "array.json": '[\n  {"id": "0704.0001"}\n]',
        "pubmed.xml": "<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>",
        "identify.xml": '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><Identify>'
                        "<repositoryName>arXiv</repositoryName></Identify></OAI-PMH>",
        "dc.xml": OAI.read_text(encoding="utf-8").replace(
            'xmlns="http://arxiv.org/OAI/arXiv/"', 'xmlns="http://www.openarchives.org/OAI/2.0/'
            'oai_dc/"').replace("<arXiv ", "<dc ").replace("</arXiv>", "</dc>"),
        "error.xml": '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code='
                     '"noRecordsMatch">No records match</error></OAI-PMH>',
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    results = {name: list(arxiv.read(tmp_path / name)) for name in files}
    assert all(len(r) == 1 and isinstance(r[0], Rejected) and r[0].record == "file"
               for r in results.values())
    reasons = {name: r[0].reason for name, r in results.items()}
    assert reasons["empty.json"] == reasons["blank.xml"] == "the file is empty"
    for name in ("refs.bib", "openalex.jsonl", "array.json", "pubmed.xml", "identify.xml",
                 "dc.xml"):
        assert reasons[name].endswith("wrong format?"), name
    assert "'dc' format" in reasons["dc.xml"]
    assert reasons["error.xml"] == "OAI-PMH error noRecordsMatch: No records match"
    with pytest.raises(UnreadableFile, match="no such file"):
        list(arxiv.read(tmp_path / "missing.jsonl"))
