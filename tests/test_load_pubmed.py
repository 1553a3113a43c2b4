"""PubMed XML and MEDLINE text into the graph, from real records (tests/data/pubmed, see its
README); the edge cases are real records with one element added or broken."""

from __future__ import annotations

import gzip
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from lxml import etree

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.names import fold
from explorer.records import Deletion, TopicRef, Work
from loaders import pubmed, reader
from loaders.base import Rejected, UnreadableFile
from tests.loader_checks import works_before_damage

DATA = Path(__file__).parent / "data" / "pubmed"
XML = DATA / "pubmed20n0014-extract.xml.gz"
MEDLINE = DATA / "pubmed20n0014-extract.medline.txt.gz"
EXPORT = DATA / "medline_test-extract.medline.gz"
ONE = DATA / "pubmed-29768149.xml"


def text_of(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")


def xml_bylines(path: Path, *, as_stored: bool = False) -> dict[str, list[str]]:
    """Paper key -> author keys in byline order, read with xml.etree; the later record of a
    repeated key wins (the reader's ids). ``as_stored``: a DOI that an earlier PMID gave
    keys the later PMID's record by its PMID (the graph's papers)."""
    papers: dict[str, list[str]] = {}
    doi_owner: dict[str, str] = {}
    for article in ET.fromstring(text_of(path).encode()).iter("PubmedArticle"):
        citation = article.find("MedlineCitation")
        dois = [e.text for e in article.findall("PubmedData/ArticleIdList/ArticleId")
                if e.get("IdType") == "doi" and e.text]
        dois += [e.text for e in citation.findall("Article/ELocationID")
                 if e.get("EIdType") == "doi" and e.text]
        pmid = citation.findtext("PMID")
        key = f"doi:{dois[0].lower()}" if dois else f"pmid:{pmid}"
        if as_stored and doi_owner.setdefault(key, pmid) != pmid:
            key = f"pmid:{pmid}"
        people = []
        for author in citation.findall("Article/AuthorList/Author"):
            if author.get("ValidYN") == "N" or author.find("LastName") is None:
                continue
            given = author.findtext("ForeName") or author.findtext("Initials") or ""
            people.append(fold(f"{given} {author.findtext('LastName')}"))
        papers[key] = people
    return papers


def medline_bylines(path: Path) -> dict[str, list[str]]:
    """The same from MEDLINE text, with plain string operations: FAU 'Family, Given' lines,
    an AUID ORCID line replacing the name of the author above it."""
    papers: dict[str, list[str]] = {}
    for block in text_of(path).split("\n\n"):
        lines: list[str] = []
        for line in block.strip("\n").splitlines():
            if line.startswith("      "):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line)
        if not lines:
            continue
        fields = [(line[:4].strip(), line[6:].strip()) for line in lines]
        pmid = dict(fields)["PMID"]
        dois = [v[:-5].strip() for t, v in fields if t in ("AID", "LID") and v.endswith("[doi]")]
        key = f"doi:{dois[0].lower()}" if dois else f"pmid:{pmid}"
        people: list[str] = []
        for tag, value in fields:
            if tag == "FAU":
                family, _, given = value.partition(",")
                people.append(fold(f"{given} {family}"))
            elif tag == "AUID" and value.startswith("ORCID:"):
                people[-1] = value[-19:]
        papers[key] = people
    return papers


def counts(bylines: dict[str, list[str]]) -> dict[str, int]:
    """Papers, distinct authors, authorships (one per distinct author of a paper) and byline
    entries (a name written twice in one byline counts twice)."""
    return {"papers": len(bylines), "authors": len(set().union(*bylines.values())),
            "authorships": sum(len(set(b)) for b in bylines.values()),
            "entries": sum(map(len, bylines.values()))}


def loaded(path: Path) -> dict[str, list[str]]:
    """The loader's works the same way: paper id -> author keys (ORCID or folded name)."""
    return {w.id: [a.orcid or a.id.removeprefix("name:") for a in w.authors]
            for w in pubmed.read(path) if isinstance(w, Work)}


def works(path: Path) -> dict[str, Work]:
    return {w.pmid: w for w in pubmed.read(path) if isinstance(w, Work)}


@pytest.mark.parametrize("path,independent,papers_authors_authorships", [
    (XML, xml_bylines, (182, 399, 406)),  # 183 articles, two of them with one DOI
    (MEDLINE, medline_bylines, (183, 402, 409)),  # the same without DOIs
    (EXPORT, medline_bylines, (37, 265, 265)),
    (ONE, xml_bylines, (1, 10, 10)),
])
def test_record_counts_match_an_independent_parse(path, independent, papers_authors_authorships):
    items = list(pubmed.read(path))
    assert not [i for i in items if not isinstance(i, Work)]
    assert loaded(path) == independent(path), "same papers, same bylines in the same order"
    found = counts(loaded(path))
    assert found == counts(independent(path))
    assert (found["papers"], found["authors"], found["authorships"]) == \
        papers_authors_authorships


