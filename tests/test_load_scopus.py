"""Scopus CSV exports into the graph, from real rows (tests/data/scopus, see its README)."""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import scopus
from loaders.base import Rejected, UnreadableFile
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "scopus"
LITSTUDY = DATA / "litstudy-scopus-16.csv"
METAKNOWLEDGE = DATA / "metaknowledge-scopus-19.csv"
NEWER = DATA / "litstudy-scopus_v2-1.csv"
FILES = [LITSTUDY, METAKNOWLEDGE, NEWER]
_NOT_PEOPLE = {"[No author name available]", "Anon"}


def _key(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    header, *rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))
    return header, rows


def independent_records(paths: list[Path]) -> dict[str, list[str]]:
    """Paper id -> distinct author keys. Columns are picked by header position only before the
    funding columns (whose count varies row by row); the EID is the last cell."""
    papers: dict[str, list[str]] = {}
    for path in paths:
        header, rows = _table(path)
        for row in rows:
            doi = row[header.index("DOI")].strip().lower()
            ids = [i.strip() for i in row[header.index("Author(s) ID")].split(";")
                   if i.strip().isdigit()] if "Author(s) ID" in header else []
            names = [n for n in re.split(r"[;,] ", row[0]) if n.strip() and n not in _NOT_PEOPLE]
            people = [f"scopus:{i}" for i in ids] if ids else [_key(n) for n in names]
            papers[f"doi:{doi}" if doi else f"scopus:{row[-1]}"] = list(dict.fromkeys(people))
    return papers


def independent_counts(paths: list[Path]) -> dict[str, int]:
    papers = independent_records(paths)
    return {"papers": len(papers), "authors": len({a for ids in papers.values() for a in ids}),
            "authorships": sum(len(ids) for ids in papers.values())}


