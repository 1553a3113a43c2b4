"""Web of Science exports into the graph, from real records (tests/data/wos, see its README)."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import wos
from loaders.base import Rejected, UnreadableFile, institution_from_text
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "wos"
ISI = DATA / "testFile.isi"
SAVED = DATA / "savedrecs_7.txt"
TAB = DATA / "savedrecs_7.tab.txt"
BROKEN_UT = "WOS:000177484FG0017"
"""The record of testFile.isi whose author tag lost its space ('AUGilles, H')."""


def works(path: Path) -> list[Work]:
    return [w for w in wos.read(path) if isinstance(w, Work)]


def plain_text_records(path: Path) -> dict[str, list[str]]:
    """Paper key -> AF names, by regular expressions over the raw text: a record is a
    'PT … ER' block, its key the lower-cased DI else the UT; a later record wins."""
    papers = {}
    text = path.read_text(encoding="utf-8-sig")
    for block in re.findall(r"^PT .*?^ER$", text, flags=re.M | re.S):
        ut = re.search(r"^UT (.+)$", block, re.M)
        if ut and ut.group(1) == BROKEN_UT:
            continue
        doi = re.search(r"^DI (.+)$", block, re.M)
        key = f"doi:{doi.group(1).lower()}" if doi else ut.group(1)
        af = re.search(r"^AF (.+(?:\n   .+)*)", block, re.M)
        papers[key] = [line.strip() for line in af.group(1).split("\n")]
    return papers


def tab_records(path: Path) -> dict[str, list[str]]:
    """The same from a tab-delimited export, with the csv module."""
    with path.open(encoding="utf-16", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return {f"doi:{r['DI'].lower()}" if r["DI"] else r["UT"]: r["AF"].split("; ") for r in rows}


def independent_counts(records: dict[str, list[str]]) -> dict[str, int]:
    """People are told apart by (family, given) as written, lower-cased."""
    people = {tuple(part.strip().lower() for part in name.split(",", 1))
              for names in records.values() for name in names}
    return {"papers": len(records), "authors": len(people),
            "authorships": sum(len(names) for names in records.values())}


def loader_counts(loaded: list[Work]) -> dict[str, int]:
    by_id = {w.id: w for w in loaded}
    return {"papers": len(by_id),
            "authors": len({a.id for w in by_id.values() for a in w.authors}),
            "authorships": sum(len(w.authors) for w in by_id.values())}


@pytest.mark.parametrize(("path", "count"), [(ISI, plain_text_records),
                                             (SAVED, plain_text_records), (TAB, tab_records)])
def test_record_counts_match_an_independent_parse(path, count):
    assert loader_counts(works(path)) == independent_counts(count(path))


def test_ids_names_orcids_affiliations_and_keywords():
    loaded = {w.id: w for w in works(ISI)}
    assert len(loaded) == 32, "34 records: one rejected, one DOI twice"
    gaza = loaded["doi:10.1016/j.aeue.2011.07.004"]
    assert (gaza.year, gaza.venue, gaza.type, gaza.source) == (
        2012, "AEU-INTERNATIONAL JOURNAL OF ELECTRONICS AND COMMUNICATIONS", "article", "wos")
    taya = gaza.authors[0]
    assert (taya.id, taya.name, taya.family, taya.given) == (
        "name:sofyan a taya", "Sofyan A. Taya", "Taya", "Sofyan A.")
    assert [a.institutions for a in gaza.authors] == [(institution_from_text(
        "Islamic Univ Gaza, Dept Phys, Gaza, Palestinian Aut, Israel"),)] * 3
    assert [t.id for t in gaza.topics] == [
        "keyword:slab waveguide sensors", "keyword:goos hanchen shift", "keyword:sensitivity"]
    leaky = loaded["doi:10.1364/josab.22.001290"]
    kaiser = leaky.authors[4]
    assert (kaiser.id, kaiser.orcid, kaiser.name) == (
        "orcid:0000-0001-5194-3680", "0000-0001-5194-3680", "R Kaiser")
    assert sum(a.orcid is not None for a in leaky.authors) == 1
    assert all(len(a.institutions) == 3 for a in leaky.authors), "unbracketed: every author"
    films = loaded["doi:10.1016/j.pquantelec.2003.09.002"]
    assert "keyword:water adsorption" in [t.id for t in films.topics], "wrapped DE line"
    assert not any(a.orcid for a in films.authors), "RI (ResearcherID) is not an ORCID"
    no_doi = loaded["wos:A1995RL12900028"]
    assert (no_doi.doi, no_doi.pmid) == (None, "21052270")
    chinese = next(w for w in loaded.values() if w.authors and w.authors[0].given == "Zhi-Wei")
    assert [(a.name, a.family) for a in chinese.authors] == [
        ("Zhi-Wei Zhang", "Zhang"), ("Ting-Dun Wen", "Wen"), ("Ji-Long Zhang", "Zhang")]
    assert all(len(a.institutions) == 2 for a in chinese.authors)
    brevik = loaded["doi:10.1016/0370-1573(79)90074-7"].authors
    assert [i.name for i in brevik[0].institutions] == [
        "UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY",
        "LUFTKRIGSSKOLEN,TRONDHEIM MIL 7000,NORWAY"], "CR lines that lost their tag"


def test_abstracts_and_publication_dates():
    loaded = {w.id: w for w in works(ISI)}
    leaky = loaded["doi:10.1364/josab.22.001290"]  # PD JUN, PY 2005
    assert (leaky.year, leaky.publication_date) == (2005, "2005-06")
    assert leaky.abstract.startswith("The Goos-Hanchen shift for a light beam totally "
                                     "reflected on the external interface of a dielectric")
    assert leaky.abstract.endswith("between theory and experimental results. (C) 2005 "
                                   "Optical Society of America."), "AB as written"
    assert loaded["wos:A1995RL12900028"].publication_date == "1995-07-20", "PD JUL 20"
    assert loaded["doi:10.1364/ol.27.001421"].publication_date == "2002-08-15", "PD AUG 15"
    gaza = loaded["doi:10.1016/j.aeue.2011.07.004"]  # PY 2012, no PD
    assert (gaza.year, gaza.publication_date) == (2012, None)
    assert gaza.abstract.startswith("The present paper deals with three-layer planar "
                                    "waveguide optical sensor.")
    brevik = loaded["doi:10.1016/0370-1573(79)90074-7"]  # 1979: no AB, no PD
    assert (brevik.abstract, brevik.publication_date) == (None, None)
    assert sum(w.abstract is not None for w in works(ISI)) == 11
    assert sum(w.publication_date is not None for w in works(ISI)) == 9
    assert [(w.abstract is not None, w.publication_date) for w in works(TAB)] == [
        (w.abstract is not None, w.publication_date) for w in works(SAVED)]


@pytest.mark.parametrize("pd,date", [
    ("PD APR 29", "2005-04-29"), ("PD APR", "2005-04"), ("PD 2005 APR 29", "2005-04-29"),
    ("PD JAN-FEB", "2005-01"), ("PD SPR", None), ("PD FAL 15", None), ("PD 2005", None),
    ("PD 2004 DEC 30", None), ("PD APR 31", "2005-04"),
    ("EA APR 2005", "2005-04"), ("EA DEC 2004", None), ("PD SPR\nEA APR 2005", None),
])
def test_pd_forms_and_early_access(tmp_path, pd, date):
    record = SAVED.read_text(encoding="utf-8-sig").split("\nER\n")[2] + "\nER\n"
    assert "PD JUN\nPY 2005\n" in record, "the leaky-modes record, PD JUN"
    path = tmp_path / "dates.txt"
    path.write_text(record.replace("PD JUN\n", pd + "\n"), encoding="utf-8")
    (work,) = works(path)
    assert (work.year, work.publication_date) == (2005, date)


def test_a_record_without_abstract(tmp_path):
    record = SAVED.read_text(encoding="utf-8-sig").split("\nER\n")[2] + "\nER\n"
    abstract = next(line for line in record.splitlines() if line.startswith("AB "))
    path = tmp_path / "no-abstract.txt"
    path.write_text(record.replace(abstract, "AB  ").replace("PD JUN\n", ""), encoding="utf-8")
    (work,) = works(path)
    assert (work.abstract, work.publication_date) == (None, None)


def test_the_malformed_record_of_the_real_file_is_rejected_with_its_line():
    rejected = [r for r in wos.read(ISI) if isinstance(r, Rejected)]
    assert [(r.record, r.reason) for r in rejected] == [
        ("record 6 (line 415)", "line 416 is not a field line: 'AUGilles, H'")]


def test_plain_text_and_tab_delimited_exports_give_the_same_works(tmp_path):
    utf8 = tmp_path / "savedrecs.utf8.txt"
    utf8.write_text(TAB.read_text(encoding="utf-16"), encoding="utf-8-sig")
    zipped = tmp_path / "savedrecs.tab.txt.gz"
    zipped.write_bytes(gzip.compress(TAB.read_bytes()))
    plain_gz = tmp_path / "savedrecs.txt.gz"
    plain_gz.write_bytes(gzip.compress(SAVED.read_bytes()))
    expected = list(wos.read(SAVED))
    assert len(expected) == 7 and all(isinstance(w, Work) for w in expected)
    for other in (TAB, utf8, zipped, plain_gz):
        assert list(wos.read(other)) == expected, other.name


def test_loaded_counts_match_an_independent_parse(store):
    files = [ISI, SAVED, TAB]
    report = load_paths(store, "wos", files, progress=False)
    assert [r.record for r in report.rejected] == ["record 6 (line 415)"]
    merged = {**plain_text_records(ISI), **plain_text_records(SAVED), **tab_records(TAB)}
    expected = independent_counts(merged)
    stats = Graph(store).stats()
    assert {k: stats[k] for k in ("papers", "authorships")} == {
        k: expected[k] for k in ("papers", "authorships")}
    again = load_paths(store, "wos", files, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def _records(path: Path) -> list[str]:
    """The 'PT … ER' blocks of a plain-text export, as text."""
    return re.findall(r"^PT .*?^ER\n", path.read_text(encoding="utf-8-sig"), flags=re.M | re.S)


def test_bad_records_are_rejected_with_record_line_and_reason(store, tmp_path):
    good = _records(SAVED)
    no_title = re.sub(r"^TI .*\n(   .*\n)*", "", good[1], flags=re.M)
    bad_line = good[2].replace("\nSO ", "\nthis is not a field line\nSO ", 1)
    unclosed = good[4].removesuffix("ER\n")
    broken = tmp_path / "broken.txt"
    broken.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\n" + good[0] + no_title
                      + bad_line + good[3] + unclosed + good[5] + "EF\n")
    starts = [n for n, line in enumerate(broken.read_text().splitlines(), 1)
              if line.startswith("PT ")]
    report = load_paths(store, "wos", [broken], progress=False)
    bad_at = starts[2] + good[2][: good[2].index("\nSO ")].count("\n") + 1
    assert [(r.file, r.record, r.reason) for r in report.rejected] == [
        (str(broken), f"record 2 (line {starts[1]})", "no title (TI)"),
        (str(broken), f"record 3 (line {starts[2]})",
         f"line {bad_at} is not a field line: 'this is not a field line'"),
        (str(broken), f"record 5 (line {starts[4]})", f"no ER line before line {starts[5]} (PT)"),
    ]
    assert Graph(store).stats()["papers"] == 3
    cut = tmp_path / "cut.txt"
    cut.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\n" + good[0] + unclosed)
    assert [str(r) for r in wos.read(cut) if isinstance(r, Rejected)] == [
        f"{cut}: record 2 (line {2 + good[0].count(chr(10)) + 1}): "
        "the file ends inside this record (no ER line)"]


def test_bad_tab_delimited_rows_are_rejected_and_the_rest_load(tmp_path):
    lines = TAB.read_text(encoding="utf-16").splitlines()
    header = lines[0].split("\t")
    title = header.index("TI")
    untitled = lines[2].split("\t")
    untitled[title] = ""
    bad = tmp_path / "bad.tab.txt"
    bad.write_text("\n".join([lines[0], lines[1], "\t".join(untitled), "too\tfew\tfields",
                              lines[3] + "\textra"]) + "\n", encoding="utf-8")
    read = list(wos.read(bad))
    assert [(r.record, r.reason) for r in read if isinstance(r, Rejected)] == [
        ("record 2 (line 3)", "no title (TI)"),
        ("record 3 (line 4)", f"3 tab-separated fields where the header has {len(header) - 1}"),
        ("record 4 (line 5)",
         f"{len(header) + 1} tab-separated fields where the header has {len(header) - 1}")]
    assert sum(isinstance(w, Work) for w in read) == 1


def test_orcids_match_authors_by_name_and_initial_only_when_unambiguous(tmp_path):
    record = _records(SAVED)[2]  # Pillon, Gilles, Girard, Laroche, Kaiser, Gazibegovic
    oi = ("OI Gilles, Herve/https://orcid.org/0000-0002-1825-0097; Girard, Xavier/"
          "0000-0001-5109-3700;\n   Laroche, M/0000-0002-9351-0007; Nobody, A/0000-0003-0000-0000")
    record = re.sub(r"^OI .*$", oi, record, flags=re.M)
    two_gilles = (record.replace("   Laroche, M\n", "   Gilles, Hugo\n")
                  .replace("   Laroche, M\n", "   Gilles, H\n"))  # AU, then AF
    path = tmp_path / "orcid.txt"
    path.write_text(record + two_gilles + "EF\n")
    work, ambiguous = works(path)
    assert [a.orcid for a in work.authors] == [
        None, "0000-0002-1825-0097", None, "0000-0002-9351-0007", None, None]
    assert work.authors[1].id == "orcid:0000-0002-1825-0097"
    assert [a.name for a in ambiguous.authors[1:4]] == ["H Gilles", "S Girard", "Hugo Gilles"]
    assert [a.orcid for a in ambiguous.authors] == [None] * 6, "two Gilles H: no ORCID"


def test_latin1_lines_among_utf8_ones(tmp_path):
    record = _records(SAVED)[0].replace("AF COWAN, JJ\n", "AF Cowan, Jörg\n", 1)
    mixed = tmp_path / "mixed.txt"
    mixed.write_bytes(b"FN Clarivate Analytics Web of Science\nVR 1.0\n"
                      + record.encode("latin-1") + "PT J\nTI Ünïcode title\nER\n".encode())
    loaded = works(mixed)
    assert loaded[0].authors[0].name == "Jörg Cowan"
    assert loaded[1].title == "Ünïcode title"


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    cut = cut_gzip(tmp_path / "cut.isi.gz", ISI.read_bytes(), keep=(1, 2))
    assert 0 < works_before_damage(wos.read, cut) < 33


def test_empty_header_only_wrong_format_and_missing_files(tmp_path):
    cases = {"empty.txt": "", "blank.txt": "\n  \n",
             "header.txt": "FN Clarivate Analytics Web of Science\nVR 1.0\nEF\n",
             "refs.ris": "TY  - JOUR\nTI  - Not WoS\nER  - \n",
             "refs.bib": "@article{x, title={Not WoS}}\n"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text)
    reasons = {name: [(r.record, r.reason) for r in wos.read(tmp_path / name)]
               for name in cases}
    assert reasons["empty.txt"] == reasons["blank.txt"] == [("file", "the file is empty")]
    assert reasons["header.txt"] == [("file", "the export holds no records")]
    for name in ("refs.ris", "refs.bib"):
        assert len(reasons[name]) == 1 and reasons[name][0][0] == "file"
        assert "wrong format?" in reasons[name][0][1]
    stray = tmp_path / "stray.txt"
    stray.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nnot a field\n"
                     "PT J\nTI A title\nER\nEF\n")
    assert [(r.record, r.reason) if isinstance(r, Rejected) else r.title
            for r in wos.read(stray)] == [
        ("line 3", "text outside any record (not a field line)"), "A title"]
    with pytest.raises(UnreadableFile, match="no such file"):
        list(wos.read(tmp_path / "missing.txt"))


def test_a_year_in_pd_is_not_a_day():
    """'DEC 2019' of a paper of 2020 is the issue's date: no date; a range has no day."""
    assert [wos._date({"PD": [pd]}, 2020) for pd in
            ("DEC 2019", "2020 APR 29", "APR-JUN 15", "JUL 20", "SPR")] == \
        [None, "2020-04-29", "2020-04", "2020-07-20", None]