def test_the_xml_and_medline_versions_give_the_same_papers_and_authorships():
    xml, medline = works(XML), works(MEDLINE)
    assert len(xml) == 183 and xml.keys() == medline.keys()
    for pmid, a in xml.items():
        b = medline[pmid]
        assert (a.title, a.year, a.venue, a.authors) == (b.title, b.year, b.venue, b.authors)
        assert [t.name for t in a.topics if t.id.startswith("mesh:")] == [
            t.name for t in b.topics]
        # the conversion to MEDLINE text dropped the DOIs, so only DOI-less ids agree
        assert b.doi is None and (a.id == b.id) == (a.doi is None)


def test_article_fields_ids_names_affiliations_and_mesh():
    xml = works(XML)
    first = xml["399296"]
    assert (first.id, first.year, first.venue, first.type, first.source) == (
        "pmid:399296", 1979, "Journal of the South African Veterinary Association",
        "Journal Article", "pubmed")
    assert [(a.id, a.name, a.family, a.given) for a in first.authors] == [
        ("name:b mcculloch", "B McCulloch", "McCulloch", "B"),
        ("name:c j whithead", "C J Whithead", "Whithead", "C J")]
    assert first.topics[0] == TopicRef("mesh:D000003", "Abattoirs")
    assert xml["407700"].id == "doi:10.1177/030098587701400406"
    assert xml["402351"].id == "pmid:402351", "an empty <ArticleId IdType='doi'/> is no DOI"
    assert xml["420122"].id == xml["420123"].id == "doi:10.1093/ajcn/32.2.277"
    assert xml["399571"].doi is None, "DOIs of references are not the article's"
    assert [(a.name, a.family, a.given) for a in xml["400477"].authors] == [
        ("Kisov Khr", "Kisov Khr", None)]
    assert [a.name for a in xml["400291"].authors].count("F Halberg") == 2
    assert xml["399340"].year == 1979, "MedlineDate '1979 Sep-Oct'"
    affiliated = xml["400891"].authors[0]
    assert affiliated.institutions[0].id.startswith("affiliation:")
    assert any(t.id == "keyword:health care and public health" for t in xml["399629"].topics)
    one = works(ONE)["29768149"]
    assert one.doi == "10.1056/nejmoa1715274" and len(one.authors) == 10
    assert len({a.institutions for a in one.authors}) == 1


def test_xml_abstracts_and_dates():
    xml = works(XML)
    first = xml["399296"]  # PubDate 1979 Jun
    assert (first.year, first.publication_date) == (1979, "1979-06")
    assert first.abstract.startswith("Two hundred and sixty nine beef, 230 sheep and 165 pig "
                                     "carcase surface were exam")
    assert first.abstract.endswith("against which bacteriological monitoring assessments "
                                   "could be measured.")
    assert xml["399297"].abstract is None, "no <Abstract>"
    assert xml["399329"].publication_date == "1979-12-06", "Month Dec, Day 06"
    assert xml["407700"].publication_date == "1977-07", "Month 07"
    assert xml["400964"].publication_date == "1977-02-24"
    assert xml["399340"].publication_date == "1979-09", "MedlineDate '1979 Sep-Oct'"
    assert xml["399350"].publication_date == "1978-01", "MedlineDate '1978 Jan-Aug'"
    assert xml["400534"].publication_date is None, "MedlineDate '1979-1980'"
    assert xml["399332"].publication_date is None, "Season Spring"
    assert xml["399306"].publication_date is None, "a year alone"
    # PubmedArticles with OtherAbstract only (PIP): that abstract is not the article's
    text = text_of(XML)
    other = [a for a in text.split("<PubmedArticle>")[1:]
             if "<OtherAbstract" in a and "<Abstract>" not in a]
    assert other and all(xml[re.search(r"<PMID[^>]*>(\d+)", a)[1]].abstract is None
                         for a in other)
    assert sum(w.abstract is not None for w in xml.values()) == text.count("<Abstract>") == 85
    assert all(w.publication_date[:4] == str(w.year) for w in xml.values()
               if w.publication_date)


def test_electronic_date_when_the_issue_gives_only_the_year(tmp_path):
    def electronic(text: str, date: str) -> str:
        year, month, day = date.split("-")
        return text.replace("</ArticleTitle>", f"</ArticleTitle><ArticleDate DateType="
                            f'"Electronic"><Year>{year}</Year><Month>{month}</Month><Day>{day}'
                            "</Day></ArticleDate>", 1)
    year_only, with_month = article(10), article(0)  # PMID 399306 (PubDate 1979), 399296
    assert "<PMID Version=\"1\">399306<" in year_only
    path = tmp_path / "electronic.xml"
    path.write_text(article_set(electronic(year_only, "1979-05-02"),
                                electronic(with_month, "1979-03-01"),
                                electronic(year_only, "1978-12-30").replace(
                                    ">399306<", ">1<", 1)))
    found = {w.pmid: (w.year, w.publication_date) for w in pubmed.read(path)}
    assert found == {"399306": (1979, "1979-05-02"), "399296": (1979, "1979-06"),
                     "1": (1979, None)}, "the issue's month first; a date in another year never"


