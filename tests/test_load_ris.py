"""RIS into the graph, from real records (tests/data/ris, see its README)."""

from __future__ import annotations

import gzip
import re
import unicodedata
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import ris
from loaders.base import Rejected, UnreadableFile
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "ris"
SAMPLE = DATA / "litstudy-example.ris"
_BREAK = re.compile(r"\r\n|\r|\n")
_TAG = re.compile(r"([A-Z][A-Z0-9])  - ?(.*)")


def _key(name: str) -> str:
    """A person key from the name as written: accents stripped, letters only, lower case."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def independent_records(path: Path) -> dict[str, list[str]]:
    """Paper key -> distinct author keys, with regular expressions (no rispy); DO else TI."""
    papers: dict[str, list[str]] = {}
    tags: list[tuple[str, str]] = []
    for line in _BREAK.split(path.read_bytes().decode("utf-8")):
        match = _TAG.fullmatch(line.rstrip())
        if not match:
            continue
        if match.group(1) == "ER":
            fields = dict(reversed(tags))  # first value of each tag
            authors = [v for t, v in tags if t in ("AU", "A1") and v.strip()]
            papers[fields.get("DO", "").lower() or fields["TI"]] = list(
                dict.fromkeys(_key(a) for a in authors))
            tags = []
        else:
            tags.append((match.group(1), match.group(2).strip()))
    return papers


def independent_counts(path: Path) -> dict[str, int]:
    papers = independent_records(path)
    return {"papers": len(papers), "authors": len({a for ids in papers.values() for a in ids}),
            "authorships": sum(len(ids) for ids in papers.values())}


def _records(path: Path = SAMPLE) -> list[str]:
    """The sample's records as LF text, each ending with its ER line."""
    text = "\n".join(_BREAK.split(path.read_bytes().decode("utf-8")))
    return [r.strip("\n") + "\n" for r in re.split(r"(?<=ER  - )\n", text) if r.strip()]


def _works(path: Path) -> list[Work]:
    return [w for w in ris.read(path) if isinstance(w, Work)]


def test_the_sample_really_mixes_cr_lf_and_crlf():
    raw = SAMPLE.read_bytes()
    assert b"\r\n" in raw and re.search(rb"\r(?!\n)", raw) and re.search(rb"(?<!\r)\n", raw)


def test_record_level_counts_match_an_independent_parse():
    works = _works(SAMPLE)
    expected = independent_counts(SAMPLE)
    assert expected["papers"] == 25
    assert len({w.id for w in works}) == expected["papers"] == len(works)
    assert len({a.id for w in works for a in w.authors}) == expected["authors"]
    assert sum(len(w.authors) for w in works) == expected["authorships"]


def test_fields_of_a_real_record():
    first, second = _works(SAMPLE)[:2]
    assert first.id == "doi:10.1109/mcse.2018.2884139" and first.doi == "10.1109/mcse.2018.2884139"
    assert first.title == "The European Approach to the Exascale Challenge"
    assert (first.year, first.venue, first.type, first.source) == (
        2019, "Computing in Science & Engineering", "JOUR", "ris")
    assert [a.name for a in first.authors] == ["G. Kalbe"], "AU repeated in the record: once"
    assert first.authors[0].id == "name:g kalbe" and first.authors[0].family is None
    assert first.topics[0].id == "keyword:exascale computing"
    assert first.topics[0].name == "Exascale computing" and len(first.topics) == 6
    assert second.type == "CONF" and second.authors[9].name == "B. Somosköi"
    assert second.authors[9].id == "name:b somoskoi"