def _works(path: Path) -> list[Work]:
    return [w for w in scopus.read(path) if isinstance(w, Work)]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_record_level_counts_match_an_independent_parse(path):
    items = list(scopus.read(path))
    works = [w for w in items if isinstance(w, Work)]
    assert len(works) == len(items), "every real row loads"
    expected = independent_counts([path])
    assert len({w.id for w in works}) == expected["papers"] == len(works)
    assert len({a.id for w in works for a in w.authors}) == expected["authors"]
    assert sum(len(w.authors) for w in works) == expected["authorships"]


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "scopus", FILES, progress=False)
    assert not report.rejected and not report.unreadable
    expected = independent_counts(FILES)
    stats = Graph(store).stats()
    assert (stats["papers"], stats["authorships"]) == (expected["papers"],
                                                       expected["authorships"])
    again = load_paths(store, "scopus", FILES, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def test_author_ids_names_affiliations_and_keywords():
    first, petri, anonymous = _works(LITSTUDY)[:3]
    assert (first.id, first.doi, first.year, first.type) == (
        "doi:10.1002/jcc.20289", "10.1002/jcc.20289", 2005, "Review")
    assert first.venue == "Journal of Computational Chemistry" and first.source == "scopus"
    phillips = first.authors[0]
    assert (phillips.id, phillips.name, phillips.family, phillips.given) == (
        "scopus:57202138757", "J.C. Phillips", "Phillips", "J.C.")
    assert [i.name for i in phillips.institutions] == [
        "Beckman Institute, University of Illinois at Urbana-Champaign, Urbana, IL 61801, "
        "United States"]
    assert phillips.institutions[0].id.startswith("affiliation:")
    assert [t.id for t in first.topics] == ["keyword:biomolecular simulation",
                                            "keyword:molecular dynamics",
                                            "keyword:parallel computing"]
    kardynska = petri.authors[2]
    assert kardynska.name == "M. Kardynska" and len(kardynska.institutions) == 2, \
        "an author with two affiliations of the record's Affiliations column gets both"
    assert anonymous.authors == () and anonymous.id == "scopus:2-s2.0-85080066604"


def test_rows_wider_than_the_header_are_realigned_by_funding_text_columns():
    header, rows = _table(LITSTUDY)
    assert len(header) == 45 and len(rows[1]) == 46, "the real file's header lacks a column"
    petri = _works(LITSTUDY)[1]
    assert petri.title.startswith("Petri nets and ODEs as complementary methods")
    assert (petri.venue, petri.type, petri.pmid) == ("Scientific Reports", "Article", "35064163")


def test_older_header_without_ids_and_odd_authors():
    works = {w.title[:25]: w for w in _works(METAKNOWLEDGE)}
    yagai = works["Strain Distribution of Co"].authors[0]
    assert (yagai.id, yagai.name, yagai.family) == ("name:t yagai", "T. Yagai", "Yagai")
    haddrill = works["TAX AND ACCOUNTING CONSID"].authors[0]
    assert (haddrill.name, haddrill.family, haddrill.given) == (
        "Richard M. Haddrill", "Haddrill", "Richard M.")
    assert works["COMPUTER SYSTEM FOR BWW."].authors == (), "'Anon' is not a person"
    group = works["Randomised trial of chole"].authors[0]
    assert group.name == "Scandinavian Simvastatin Survival Study Group" and group.family is None
    pope, burnett = works["Lung cancer, cardiopulmon"].authors[:2]
    assert (pope.name, pope.family, pope.given) == ("C.A. Pope III", "Pope", "C.A."), \
        "a generational suffix is not part of the family name"
    assert burnett.name == "R.T. Burnett" and burnett.institutions == (), \
        "an affiliation glued to the name cannot be split off"


def test_newer_header_with_full_names():
    (work,) = _works(NEWER)
    assert [(a.id, a.name, a.family, a.given) for a in work.authors] == [
        ("scopus:57221302630", "Jie Hao", "Hao", "Jie"),
        ("scopus:6701683718", "Robin High", "High", "Robin"),
        ("scopus:57192938181", "Ka-Chun Siu", "Siu", "Ka-Chun")]
    assert work.authors[1].institutions[0].name.startswith("Department of Biostatistics")
    assert (work.pmid, work.year, work.id) == ("35965444", 2023,
                                               "doi:10.1080/00140139.2022.2113152")


def test_abstracts_without_copyright_notices_and_no_dates():
    works = _works(LITSTUDY)
    header, rows = _table(LITSTUDY)
    raw = rows[0][header.index("Abstract")]
    assert raw.endswith("with source code at www.ks.uiuc.edu. © 2005 Wiley Periodicals, Inc.")
    assert works[0].abstract.startswith("NAMD is a parallel molecular dynamics code designed for "
                                        "high-performance simulation")
    assert works[0].abstract.endswith("NAMD is distributed free of charge with source code at "
                                      "www.ks.uiuc.edu."), "'© 2005 Wiley…' left out"
    assert works[11].abstract.endswith("can export SBML and MATLAB® m-files."), \
        "'© The Author 2007. Published by Oxford University Press. All rights reserved.'"
    assert rows[6][header.index("Abstract")] == "[No abstract available]"
    assert works[6].abstract is None
    assert works[2].abstract.endswith("with markov model-based analysis of equilibrium "
                                      "structural dynamics."), "no notice: as written"
    older = {w.title[:25]: w for w in _works(METAKNOWLEDGE)}
    assert older["A Novel Partial Melting P"].abstract.startswith(
        "High-performance YBa2Cu3O7\u2212z (YBCO) super conducting films"), "<inf>2</inf>"
    assert older["COMPUTER SYSTEM FOR BWW."].abstract.endswith("and the C programming language.")
    assert older["Industrial organisation a"].abstract.endswith("organisational change. "
                                                                "-from Editors")
    everything = [w for path in FILES for w in _works(path)]
    assert sum(w.abstract is None for w in everything) == 1
    assert not any("©" in w.abstract for w in everything if w.abstract)
    assert all(w.publication_date is None for w in everything), "Scopus CSV has no month"


@pytest.mark.parametrize("text,abstract", [
    ("Text. © 2020 Elsevier Ltd. All rights reserved.", "Text."),
    ("Text (n = 5). Copyright © 2011 John Wiley & Sons, Ltd.", "Text (n = 5)."),
    ('He said "yes." © 2013 by Emerald Group Publishing Limited.', 'He said "yes."'),
    ("© 2020 Elsevier. The notice leads.", "© 2020 Elsevier. The notice leads."),
    ("Uses © marks © 2020 in text", "Uses © marks © 2020 in text"),
    ("One. © A. Two © B.", "One. © A. Two © B."),
    ("[NO ABSTRACT AVAILABLE]", None), ("  ", None), ("", None),
])
def test_copyright_notice_only_at_the_end_after_a_sentence(text, abstract):
    assert scopus._abstract(text) == abstract


def test_bad_rows_are_rejected_with_record_and_starting_line(store, tmp_path):
    header, rows = _table(LITSTUDY)
    no_eid = [*rows[3][:-1], "not an EID"]
    no_title = list(rows[4])
    no_title[header.index("Title")] = ""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [header, rows[0], rows[1], rows[2][:44], no_eid, no_title, rows[5]])
    broken = tmp_path / "broken.csv"
    broken.write_text(out.getvalue())
    # header: line 1; record 1: line 2; record 2 spans lines 3-4 (a quoted newline)
    report = load_paths(store, "scopus", [broken], progress=False)
    assert [(r.file, r.record, r.reason) for r in report.rejected] == [
        (str(broken), "record 3 (line 5)", "44 columns where the header has 45"),
        (str(broken), "record 4 (line 6)", "46 columns where the header has 45"),
        (str(broken), "record 5 (line 7)", "no title"),
    ]
    assert Graph(store).stats()["papers"] == 3


