"""DBLP XML into the graph, from real records (tests/data/dblp, see its README)."""

from __future__ import annotations

import gzip
import html
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import dblp
from loaders.base import Rejected, UnreadableFile
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "dblp"
CLEAN = [DATA / "dblp-tiny.xml", DATA / "incollection-sample.xml"]
FILES = [*CLEAN, DATA / "dblp-mini.xml", DATA / "alexandria3k-dblp.xml.gz"]

_RECORD = re.compile(r"<(article|inproceedings|proceedings|book|incollection|phdthesis|"
                     r"mastersthesis)\s([^>]*)>(.*?)</\1>", re.S)
_PERSON = re.compile(r"<(author|editor)(\s[^>]*)?>(.*?)</\1>", re.S)
_DOI_LINK = re.compile(r"<ee[^>]*>\s*https?://(?:dx\.)?doi(?:\.acm)?\.org/(10\.[^<\s]+)", re.S)


def _raw(path: Path) -> str:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("latin-1")


def independent_records(paths: list[Path]) -> dict[str, list[str]]:
    """Paper id -> author ids, with regular expressions and html.unescape (no XML parser);
    the later record of a repeated paper id wins, as in the store."""
    papers: dict[str, list[str]] = {}
    for path in paths:
        for tag, attributes, body in _RECORD.findall(_raw(path)):
            people = [(kind, attrs, text) for kind, attrs, text in _PERSON.findall(body)]
            authors = [p for p in people if p[0] == "author"]
            if not authors and tag in ("proceedings", "book"):
                authors = [p for p in people if p[0] == "editor"]
            ids = []
            for _, _attrs, text in authors:
                ids.append("dblp:" + " ".join(html.unescape(text).split()))
            doi = _DOI_LINK.search(body)
            key = re.search(r'key="([^"]+)"', attributes).group(1)
            paper = f"doi:{unquote(html.unescape(doi.group(1))).lower()}" if doi else f"dblp:{key}"
            papers[paper] = list(dict.fromkeys(ids))
    return papers


def independent_counts(paths: list[Path]) -> dict[str, int]:
    papers = independent_records(paths)
    return {"papers": len(papers), "authors": len({a for ids in papers.values() for a in ids}),
            "authorships": sum(len(ids) for ids in papers.values())}


def loader_counts(paths: list[Path]) -> dict[str, int]:
    works = {w.id: w for p in paths for w in dblp.read(p) if isinstance(w, Work)}
    ids = {w.id: list(dict.fromkeys(a.id for a in w.authors)) for w in works.values()}
    return {"papers": len(ids), "authors": len({a for x in ids.values() for a in x}),
            "authorships": sum(len(x) for x in ids.values())}