def test_structured_abstract_with_inline_markup():
    one = works(ONE)["29768149"]
    assert one.publication_date == "2018-05-17"
    sections = one.abstract.split("\n\n")
    assert [s.split(":")[0] for s in sections] == ["BACKGROUND", "METHODS", "RESULTS",
                                                   "CONCLUSIONS"]
    # '&#946;\n\t\t\t\t\t\t<sub>2</sub>-agonist': the <sub>'s text kept (the file is indented)
    assert sections[0] == ("BACKGROUND: In patients with mild asthma, as-needed use of an "
                           "inhaled glucocorticoid plus a fast-acting \u03b2 2-agonist may be "
                           "an alternative to conventional treatment strategies.")
    assert sections[3].endswith("(Funded by AstraZeneca; SYGMA 1 ClinicalTrials.gov number, "
                                "NCT02149199 .).")


def test_medline_abstracts_and_dates():
    export = works(EXPORT)
    first = export["26524502"]  # DP 2016 Jan 15, DEP 20151031
    assert (first.year, first.publication_date) == (2016, "2016-01-15")
    assert first.abstract.startswith("ATP binding cassette (ABC) transporters constitute a "
                                     "very large and ubiquitous superfamily")
    assert first.abstract.endswith("could lead to novel substrate specificity.")
    assert "\n" not in first.abstract
    assert export["26789514"].publication_date == "2016-01-14", "DP 2016: DEP 20160114"
    assert export["26413860"].publication_date == "2016-03-01", "DP 2016 Mar 1, DEP 2015"
    assert export["26516810"].publication_date == "2016-01", "DP 2016 Jan-Feb, no DEP"
    assert export["26153366"].publication_date == "2016-01"
    assert export["26433648"].abstract is None and export["26153366"].abstract is None
    structured = export["25802386"].abstract.split("\n\n")
    assert [s.split(":")[0] for s in structured] == [
        "BACKGROUND AND OBJECTIVE", "METHODS", "RESULTS", "CONCLUSIONS"]
    assert structured[0].startswith("BACKGROUND AND OBJECTIVE: Epidural hematoma volume (EDHV) "
                                    "is an independent predictor")
    assert export["26298208"].abstract.split("\n\n")[2].startswith(
        "DESIGN, SETTING, AND PARTICIPANTS: ")
    unlabelled = export["26783092"].abstract  # 'Objective High prevalence…': no colon
    assert unlabelled.startswith("Objective High prevalence") and "\n" not in unlabelled


def test_the_xml_and_medline_pair_agree_on_abstracts_and_dates(tmp_path):
    """The MEDLINE extract was converted from the XML without AB and with year-only DP lines:
    it gives neither, and never another value. A MEDLINE record written from the XML of
    29768149 (AB with its labels, DP '2018 May 17', as PubMed writes them) gives the XML's."""
    xml, medline = works(XML), works(MEDLINE)
    assert "\nAB  - " not in text_of(MEDLINE)
    assert all(w.abstract is None and w.publication_date is None for w in medline.values())
    assert all(xml[pmid].year == w.year for pmid, w in medline.items())
    article = ET.parse(ONE).getroot().find("PubmedArticle/MedlineCitation/Article")
    sections = [f"{t.get('Label')}: {' '.join(''.join(t.itertext()).split())}"
                for t in article.iterfind("Abstract/AbstractText")]
    lines = textwrap.wrap("AB  - " + " ".join(sections), 88, subsequent_indent=" " * 6,
                          break_on_hyphens=False, break_long_words=False)
    record = tmp_path / "29768149.txt"
    record.write_text("PMID- 29768149\nDP  - 2018 May 17\nTI  - "
                      f"{article.findtext('ArticleTitle')}\n" + "\n".join(lines) + "\n")
    from_xml, (from_medline,) = works(ONE)["29768149"], pubmed.read(record)
    assert (from_medline.publication_date, from_medline.abstract) == (
        from_xml.publication_date, from_xml.abstract)


def test_mesh_check_tags_are_not_topics():
    """Humans, Animals, Male, Female, Pregnancy and the age groups say who was studied; the
    extract indexes them on most records, and they are left out of both formats' topics."""
    assert text_of(XML).count('<DescriptorName UI="D006801" MajorTopicYN="N">Humans<') == 114
    assert text_of(MEDLINE).count("MH  - Humans\n") == 114
    for found in (works(XML), works(MEDLINE)):
        names = {t.name for work in found.values() for t in work.topics
                 if not t.id.startswith("keyword:")}  # authors' own keywords stay
        assert not names & set(pubmed.CHECK_TAGS.values())
        assert {"Abattoirs", "Rats", "Time Factors"} <= names, "other descriptors stay"