def test_abstracts_of_real_records_and_their_markup():
    works = _works(SAMPLE)
    assert works[0].abstract.startswith("An integrated European exascale computing and data "
                                        "infrastructure and ecosystem are key to building")
    assert works[0].abstract.endswith("public procurement at the European level to invest in "
                                      "operational HPC technologies.")
    assert all(w.abstract and "\n" not in w.abstract for w in works), "every record has AB"
    # IEEE's markup: 'Exascale regime-surpassing 10<sup>18</sup> operations', '&amp;'
    assert "regime-surpassing 1018 operations per second" in works[10].abstract
    assert "in excess of a Giga-watt! Memory & communication bandwidth" in works[19].abstract
    assert "Mean-Time-To-Failure(TMTTF ) and" in works[22].abstract
    assert not any("<" in w.abstract or "&amp;" in w.abstract for w in works)


def test_dates_only_from_ris_date_forms(tmp_path):
    """The sample has PY years and IEEE's free-text Y1 ('1 Jan.-Feb. 2019'), no DA: no dates;
    DA and PY in the RIS forms give them, in the paper's year."""
    assert [w.publication_date for w in _works(SAMPLE)] == [None] * 25
    record = _records()[0]
    assert "PY  - 2019\n" in record and "Y1  - 1 Jan.-Feb. 2019\n" in record
    variants = {
        "DA  - 2019/02/15/": "2019-02-15", "DA  - 2019/02//": "2019-02", "DA  - 2019///": None,
        "DA  - 2018/12/30/": None, "DA  - 2019-02-30": "2019-02", "DA  - spring": None,
    }
    path = tmp_path / "dates.ris"
    path.write_text("".join(record.replace("PY  - 2019\n", f"PY  - 2019\n{line}\n")
                            for line in variants)
                    + record.replace("PY  - 2019\n", "PY  - 2019/02/14/\n")
                    + record.replace("PY  - 2019\n", "").replace("Y1  - 1 Jan.-Feb. 2019",
                                                                   "Y1  - 2019/03/01/"))
    found = [(w.year, w.publication_date) for w in _works(path)]
    assert found == [(2019, d) for d in variants.values()] + [(2019, "2019-02-14"),
                                                             (2019, "2019-03-01")]