def test_latin1_line_among_utf8_ones(tmp_path):
    lines = METAKNOWLEDGE.read_bytes().split(b"\n")
    moller = next(i for i, line in enumerate(lines) if line.startswith(b'"M\xc3\xb6ller K.'))
    lines[moller] = lines[moller].decode().encode("latin-1", errors="replace")
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(b"\n".join(lines))
    works = _works(mixed)
    assert len(works) == 19
    assert [(a.id, a.name) for a in works[moller - 1].authors] == [
        ("name:k moller", "K. Möller"), ("name:m anttila", "M. Anttila")]


def test_gzip_and_truncated_gzip(tmp_path):
    whole = tmp_path / "whole.csv.gz"
    whole.write_bytes(gzip.compress(METAKNOWLEDGE.read_bytes()))
    assert len(_works(whole)) == 19
    cut = cut_gzip(tmp_path / "cut.csv.gz", METAKNOWLEDGE.read_bytes())
    assert 0 < works_before_damage(scopus.read, cut) < 19


def test_empty_missing_and_wrong_format_files(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    assert list(scopus.read(tmp_path / "empty.csv")) == [
        Rejected(str(tmp_path / "empty.csv"), "file", "the file is empty")]
    (wrong,) = scopus.read(Path(__file__).parent / "data" / "ris" / "litstudy-example.ris")
    assert wrong.record == "file" and "wrong format?" in wrong.reason
    (tmp_path / "other.csv").write_text("id,name\n1,x\n")
    (wrong,) = scopus.read(tmp_path / "other.csv")
    assert wrong.record == "file" and "wrong format?" in wrong.reason
    with pytest.raises(UnreadableFile, match="no such file"):
        list(scopus.read(tmp_path / "missing.csv"))


@pytest.mark.parametrize("text", [
    "Text. © 2013 Wiley. © 2014 American Cancer Society.",
    "Text. © Copyright ©2014 by Annual Reviews. All rights reserved.",
    "Text. Copyright: © 2013 Smith et al. This is an open-access article, credited.",
])
def test_copyright_notices_of_real_records_go(text):
    assert scopus._abstract(text) == "Text."