def test_medline_without_fau_lines_splits_au_into_family_and_initials(tmp_path):
    """Some exports carry only 'AU  - van Dellen AF'; PubMed XML spells those initials as the
    ForeName 'A F', so the author ids agree (in this extract, all 412 of them)."""
    short = tmp_path / "au-only.txt"
    short.write_text("".join(line for line in text_of(MEDLINE).splitlines(keepends=True)
                             if not line.startswith("FAU - ")))
    full, au_only = works(MEDLINE), works(short)
    pairs = [(a, b) for pmid in full for a, b in zip(full[pmid].authors, au_only[pmid].authors,
                                                     strict=True)]
    assert len(pairs) == 412 and all(a.id == b.id for a, b in pairs)
    assert [(a.family, a.given) for a in au_only["399298"].authors] == [
        ("Stewart", "C G"), ("Botha", "W S"), ("van Dellen", "A F")]


def test_medline_export_orcid_collective_names_investigators_and_affiliations():
    export = works(EXPORT)
    orcid_author = next(a for a in export["26433648"].authors if a.orcid)
    assert orcid_author.id == "orcid:0000-0001-9778-1920"
    assert (orcid_author.family, orcid_author.given) == ("Oberbeckmann-Winter", "Nicola")
    raw = text_of(EXPORT).split("PMID- 26400998")[1].split("\n\n")[0]  # 'Canadian Co-infection'
    record = export["26400998"]
    assert "CN  - " in raw and "IR  - " in raw
    assert len(record.authors) == raw.count("\nFAU - ")
    assert not any("Co-infection" in a.name for a in record.authors)
    first = export["26524502"].authors[0]
    assert first.institutions[0].name == ("Department of Microbial Genetics, Faculty of "
                                          "Biology and Environmental Protection, University "
                                          "of Lodz, Poland."), "e-mail address dropped"
    assert len({a.institutions for a in export["26524502"].authors}) == 1
    assert export["26153366"].authors == (), "the source file cuts this last record short"