def works_of(path: Path) -> list[Work]:
    return [w for w in dblp.read(path) if isinstance(w, Work)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_counts_match_an_independent_parse(path: Path):
    expected = independent_counts([path])
    assert loader_counts([path]) == expected
    assert expected["papers"] > 0 and expected["authorships"] > 0


def test_records_parse_with_ids_orcids_homonyms_and_entities():
    works = {w.id: w for w in works_of(DATA / "incollection-sample.xml")}
    assert len(works) == 131
    pont = works["doi:10.1007/978-0-387-31439-6_539"]
    assert pont.title == "Surface Roughness", "DBLP's closing period is dropped"
    assert (pont.year, pont.venue, pont.type, pont.source) == (
        2014, "Computer Vision, A Reference Guide", "incollection", "dblp")
    assert pont.doi == "10.1007/978-0-387-31439-6_539"
    assert pont.authors[0] == dblp.AuthorRef("dblp:Sylvia C. Pont", "Sylvia C. Pont",
                                             "0000-0002-9834-9600"), "the dblp key is the id"
    singh = works["doi:10.1007/978-0-387-31439-6_559"].authors[0]
    assert (singh.id, singh.name, singh.orcid) == ("dblp:Manish Singh 0001", "Manish Singh", None)
    names = {a.name for w in works.values() for a in w.authors}
    assert {"Jürgen Beyerer", "Matti Pietikäinen", "François Chaumette"} <= names
    assert not works["doi:10.1007/978-0-387-31439-6_100117"].authors, "kept without authors"


def test_keys_without_doi_theses_books_editors_and_acm_doi_links():
    tiny = {w.id: w for w in works_of(DATA / "dblp-tiny.xml")}
    thesis = tiny["dblp:phd/Hofmann1999"]
    assert (thesis.type, thesis.venue, thesis.doi) == ("phdthesis", None, None)
    assert [a.id for a in thesis.authors] == ["dblp:Jens Hofmann 0001"]
    assert tiny["doi:10.1145/2534860"].type == "book"
    spectre = tiny["dblp:tr/meltdown/s18"]
    assert [a.name for a in spectre.authors][7:9] == ["Thomas Prescher", "Michael Schwarz"]
    mini = {w.id: w for w in works_of(DATA / "dblp-mini.xml")}
    book = mini["doi:10.1007/978-3-319-63962-8"]
    assert [a.id for a in book.authors] == ["dblp:Sherif Sakr", "dblp:Albert Y. Zomaya"]
    assert not mini["doi:10.1145/2670386"].authors, "a proceedings volume without editors"
    assert mini["doi:10.1145/2670386.2670389"].venue == "IPTComm"
    assert mini["doi:10.1016/j.knosys.2015.07.005"].authors[1].name == "Lorenzo J. Tardón"
    acm = {w.id for w in works_of(DATA / "alexandria3k-dblp.xml.gz")}
    assert "doi:10.1145/366663.366672" in acm, "http://doi.acm.org/ links are DOIs"


def test_no_abstracts_and_dates_only_from_a_month(tmp_path):
    """DBLP has no abstracts, and the samples no <month>: every date is None (mdate is when
    DBLP changed the record). A real record with a month added gives year and month."""
    found = [w for path in FILES for w in works_of(path)]
    assert not any(b"<month>" in _raw(path).encode("latin-1") for path in FILES)
    assert all(w.abstract is None and w.publication_date is None for w in found)
    text = (DATA / "dblp-tiny.xml").read_text(encoding="latin-1")
    spectre = re.search(r'<article mdate="2018-01-07" key="tr/meltdown/s18".*?</article>',
                        text, re.S).group(0)
    months = ["May", "april", "4", "April/May", "Jan-Feb", "Spring", "13", ""]
    added = "".join(spectre.replace('key="tr/meltdown/s18"', f'key="m{n}"').replace(
        "<year>2018</year>", f"<year>2018</year><month>{m}</month>" if m else
        "<year>2018</year>") for n, m in enumerate(months))
    text = text.replace("</dblp>", added + "</dblp>")
    path = tmp_path / "months.xml"
    path.write_text(text, encoding="latin-1")
    dated = {w.id: w.publication_date for w in works_of(path) if w.id.startswith("dblp:m")}
    assert dated == {"dblp:m0": "2018-05", "dblp:m1": "2018-04", "dblp:m2": "2018-04",
                     "dblp:m3": "2018-04", "dblp:m4": "2018-01", "dblp:m5": None,
                     "dblp:m6": None, "dblp:m7": None}


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "dblp", FILES, progress=False)
    assert [(Path(r.file).name, r.record) for r in report.rejected] == [
        ("dblp-mini.xml", "entry phd/Sack2002 (line 108)"),
        ("alexandria3k-dblp.xml.gz", "line 997")]
    expected = independent_counts(FILES)
    stats = Graph(store).stats()
    assert {k: stats[k] for k in ("papers", "authorships")} == {
        k: expected[k] for k in ("papers", "authorships")}
    again = load_paths(store, "dblp", FILES, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def test_a_file_cut_mid_record_keeps_the_records_before_and_names_the_line(tmp_path):
    text = (DATA / "incollection-sample.xml").read_text(encoding="latin-1").splitlines()
    cut = tmp_path / "cut.xml"
    cut.write_text("\n".join(text[:500]), encoding="latin-1")
    items = list(dblp.read(cut))
    complete = sum(line.startswith("</incollection>") for line in text[:500])
    assert sum(isinstance(w, Work) for w in items) == complete
    assert isinstance(items[-1], Rejected) and items[-1].record == "line 500"
    assert items[-1].reason.startswith("not well-formed XML: ")


def test_an_error_just_after_the_root_is_a_line_not_a_wrong_format(tmp_path):
    early = tmp_path / "early.xml"
    early.write_text("<dblp>\n</article>\n" + "<article key='a/1'><title>T</title></article>\n")
    rejected, work, unclosed = dblp.read(early)
    assert (rejected.record, rejected.reason.split(":")[0]) == ("line 2", "not well-formed XML")
    assert rejected.reason.endswith("; read on from the next record, at line 3")
    assert work.id == "dblp:a/1"
    assert (unclosed.record, unclosed.reason) == (
        "line 4", "not well-formed XML: Premature end of data in tag dblp line 1"), \
        "lines of the prolog named as they are in the file"


def test_a_malformed_record_is_left_out_and_the_records_after_it_load(tmp_path):
    lines = (DATA / "dblp-mini.xml").read_text(encoding="latin-1").splitlines()
    expected = [w for w in dblp.read(DATA / "dblp-mini.xml") if isinstance(w, Work)]
    titles = [i for i, line in enumerate(lines) if "<title>" in line]
    broken_at = {titles[1], titles[3]}  # two records before one with entities (&oacute;)
    assert "&oacute;" in "".join(lines[titles[4]:titles[5]])
    damaged = tmp_path / "damaged.xml"
    damaged.write_text("\n".join(line.replace("</title>", "") if i in broken_at else line
                                 for i, line in enumerate(lines)), encoding="latin-1")
    items = list(dblp.read(damaged))
    rejected = [i for i in items if isinstance(i, Rejected) and "well-formed" in i.reason]
    assert [r.reason for r in items if isinstance(r, Rejected) and r not in rejected] == [
        r.reason for r in dblp.read(DATA / "dblp-mini.xml") if isinstance(r, Rejected)]
    assert [r.reason.split(" and article")[0] for r in rejected] == [
        f"not well-formed XML: Opening and ending tag mismatch: title line {i + 1}"
        for i in sorted(broken_at)], "lines named as in the file, after reading on too"
    for r in rejected:
        next_record = int(r.reason.rsplit("at line ", 1)[1])
        assert int(r.record.removeprefix("line ")) < next_record
        assert re.match(r"\s*<article ", lines[next_record - 1])
    works = [w for w in items if isinstance(w, Work)]
    assert [w.title for w in works] == [w.title for i, w in enumerate(expected) if i not in (1, 3)]
    assert works == [w for i, w in enumerate(expected) if i not in (1, 3)], \
        "the records read on, entities included, as in the whole file"


def test_the_real_unclosed_root_is_reported_after_all_its_records():
    items = list(dblp.read(DATA / "alexandria3k-dblp.xml.gz"))
    assert sum(isinstance(w, Work) for w in items) == 91
    assert str(items[-1]) == (f"{DATA / 'alexandria3k-dblp.xml.gz'}: line 997: not well-formed "
                              "XML: Premature end of data in tag dblp line 996")


def test_bad_and_unknown_records_are_rejected_and_person_pages_skipped(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text(
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE dblp SYSTEM "dblp.dtd">\n'
        "<dblp>\n"
        '<www key="homepages/1/A"><author>Ann A</author><title>Home Page</title></www>\n'
        '<article key="a/1"><author>Ann A</author><title>The <i>k</i>-means H<sub>2</sub>O.'
        "</title><year>20x1</year></article>\n"
        '<article key="a/2"><author>Bob B</author><title> </title></article>\n'
        '<thesis key="t/1"><author>Cy C</author><title>Not a type</title></thesis>\n'
        '<data key="d/1"><title>A data set</title></data>\n'
        '<article key="a/3"><author>  </author><author>Bob  B</author><title>Fine</title>'
        '</article>\n<thesis key="t/2"><title>Last</title></thesis>\n</dblp>\n',
        encoding="latin-1")
    items = list(dblp.read(broken))
    assert [str(r) for r in items if isinstance(r, Rejected)] == [
        f"{broken}: entry a/2 (line 6): no title",
        f"{broken}: entry t/1 (line 7): <thesis> is not a DBLP record type "
        "(article, inproceedings, proceedings, book, incollection, phdthesis, mastersthesis)",
        f"{broken}: entry t/2 (line 10): <thesis> is not a DBLP record type "
        "(article, inproceedings, proceedings, book, incollection, phdthesis, mastersthesis)"]
    works = [w for w in items if isinstance(w, Work)]
    assert [(w.id, w.title, w.year) for w in works] == [
        ("dblp:a/1", "The k-means H2O", None), ("dblp:a/3", "Fine", None)]
    assert [a.id for a in works[1].authors] == ["dblp:Bob B"], "empty author skipped"


def test_the_dtd_next_to_the_file_is_used(tmp_path):
    (tmp_path / "local.dtd").write_text(
        '<!ENTITY % field "author|title|year">\n<!ELEMENT article (%field;)*>\n'
        '<!ENTITY dblpname "Zo&#235; Local">\n<!ENTITY uuml "&#252;">\n')
    doc = tmp_path / "local.xml"
    doc.write_text('<?xml version="1.0"?>\n<!DOCTYPE dblp SYSTEM "local.dtd">\n<dblp>'
                   '<article key="a/1"><author>&dblpname;</author><author>J&uuml;rgen</author>'
                   "<title>T</title></article></dblp>")
    assert [a.name for a in works_of(doc)[0].authors] == ["Zoë Local", "Jürgen"]
    (tmp_path / "local.dtd").unlink()
    rejected = [r for r in dblp.read(doc) if isinstance(r, Rejected)]
    assert len(rejected) == 1 and "dblpname" in rejected[0].reason, "not an HTML entity"


def test_latin1_and_utf8_bytes_whatever_the_declaration(tmp_path):
    body = '<dblp><article key="a/1"><author>J{}rgen</author><title>T</title></article></dblp>'
    declared_utf8 = tmp_path / "latin1.xml"
    declared_utf8.write_bytes(b'<?xml version="1.0" encoding="UTF-8"?>\n'
                              + body.format("ü").encode("latin-1"))
    declared_latin1 = tmp_path / "utf8.xml"
    declared_latin1.write_bytes(b'<?xml version="1.0" encoding="ISO-8859-1"?>\n'
                                + body.format("ü").encode("utf-8"))
    for path in (declared_utf8, declared_latin1):
        assert works_of(path)[0].authors[0].name == "Jürgen"


def test_gzip_and_truncated_gzip(tmp_path):
    whole = tmp_path / "whole.xml.gz"
    whole.write_bytes(gzip.compress((DATA / "incollection-sample.xml").read_bytes()))
    assert len(works_of(whole)) == 131
    cut = cut_gzip(tmp_path / "cut.xml.gz", (DATA / "incollection-sample.xml").read_bytes())
    assert 0 < works_before_damage(dblp.read, cut) < 131
    with pytest.raises(UnreadableFile, match="no such file"):
        list(dblp.read(tmp_path / "missing.xml"))


def test_empty_and_wrong_format_files(tmp_path):
    (tmp_path / "empty.xml").write_text("")
    (tmp_path / "blank.xml").write_text("  \n\n")
    (tmp_path / "refs.bib").write_text("@article{x, title={Not DBLP}}")
    (tmp_path / "pubmed.xml").write_text("<PubmedArticleSet><PubmedArticle/></PubmedArticleSet>")
    for name in ("empty.xml", "blank.xml"):
        assert [str(r) for r in dblp.read(tmp_path / name)] == [
            f"{tmp_path / name}: file: the file is empty"]
    for name, reason in (("refs.bib", "not XML"), ("pubmed.xml", "<PubmedArticleSet>")):
        wrong = list(dblp.read(tmp_path / name))
        assert len(wrong) == 1 and wrong[0].record == "file"
        assert reason in wrong[0].reason and wrong[0].reason.endswith("wrong format?")


def test_a_name_with_its_accents_encoded_two_ways_is_one_person(tmp_path):
    """'José' written with one character for 'é' (NFC) or 'e' and a combining accent (NFD)
    is the same dblp person key."""
    record = ('<article key="a/{n}"><author>Jos{e} M{u}ller</author><author>Anna Smith'
              '</author><title>T{n}</title><year>2020</year></article>')
    nfc = record.format(n=1, e="\u00e9", u="\u00fc")
    nfd = record.format(n=2, e="e\u0301", u="u\u0308")
    path = tmp_path / "accents.xml"
    path.write_text(f"<dblp>{nfc}{nfd}</dblp>", encoding="utf-8")
    ids = {a.id for w in works_of(path) for a in w.authors}
    assert ids == {"dblp:Jos\u00e9 M\u00fcller", "dblp:Anna Smith"}