def test_n2_abstract_and_records_without_one(tmp_path):
    record = _records()[0]
    abstract = next(line for line in record.splitlines() if line.startswith("AB  - "))
    path = tmp_path / "n2.ris"
    path.write_text(record.replace(abstract, "N2  - Older <i>exports</i> use N2.")
                    + record.replace(abstract, "AB  -  ")
                    + record.replace(abstract + "\n", ""))
    assert [w.abstract for w in _works(path)] == ["Older exports use N2.", None, None]


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "ris", [SAMPLE], progress=False)
    assert not report.rejected and not report.unreadable
    expected = independent_counts(SAMPLE)
    stats = Graph(store).stats()
    assert (stats["papers"], stats["authorships"]) == (expected["papers"],
                                                       expected["authorships"])
    again = load_paths(store, "ris", [SAMPLE], progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_any_line_ending_gives_the_same_works(tmp_path, newline):
    same = tmp_path / "same.ris"
    same.write_bytes(newline.join(_BREAK.split(SAMPLE.read_bytes().decode())).encode())
    assert _works(same) == _works(SAMPLE)


def test_family_given_names_a1_authors_and_editors_left_out(tmp_path):
    record = _records()[0].replace(
        "AU  - G. Kalbe\nAU  - G. Kalbe\n",
        "AU  - Smith, John, Jr.\nA1  - Doe, Jane\nA1  - Smith, John, Jr.\nA2  - Editor, Ed\n"
        "KW  - grid; cloud\n")
    path = tmp_path / "names.ris"
    path.write_text(record)
    (work,) = _works(path)
    assert [(a.name, a.family, a.given) for a in work.authors] == [
        ("John Smith Jr.", "Smith", "John"), ("Jane Doe", "Doe", "Jane")]
    assert {"keyword:grid", "keyword:cloud"} <= {t.id for t in work.topics}


def test_broken_records_are_rejected_with_number_line_and_reason(store, tmp_path):
    records = _records()
    no_title = re.sub(r"TI  - .*\n", "", records[1])
    no_er = records[2].replace("ER  - \n", "")
    orphan = "AU  - Orphan, Tag\nER  - \n"
    text = "".join([records[0], no_title, no_er, records[3], orphan, records[4]])
    broken = tmp_path / "broken.ris"
    broken.write_text(text)
    lines = text.split("\n")
    starts = [n for n, line in enumerate(lines, start=1) if line.startswith(("TY  -", "AU  - Orp"))]
    report = load_paths(store, "ris", [broken], progress=False)
    assert [(r.file, r.record, r.reason) for r in report.rejected] == [
        (str(broken), f"record 2 (line {starts[1]})", "no title (TI or T1)"),
        (str(broken), f"record 3 (line {starts[2]})",
         f"no ER line before the next record (line {starts[3]})"),
        (str(broken), f"record 5 (line {starts[4]})", "tags outside a record: no TY line"),
    ]
    assert Graph(store).stats()["papers"] == 3


def test_record_lines_are_counted_across_mixed_line_endings(tmp_path):
    raw = SAMPLE.read_bytes()
    second = raw.index(b"TI  - Reference Exascale Architecture")
    broken = tmp_path / "broken.ris"
    broken.write_bytes(raw[:second] + b"XX" + raw[second + 2:])
    line = len(_BREAK.split(raw[:second].decode())) - 1  # the TY line above the TI line
    rejected = [r for r in ris.read(broken) if isinstance(r, Rejected)]
    assert [(r.record, r.reason) for r in rejected] == [(f"record 2 (line {line})",
                                                        "no title (TI or T1)")]
    assert len(_works(broken)) == 24


def test_file_ending_inside_a_record_and_export_headers(tmp_path):
    records = _records()
    cut = tmp_path / "cut.ris"
    cut.write_text("Provider: IEEE\nContent: text/plain\n\n" + records[0] + records[1][:300])
    items = list(ris.read(cut))
    second = 3 + records[0].count("\n") + 1
    assert isinstance(items[0], Work)
    assert items[1] == Rejected(str(cut), f"record 2 (line {second})",
                                "no ER line: the file ends inside the record (truncated?)")


def test_latin1_record_among_utf8_ones(tmp_path):
    records = _records()
    latin = records[1].replace("AU  - M. Bobák\n", "AU  - Müller, Jörg\n")
    mixed = tmp_path / "mixed.ris"
    mixed.write_bytes(records[0].encode() + latin.encode("latin-1") + records[2].encode())
    works = _works(mixed)
    assert len(works) == 3
    assert (works[1].authors[0].name, works[1].authors[0].family) == ("Jörg Müller", "Müller")
    assert works[1].authors[1].name == "L. Hluchy"


def test_gzip_and_truncated_gzip(tmp_path):
    whole = tmp_path / "whole.ris.gz"
    whole.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert len(_works(whole)) == 25
    cut = cut_gzip(tmp_path / "cut.ris.gz", SAMPLE.read_bytes())
    assert 0 < works_before_damage(ris.read, cut) < 25


def test_empty_missing_and_wrong_format_files(tmp_path):
    (tmp_path / "empty.ris").write_text("\r\n\n")
    assert [str(r) for r in ris.read(tmp_path / "empty.ris")] == [
        f"{tmp_path / 'empty.ris'}: file: the file is empty"]
    csv_file = Path(__file__).parent / "data" / "scopus" / "metaknowledge-scopus-19.csv"
    (wrong,) = ris.read(csv_file)
    assert wrong.record == "file" and "wrong format?" in wrong.reason
    (tmp_path / "refs.bib").write_text("@article{x, title={Not RIS}}\nER  - \n")
    (wrong,) = ris.read(tmp_path / "refs.bib")
    assert wrong.record == "file" and "wrong format?" in wrong.reason
    with pytest.raises(UnreadableFile, match="no such file"):
        list(ris.read(tmp_path / "missing.ris"))