def test_loaded_counts_match_an_independent_parse(store):
    files = [XML, EXPORT, ONE]
    report = load_paths(store, "pubmed", files, progress=False)
    assert not report.rejected and not report.unreadable
    expected = counts(xml_bylines(XML, as_stored=True) | medline_bylines(EXPORT)
                      | xml_bylines(ONE, as_stored=True))
    stats = Graph(store).stats()
    # Three bylines name someone twice ('F Halberg' twice in 400291): the loader gives both
    # the same name id, and the identity resolver keeps two people of one byline apart.
    assert expected["entries"] == expected["authorships"] + 3
    assert (stats["papers"], stats["authorships"]) == (expected["papers"], expected["entries"])
    again = load_paths(store, "pubmed", files, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def article(number: int = 0) -> str:
    """The text of one real <PubmedArticle> of the extract."""
    return "<PubmedArticle>" + text_of(XML).split("<PubmedArticle>")[number + 1].split(
        "</PubmedArticleSet>")[0]


def article_set(*parts: str) -> str:
    return '<?xml version="1.0" encoding="utf-8"?>\n<PubmedArticleSet>\n' + "".join(parts) + \
        "</PubmedArticleSet>\n"


@pytest.mark.parametrize("value", [
    "0000-0001-9778-1920", "http://orcid.org/0000-0001-9778-1920",
    "https://orcid.org/0000000197781920", "orcid.org/0000-0001-9778-1920/", "0000 0001 9778 1920"])
def test_orcid_forms_are_normalised(value):
    assert pubmed.orcid(value) == "0000-0001-9778-1920"


def test_orcid_check_digit_x_and_invalid_values():
    assert pubmed.orcid("https://orcid.org/0000-0003-0416-374x") == "0000-0003-0416-374X"
    assert pubmed.orcid("0000-0001-9778-1921") is None, "wrong check digit"
    for bad in ("0000-0000", "", "not an orcid", "0000-0001-9778-19200"):
        assert pubmed.orcid(bad) is None


def test_xml_orcid_collective_name_invalid_author_and_deletions(tmp_path):
    text = article().replace(
        "<Initials>B</Initials>",
        '<Initials>B</Initials>\n<Identifier Source="ORCID">http://orcid.org/0000000197781920'
        "</Identifier><AffiliationInfo><Affiliation>Onderstepoort, South Africa. Electronic "
        "address: b@x.za</Affiliation><Identifier Source=\"ROR\">https://ror.org/00g0p6g84"
        "</Identifier></AffiliationInfo>", 1).replace(
        "</AuthorList>", '<Author ValidYN="Y"><CollectiveName>SA Meat Board</CollectiveName>'
        '</Author><Author ValidYN="N"><LastName>Wrong</LastName><ForeName>A</ForeName></Author>'
        "</AuthorList>", 1)
    path = tmp_path / "update.xml"
    path.write_text(article_set(text, "<DeleteCitation><PMID Version=\"1\">100</PMID>"
                                      "<PMID Version=\"1\">200</PMID></DeleteCitation>"))
    work, *deletions = pubmed.read(path)
    assert deletions == [Deletion("pmid:100"), Deletion("pmid:200")]
    assert [a.id for a in work.authors] == ["orcid:0000-0001-9778-1920", "name:c j whithead"]
    place = work.authors[0].institutions[0]
    assert (place.id, place.name, place.ror) == (
        "ror:00g0p6g84", "Onderstepoort, South Africa.", "https://ror.org/00g0p6g84")


def test_book_articles_take_the_chapter_authors_not_the_editors(tmp_path):
    path = tmp_path / "book.xml"
    path.write_text(article_set(
        "<PubmedBookArticle><BookDocument><PMID Version=\"1\">20301295</PMID>"
        "<ArticleIdList><ArticleId IdType=\"bookaccession\">NBK1116</ArticleId></ArticleIdList>"
        "<Book><Publisher><PublisherName>University of Washington, Seattle</PublisherName>"
        "</Publisher><BookTitle book=\"gene\">GeneReviews<sup>®</sup></BookTitle>"
        "<PubDate><Year>1993</Year></PubDate><AuthorList Type=\"editors\"><Author>"
        "<LastName>Adam</LastName><ForeName>Margaret P</ForeName></Author></AuthorList></Book>"
        "<ArticleTitle book=\"gene\" part=\"gene-x\">Alpha-Thalassemia</ArticleTitle>"
        "<AuthorList Type=\"authors\"><Author><LastName>Tamary</LastName><ForeName>Hannah"
        "</ForeName></Author></AuthorList><PublicationType UI=\"D016454\">Review"
        "</PublicationType></BookDocument></PubmedBookArticle>", article()))
    book, journal_article = pubmed.read(path)
    assert (book.id, book.title, book.venue, book.year, book.type) == (
        "pmid:20301295", "Alpha-Thalassemia", "GeneReviews®", 1993, "Review")
    assert [a.name for a in book.authors] == ["Hannah Tamary"]
    assert journal_article.pmid == "399296"


def test_book_abstract_and_date(tmp_path):
    path = tmp_path / "book.xml"
    path.write_text(article_set(
        "<PubmedBookArticle><BookDocument><PMID Version=\"1\">20301295</PMID>"
        "<Book><BookTitle book=\"gene\">GeneReviews<sup>®</sup></BookTitle>"
        "<PubDate><Year>1993</Year><Month>Feb</Month></PubDate></Book>"
        "<ArticleTitle book=\"gene\" part=\"gene-x\">Alpha-Thalassemia</ArticleTitle>"
        "<Abstract><AbstractText Label=\"CLINICAL CHARACTERISTICS\">Alpha-thalassemia has two"
        " types: <i>Hb Bart</i> and HbH.</AbstractText><AbstractText Label=\"DIAGNOSIS\">"
        "By CBC.</AbstractText><CopyrightInformation>Copyright 1993</CopyrightInformation>"
        "</Abstract></BookDocument></PubmedBookArticle>"))
    (book,) = pubmed.read(path)
    assert (book.year, book.publication_date) == (1993, "1993-02")
    assert book.abstract == ("CLINICAL CHARACTERISTICS: Alpha-thalassemia has two types: Hb "
                             "Bart and HbH.\n\nDIAGNOSIS: By CBC.")


def test_bad_xml_records_are_rejected_with_pmid_and_reason(tmp_path):
    no_title = article(3).replace(article(3).split("<ArticleTitle>")[1].split("<")[0], "")
    no_pmid = article(2).replace('<PMID Version="1">399298</PMID>', "")
    path = tmp_path / "bad.xml"
    vernacular = article(1).replace("[The pineal body].", "")
    path.write_text(article_set(article(0), no_title, no_pmid, vernacular))
    items = list(pubmed.read(path))
    assert [(i.record, i.reason) for i in items if isinstance(i, Rejected)] == [
        ("PMID 399299 (record 2)", "no title"), ("record 3", "no PMID")]
    works = [w for w in items if isinstance(w, Work)]
    assert [w.pmid for w in works] == ["399296", "399297"]
    assert works[1].title == "Die pineale klier.", "no English title: the VernacularTitle"


def error_line(text: str) -> int:
    """The line where one parse of the whole document stops (lxml)."""
    with pytest.raises(etree.XMLSyntaxError) as raised:
        etree.fromstring(text.encode())
    return raised.value.lineno


def test_a_malformed_record_is_left_out_and_the_records_after_it_load(tmp_path):
    path = tmp_path / "broken.xml"
    text = article_set(article(0), article(1).replace("</ArticleTitle>", "", 1), article(2))
    path.write_text(text)
    items = list(pubmed.read(path))
    assert [w.pmid for w in items if isinstance(w, Work)] == ["399296", "399298"]
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    line = error_line(text)
    assert rejected.record == "PMID 399297 (record 2)"
    assert rejected.reason.startswith(f"not well-formed XML at line {line} (Opening and ending "
                                      "tag mismatch: ArticleTitle line ")
    assert rejected.reason.endswith("); the record was left out")


def test_a_record_without_its_end_tag_is_left_out_alone(tmp_path):
    path = tmp_path / "unclosed.xml"
    path.write_text(article_set(*(article(n) for n in range(4)),
                                article(4).replace("</PubmedArticle>", "", 1),
                                *(article(n) for n in range(5, 8))))
    items = list(pubmed.read(path))
    assert [i.record for i in items if isinstance(i, Rejected)] == ["PMID 399300 (record 5)"]
    assert sum(isinstance(i, Work) for i in items) == 7


def test_latin1_bytes_in_a_record_are_read_as_latin1(tmp_path):
    text = article_set(article(0), article(1), article(2))
    surname = re.findall(r"<LastName>([^<]+)</LastName>", article(1))[0]
    head, _, tail = text.partition(f"<LastName>{surname}</LastName>")
    path = tmp_path / "latin1.xml"
    path.write_bytes(head.encode() + "<LastName>Müller</LastName>".encode("latin-1")
                     + tail.encode())
    items = list(pubmed.read(path))
    assert not [i for i in items if isinstance(i, Rejected)]
    assert "Müller" in {a.name.split()[-1] for a in items[1].authors}
    assert [w.pmid for w in items] == ["399296", "399297", "399298"]


def test_a_malformed_delete_citation_deletes_nothing(tmp_path):
    path = tmp_path / "deletions.xml"
    text = article_set(article(0), "<DeleteCitation>\n<PMID Version=\"1\">100</PMID>\n"
                       "<PMID>101</PMID>\n<PMID>102</PMD>\n</DeleteCitation>\n", article(1))
    path.write_text(text)
    items = list(pubmed.read(path))
    assert not [i for i in items if isinstance(i, Deletion)]
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    assert rejected.record == f"line {error_line(text)}"
    assert rejected.reason.endswith("the DeleteCitation was not applied")
    assert [w.pmid for w in items if isinstance(w, Work)] == ["399296", "399297"]


def test_damage_between_records_is_reported_and_every_record_loads(tmp_path):
    path = tmp_path / "between.xml"
    text = article_set(article(0), "\n<stray here>\n", article(1))
    path.write_text(text)
    items = list(pubmed.read(path))
    assert [w.pmid for w in items if isinstance(w, Work)] == ["399296", "399297"]
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    assert rejected.record == f"line {text.splitlines().index('<stray here>') + 1}"
    assert rejected.reason.endswith("between records; the records around it were read")


def test_a_malformed_prolog_stops_the_file_with_one_message(tmp_path):
    path = tmp_path / "prolog.xml"
    path.write_text(article_set(article(0), article(1)).replace(
        "<PubmedArticleSet>", "<!DOCTYPE PubmedArticleSet [ <!ELEMENT>\n<PubmedArticleSet>"))
    (rejected,) = list(pubmed.read(path))
    assert rejected.record == "line 2"
    assert rejected.reason.endswith("the rest of the file was not read")


def test_bad_medline_records_are_rejected_with_locator_and_reason(store, tmp_path):
    records = text_of(MEDLINE).split("\n\n")
    garbled = records[1].replace("LA  - afr", "this line is no field")
    no_pmid = records[2].split("\n", 1)[1]
    no_title = "\n".join(line for line in records[3].splitlines() if not line.startswith("TI"))
    path = tmp_path / "bad.nbib"
    path.write_text("\n\n".join([records[0], garbled, no_pmid, no_title, records[4]]) + "\n")
    report = load_paths(store, "pubmed", [path], progress=False)
    assert [(r.file, r.record, r.reason.split(":")[0]) for r in report.rejected] == [
        (str(path), "PMID 399297 (record 2)", "line 25 is not a MEDLINE field ('XXXX- value')"),
        (str(path), "record 3", "no PMID"), (str(path), "PMID 399299 (record 4)", "no title")]
    assert Graph(store).stats()["papers"] == 2


def test_latin1_lines_among_utf8_and_crlf(tmp_path):
    record = text_of(MEDLINE).split("\n\n")[0].replace("FAU - McCulloch, B",
                                                       "FAU - Müller, Jürgen")
    head, tail = record.split("FAU - Müller, Jürgen")
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"\r\n".join([head.encode("utf-8").replace(b"\n", b"\r\n")
                                   + "FAU - Müller, Jürgen".encode("latin-1"),
                                   tail.lstrip("\n").replace("\n", "\r\n").encode("utf-8")]))
    (work,) = pubmed.read(path)
    assert (work.authors[0].name, work.authors[0].family) == ("Jürgen Müller", "Müller")
    assert work.title.endswith("colony counting procedures.")


def test_empty_and_wrong_format_files(tmp_path):
    files = {"empty.xml": b"", "blank.nbib": b"\n  \n", "empty.xml.gz": gzip.compress(b""),
             "refs.bib": b"@article{x, title={Not PubMed}}",
             "refs.ris": b"TY  - JOUR\nTI  - Not PubMed\nER  - \n",
             "other.xml": b"<?xml version='1.0'?><dblp><article/></dblp>"}
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    said = {name: [(r.record, r.reason) for r in pubmed.read(tmp_path / name)] for name in files}
    for name in ("empty.xml", "blank.nbib", "empty.xml.gz"):
        assert said[name] == [("file", "the file is empty")]
    for name in ("refs.bib", "refs.ris", "other.xml"):
        ((record, reason),) = said[name]
        assert record == "file" and reason.endswith("wrong format?")
    assert "<dblp>" in said["other.xml"][0][1]


@pytest.mark.parametrize("sample", [XML, MEDLINE])
def test_truncated_gzip_keeps_what_came_before(tmp_path, sample):
    cut = tmp_path / sample.name
    cut.write_bytes(sample.read_bytes()[: sample.stat().st_size // 2])
    assert 0 < works_before_damage(pubmed.read, cut) < 183


def test_missing_file_is_unreadable(tmp_path):
    with pytest.raises(UnreadableFile, match="no such file"):
        list(reader("pubmed")(tmp_path / "absent.xml.gz"))


def deletion_file(tmp_path: Path, *pmids: str) -> Path:
    path = tmp_path / "pubmed20n1500.xml"
    path.write_text(article_set("<DeleteCitation>" + "".join(
        f'<PMID Version="1">{p}</PMID>' for p in pmids) + "</DeleteCitation>"))
    return path


def test_delete_citation_removes_a_paper_known_by_its_pmid(store, tmp_path):
    load_paths(store, "pubmed", [XML], progress=False)
    before = Graph(store).stats()["papers"]
    deletions = deletion_file(tmp_path, "399296", "1")  # the second PMID was never loaded
    report = load_paths(store, "pubmed", [deletions], progress=False)
    assert report.written.papers_deleted == 1 and not report.rejected
    assert Graph(store).stats()["papers"] == before - 1
    again = load_paths(store, "pubmed", [deletions], progress=False)
    assert again.written.papers_deleted == 0


def test_delete_citation_removes_a_paper_known_by_its_doi(store, tmp_path):
    load_paths(store, "pubmed", [XML], progress=False)
    report = load_paths(store, "pubmed", [deletion_file(tmp_path, "407700")], progress=False)
    assert report.written.papers_deleted == 1


# --- big files: parsed in worker processes, piece by piece ---------------------------------

def in_workers(path: Path, piece_bytes: int = 20_000) -> list:
    """What ``read`` gives with pieces of ``piece_bytes`` (the extract makes several)."""
    return list(pubmed.read(path, workers=2, piece_bytes=piece_bytes))


def test_workers_give_the_records_of_the_serial_parse_in_order(tmp_path):
    serial = list(pubmed.read(XML, workers=1))
    assert in_workers(XML) == serial and len(serial) == 183
    mixed = tmp_path / "mixed.xml"
    mixed.write_text(article_set(
        article(0), "<DeleteCitation><PMID Version=\"1\">100</PMID></DeleteCitation>",
        *(article(n) for n in range(1, 40)),
        article(40).replace('<PMID Version="1">399336</PMID>', "")))
    items = in_workers(mixed, piece_bytes=5_000)
    assert items == list(pubmed.read(mixed, workers=1))
    assert items[1] == Deletion("pmid:100")
    assert (items[-1].record, items[-1].reason) == ("record 41", "no PMID"), \
        "records are numbered across pieces"


def test_workers_report_malformed_xml_at_its_line_in_the_file(tmp_path):
    path = tmp_path / "broken.xml"
    text = article_set(*(article(n) for n in range(30)),
                       article(30).replace("</ArticleTitle>", "", 1),
                       *(article(n) for n in range(31, 40)))
    path.write_text(text)
    serial = list(pubmed.read(path, workers=1))
    items = in_workers(path, piece_bytes=5_000)
    assert items == serial, "the same records, and the error at the same line of the file"
    assert sum(isinstance(i, Work) for i in items) == 39
    (rejected,) = [i for i in items if isinstance(i, Rejected)]
    assert rejected.record.endswith("(record 31)")
    assert rejected.reason.startswith(f"not well-formed XML at line {error_line(text)} (")


def test_workers_leave_out_a_record_without_its_end_tag_alone(tmp_path):
    path = tmp_path / "unclosed.xml"
    path.write_text(article_set(*(article(n) for n in range(4)),
                                article(4).replace("</PubmedArticle>", "", 1),
                                *(article(n) for n in range(5, 40))))
    assert len(list(pubmed._pieces(path, "PubmedArticleSet", 5_000))) > 3
    serial = list(pubmed.read(path, workers=1))
    assert in_workers(path, piece_bytes=5_000) == serial
    assert [i.record for i in serial if isinstance(i, Rejected)] == ["PMID 399300 (record 5)"]
    assert sum(isinstance(i, Work) for i in serial) == 39
    assert serial[-1].pmid == "399335", "numbered on after the damaged record"


def test_workers_keep_the_records_before_archive_damage(tmp_path):
    cut = tmp_path / XML.name
    cut.write_bytes(XML.read_bytes()[: XML.stat().st_size // 2])
    serial = works_before_damage(lambda p: pubmed.read(p, workers=1), cut)
    items: list = []
    with pytest.raises(UnreadableFile, match="damaged or truncated"):
        items.extend(pubmed.read(cut, workers=2, piece_bytes=5_000))
    whole = [w for w in pubmed.read(XML) if isinstance(w, Work)]
    assert items == whole[:len(items)], "the records before the damage, in order"
    assert serial <= len(items) < 183, "every whole record decompressed before the damage"


# --- big MEDLINE text: read by worker processes, piece by piece ----------------------------

def bad_medline(tmp_path: Path) -> Path:
    """The MEDLINE extract with a line that is no field in record 41, record 61 without its
    PMID, CRLF line ends and a Latin-1 line in record 81 (all past the first pieces)."""
    records = text_of(MEDLINE).split("\n\n")
    records[40] = records[40].replace("LA  - eng", "this line is no field", 1)
    records[60] = records[60].split("\n", 1)[1]
    records[80] = records[80].replace("FAU - ", "FAU - Müller, ", 1)
    text = "\n\n".join(records).replace("\n", "\r\n")
    head, _, tail = text.partition("Müller")
    path = tmp_path / "bad.txt"
    path.write_bytes(head.encode() + "Müller".encode("latin-1") + tail.encode())
    return path


@pytest.mark.parametrize("sample", [MEDLINE, EXPORT, "bad"])
def test_medline_workers_give_the_records_of_the_serial_reader_in_order(tmp_path, sample):
    path = bad_medline(tmp_path) if sample == "bad" else sample
    serial = list(pubmed.read(path, workers=1))
    pieces = list(pubmed._medline_pieces(path, 5_000))
    assert len(pieces) > 10 and all(body.startswith(b"PMID") for body, _, _ in pieces[1:])
    assert in_workers(path, piece_bytes=5_000) == serial
    if sample == "bad":
        lines = path.read_bytes().split(b"\r\n")
        line = lines.index(b"this line is no field") + 1
        pmid = text_of(MEDLINE).split("\n\n")[40].split("\n")[0].removeprefix("PMID- ")
        rejected = [(r.record, r.reason.split(":")[0]) for r in serial
                    if isinstance(r, Rejected)]
        assert rejected == [(f"PMID {pmid} (record 41)", f"line {line} is not a MEDLINE "
                             "field ('XXXX- value')"), ("record 61", "no PMID")], \
            "records numbered, and lines counted, across pieces"
        assert sum(isinstance(w, Work) for w in serial) == 181
        assert any(a.family == "Müller" for w in serial if isinstance(w, Work)
                   for a in w.authors)


def test_medline_workers_keep_the_records_before_archive_damage(tmp_path):
    cut = tmp_path / MEDLINE.name
    cut.write_bytes(MEDLINE.read_bytes()[: MEDLINE.stat().st_size // 2])
    serial: list = []
    with pytest.raises(UnreadableFile, match="damaged or truncated"):
        serial.extend(pubmed.read(cut, workers=1))
    items: list = []
    with pytest.raises(UnreadableFile, match="damaged or truncated"):
        items.extend(pubmed.read(cut, workers=2, piece_bytes=5_000))
    assert items == serial and 0 < len(items) < 183
    whole = list(pubmed.read(MEDLINE))
    assert items == whole[:len(items)], "whole records only: none cut short by the damage"


def test_parsing_workers_leave_ctrl_c_to_the_loading_process():
    """A worker that took Ctrl-C too would print its own KeyboardInterrupt traceback."""
    import signal

    from loaders.workers import process_pool

    with process_pool(1) as pool:
        assert pool.submit(signal.getsignal, signal.SIGINT).result() == signal.SIG_IGN


def test_the_document_type_is_a_kind_of_document():
    """'English Abstract', 'Comparative Study' and 'Research Support, …' say how a study was
    made or written up, not what the document is; the first type that says so wins."""
    assert pubmed.document_type(["Journal Article", "English Abstract"]) == "Journal Article"
    assert pubmed.document_type(["Comparative Study", "Journal Article", "Review"]) == "Review"
    assert pubmed.document_type(["Research Support, Non-U.S. Gov't", "Case Reports",
                                 "Journal Article"]) == "Case Reports"
    assert pubmed.document_type(["English Abstract"]) == "English Abstract"
    assert pubmed.document_type([]) is None
    kinds = {w.type for w in pubmed.read(XML)
             if isinstance(w, Work)}
    assert kinds and not kinds & {"English Abstract", "Comparative Study"}


def test_medline_section_labels_are_not_abbreviations():
    text = ("BACKGROUND: We studied activated B-cell (ABC) DLBCL: a subtype (p<0.05). "
            "CI: 95%. AIM: to see. DESIGN, SETTING, AND PARTICIPANTS: many.")
    assert pubmed._medline_abstract(text).split("\n\n") == [
        "BACKGROUND: We studied activated B-cell (ABC) DLBCL: a subtype (p<0.05). CI: 95%.",
        "AIM: to see.", "DESIGN, SETTING, AND PARTICIPANTS: many."]
