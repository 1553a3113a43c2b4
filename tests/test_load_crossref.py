"""Crossref works into the graph, from real records (tests/data/crossref, see its README)."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path

import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import InstitutionRef, Work
from loaders import crossref
from loaders.base import Rejected, UnreadableFile
from tests.loader_checks import works_before_damage

DATA = Path(__file__).parent / "data" / "crossref"
WORK_LIST = DATA / "api-work-list.json.gz"
SAMPLES = sorted(p for p in DATA.glob("*.gz") if p != WORK_LIST)


def raw_works(path: Path) -> list[dict]:
    """A sample's work objects, read with gzip and the json module."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    if path.name.endswith(".jsonl.gz"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    document = json.loads(text)
    return document["message"]["items"] if "message" in document else document["items"]


ALL_RAW = [w for p in SAMPLES for w in raw_works(p)]


def person(entry: dict) -> str | None:
    """A person's key: the ORCID's last URL segment, else the lower-cased 'given family';
    None for organisational authors (``name`` only), which the loader leaves out."""
    if not (entry.get("given") or entry.get("family")):
        return None
    if entry.get("ORCID"):
        return entry["ORCID"].rstrip("/").rsplit("/", 1)[-1].upper()
    return f"{entry.get('given', '')} {entry.get('family', '')}".strip().lower()


def independent_counts(records: list[dict]) -> dict[str, int]:
    """Counted from the raw objects; the later record of a repeated DOI wins."""
    works = {r["DOI"].lower(): r for r in records}
    bylines = [{person(a) for a in r.get("author", [])} - {None} for r in works.values()]
    return {"papers": len(works), "authors": len(set().union(*bylines)),
            "authorships": sum(map(len, bylines))}


def loaded_counts(works: list[Work]) -> dict[str, int]:
    latest = {w.id: w for w in works}
    bylines = [{a.id for a in w.authors} for w in latest.values()]
    return {"papers": len(latest), "authors": len(set().union(*bylines)),
            "authorships": sum(map(len, bylines))}


def works_of(path: Path) -> list[Work]:
    items = list(crossref.read(path))
    assert [i for i in items if not isinstance(i, Work)] == []
    return items


def by_doi(doi: str) -> dict:
    return copy.deepcopy(next(r for r in ALL_RAW if r["DOI"] == doi))


def write_lines(path: Path, records: list, encoding: str = "utf-8") -> Path:
    path.write_bytes(b"\n".join(json.dumps(r, ensure_ascii=False).encode(encoding)
                                for r in records) + b"\n")
    return path


def latin1(text: str) -> bytes:
    """Text as a Latin-1 exporter writes it: characters past U+00FF as JSON escapes."""
    return "".join(c if ord(c) < 256 else json.dumps(c)[1:-1] for c in text).encode("latin-1")


def test_records_parse_with_doi_ids_names_orcids_affiliations_and_venues():
    first = works_of(DATA / "1item.json.gz")[0]
    assert (first.id, first.doi) == ("doi:10.1016/j.bjps.2022.04.046", "10.1016/j.bjps.2022.04.046")
    assert first.venue == "Journal of Plastic, Reconstructive & Aesthetic Surgery"  # was &amp;
    assert first.type == "journal-article" and first.year == 2022 and first.source == "crossref"
    serag = first.authors[2]
    assert (serag.id, serag.name, serag.orcid, serag.family, serag.given) == (
        "orcid:0000-0001-5435-8794", "Saleh Serag", "0000-0001-5435-8794", "Serag", "Saleh")
    assert first.authors[0].id == "name:michelle yl tan"
    assert first.topics == (), "subject areas are left out (see the loader's docstring)"

    group = works_of(DATA / "affiliations.json.gz")[0]
    assert len(group.authors) == 22, "the 23rd entry is 'the CNS physiotherapy study group'"
    assert "group" not in " ".join(a.name for a in group.authors)
    assert [i.name for i in group.authors[1].institutions] == [
        "CNS \u2010 Campus Neurológico Torres Vedras Portugal",  # double space collapsed
        "Laboratory of Clinical Pharmacology and Therapeutics, Faculdade de Medicina de Lisboa, "
        "Universidade de Lisboa Portugal"]
    assert group.authors[0].institutions[0] == group.authors[1].institutions[0]
    assert group.authors[0].institutions[0].id.startswith("affiliation:")

    rahim = works_of(DATA / "same-author.json.gz")[0].authors[0]
    assert rahim.name == "Nurhazrina Mat Rahim", "the suffix 'Ph.D' is not part of the name"
    assert works_of(DATA / "same-author.json.gz")[1].authors[0].id == rahim.id

    book, chapter, _ = works_of(DATA / "crossref-2025.jsonl.gz")
    assert book.authors == () and book.type == "book", "editors are not authors"
    assert chapter.venue == "New Directions in Cultural Policy Research"
    assert works_of(DATA / "3items.json.gz")[0].authors == ()


def test_year_is_issued_then_published_then_the_earliest_of_online_and_print():
    record = by_doi("10.1007/s10270-017-0613-x")  # online 2017-08-03, in print 2019-04
    assert crossref.to_work(record).year == 2017
    record["issued"] = {"date-parts": [[None]]}
    record["published"]["date-parts"] = [[2018]]
    assert crossref.to_work(record).year == 2018
    del record["published"]
    assert crossref.to_work(record).year == 2017
    del record["published-online"]
    assert crossref.to_work(record).year == 2019
    del record["published-print"]
    assert crossref.to_work(record).year is None


def test_publication_date_is_the_date_the_year_comes_from():
    found = {w.doi: w for p in SAMPLES for w in works_of(p)}
    assert found["10.1007/s10270-017-0613-x"].publication_date == "2017-08-03", \
        "issued 2017-08-03, not the print date 2019-04"
    assert found["10.1016/j.bjps.2022.04.046"].publication_date == "2022-04"
    assert found["10.1001/jama.2025.0548"].publication_date == "2025-02-28"
    # issued [[2025]] (a year alone), although published-online is [[2025, 2, 11]]
    assert (found["10.1007/978-3-031-74821-9_13"].year,
            found["10.1007/978-3-031-74821-9_13"].publication_date) == (2025, None)
    assert found["10.1007/978-3-031-74535-5"].publication_date is None
    assert all(w.publication_date is None or w.publication_date[:4] == str(w.year)
               for w in found.values())
    record = by_doi("10.1007/s10270-017-0613-x")
    record["issued"] = {"date-parts": [[None]]}
    record["published"]["date-parts"] = [[2018]]
    assert crossref.to_work(record).publication_date is None, "published [[2018]]: a year"
    del record["published"]
    assert crossref.to_work(record).publication_date == "2017-08-03", "online before print"
    del record["published-online"]
    assert crossref.to_work(record).publication_date == "2019-04"
    record["published-print"] = {"date-parts": [[2019, 13, 45]]}
    assert (crossref.to_work(record).year, crossref.to_work(record).publication_date) == (
        2019, None)
    record["published-print"] = {"date-parts": [[2019, 2, 30]]}
    assert crossref.to_work(record).publication_date == "2019-02", "no 30 February"


def test_jats_abstracts_as_plain_text():
    first, second = works_of(DATA / "same-author.json.gz")
    assert first.abstract.startswith(
        'Financial literacy is defined by the OECD (2020) as "a set of awareness, knowledge,')
    assert first.abstract.endswith("(AKPK, 2018).\n\nKeywords: Financial literacy, financial "
                                   "socialisation, financial education, drivers of financial "
                                   "literacy, social agents")
    assert "<" not in first.abstract and first.abstract.count("\n\n") == 1, \
        "one <jats:p>, whose blank line parts its keywords off"
    assert second.abstract.startswith("Financial instability and a lack of financial literacy")
    others = [w for p in SAMPLES if p.name != "same-author.json.gz" for w in works_of(p)]
    assert len(others) == 13 and all(w.abstract is None for w in others), "no abstract given"
    record = by_doi("10.1145/3196398.3196476")
    record["abstract"] = ("<jats:title>Abstract</jats:title><jats:sec><jats:title>Purpose"
                          "</jats:title><jats:p>To test Cu<jats:sub>3</jats:sub>SbSe"
                          "<jats:sub>4</jats:sub> &amp; more.</jats:p></jats:sec>")
    assert crossref.to_work(record).abstract == "Purpose\n\nTo test Cu3SbSe4 & more."
    for empty in ("", "<jats:p> </jats:p>", None, ["a list"]):
        record["abstract"] = empty
        assert crossref.to_work(record).abstract is None


def test_ror_affiliations_and_title_markup():
    record = by_doi("10.1145/3196398.3196476")
    # the affiliation shape of current API answers (as for 10.5506/aphyspolb.56.3-a17)
    record["author"][0]["affiliation"] = [
        {"id": [{"id": "https://ror.org/042tfbd02", "id-type": "ROR", "asserted-by": "publisher"}],
         "name": "CPHT, CNRS, École polytechnique, Institut Polytechnique de Paris"},
        {"name": "Athens University of Economics and Business, Athens, Greece"}]
    record["title"] = ["Cu<sub>3</sub>SbSe<sub>4</sub> &amp; <jats:italic>unix</jats:italic>"]
    work = crossref.to_work(record)
    ror, text = work.authors[0].institutions
    assert ror == InstitutionRef("ror:042tfbd02",
                                 "CPHT, CNRS, École polytechnique, Institut Polytechnique de Paris",
                                 None, "https://ror.org/042tfbd02")
    assert text.id.startswith("affiliation:") and text.ror is None
    assert work.title == "Cu3SbSe4 & unix"


@pytest.mark.parametrize("path", [*SAMPLES, WORK_LIST], ids=lambda p: p.name)
def test_each_file_counts_match_an_independent_parse(path):
    assert loaded_counts(works_of(path)) == independent_counts(raw_works(path))


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "crossref", SAMPLES, progress=False)
    assert not report.rejected and not report.unreadable
    expected = independent_counts(ALL_RAW)
    assert expected["papers"] == 15
    stats = Graph(store).stats()
    assert (stats["papers"], stats["authorships"]) == (expected["papers"],
                                                       expected["authorships"])
    again = load_paths(store, "crossref", SAMPLES, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def test_every_shape_gives_the_same_works(tmp_path):
    reference = {w.id: w for p in SAMPLES for w in works_of(p)}
    page = json.loads(gzip.decompress(WORK_LIST.read_bytes()))
    (tmp_path / "page.json").write_text(json.dumps(page, indent=2, ensure_ascii=False))
    (tmp_path / "list.json").write_text(json.dumps(ALL_RAW))
    write_lines(tmp_path / "works.jsonl", ALL_RAW)
    with gzip.open(tmp_path / "works.jsonl.gz", "wb") as out:
        out.write((tmp_path / "works.jsonl").read_bytes())
    write_lines(tmp_path / "answers.jsonl", [
        {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": r}
        for r in ALL_RAW])
    (tmp_path / "page-latin1.json").write_bytes(latin1(json.dumps(page, ensure_ascii=False)))
    shapes = [WORK_LIST, *(tmp_path / n for n in ("page.json", "list.json", "works.jsonl",
                                                  "works.jsonl.gz", "answers.jsonl",
                                                  "page-latin1.json"))]
    for path in shapes:
        assert {w.id: w for w in works_of(path)} == reference, path.name
    for index, record in enumerate(ALL_RAW):
        one = tmp_path / f"one-{index}.json"
        one.write_text(json.dumps(record, indent=1))
        answer = tmp_path / f"answer-{index}.json"
        answer.write_text(json.dumps({"status": "ok", "message-type": "work",
                                      "message-version": "1.0.0", "message": record}))
        expected = reference[f"doi:{record['DOI'].lower()}"]
        assert works_of(one) == works_of(answer) == [expected]


def test_bad_lines_are_rejected_with_line_and_reason_and_the_rest_load(store, tmp_path):
    untitled = by_doi("10.1001/jama.2025.0548")
    untitled["title"] = []
    broken = tmp_path / "broken.jsonl"
    write_lines(broken, [ALL_RAW[0], {"DOI": None, "title": ["No DOI"]},
                         {"DOI": "not-a-doi", "title": ["x"]}, untitled, [1], ALL_RAW[1]])
    with broken.open("a") as out:
        out.write("{not json\n")
    report = load_paths(store, "crossref", [broken], progress=False)
    reasons = [(r.file, r.record, r.reason.split(" (")[0]) for r in report.rejected]
    assert reasons == [(str(broken), "line 2", "no DOI"),
                       (str(broken), "line 3", "DOI 'not-a-doi' is not a DOI"),
                       (str(broken), "DOI 10.1001/jama.2025.0548 (line 4)", "no title"),
                       (str(broken), "line 5", "not a JSON object"),
                       (str(broken), "line 7", "not JSON")]
    assert Graph(store).stats()["papers"] == 2


def test_bad_items_of_a_page_are_rejected_by_position(tmp_path):
    page = json.loads(gzip.decompress(WORK_LIST.read_bytes()))
    page["message"]["items"][1]["DOI"] = ""
    pretty, compact = tmp_path / "pretty.json", tmp_path / "compact.json"
    pretty.write_text(json.dumps(page, indent=2))
    compact.write_text(json.dumps(page))
    for path, where in ((pretty, "record 2"), (compact, "line 1, record 2")):
        items = list(crossref.read(path))
        assert [str(i) for i in items if isinstance(i, Rejected)] == [
            f"{path}: {where}: no DOI"]
        assert sum(isinstance(i, Work) for i in items) == 14


def test_latin1_lines_and_a_byte_order_mark(tmp_path):
    funded = by_doi("10.1007/s10914-022-09607-7")  # Lupércio, Haydée
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_bytes(b"\xef\xbb\xbf" + json.dumps(ALL_RAW[0], ensure_ascii=False).encode()
                      + b"\n" + latin1(json.dumps(funded, ensure_ascii=False)) + b"\n")
    works = works_of(mixed)
    assert works[1] == crossref.to_work(funded)
    assert "Haydée A. Cunha" in [a.name for a in works[1].authors]


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    whole = tmp_path / "whole.jsonl.gz"
    with gzip.open(whole, "wb") as out:
        out.write(write_lines(tmp_path / "all.jsonl", ALL_RAW).read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) * 2 // 3])
    assert 0 < works_before_damage(crossref.read, cut) < len(ALL_RAW)
    with pytest.raises(UnreadableFile, match="no such file"):
        list(crossref.read(tmp_path / "missing.json"))


def test_empty_wrong_format_and_api_error_files(tmp_path):
    def reasons(name: str, content: str) -> list[str]:
        (tmp_path / name).write_text(content)
        return [str(r) for r in crossref.read(tmp_path / name)]

    assert reasons("empty.json", "\n\n") == [f"{tmp_path}/empty.json: file: the file is empty"]
    [bib] = reasons("refs.bib", "@article{x,\n title={Not Crossref}\n}\n")
    assert bib.endswith("wrong format?") and "not JSON" in bib
    openalex = (Path(__file__).parent / "data" / "openalex" / "sample_works_8.jsonl").read_text()
    [foreign] = reasons("openalex.jsonl", openalex)
    assert foreign.startswith(f"{tmp_path}/openalex.jsonl: file: not Crossref works JSON (line 1")
    assert foreign.endswith("wrong format?")
    [pretty] = reasons("openalex.json", json.dumps(json.loads(openalex.splitlines()[0]), indent=2))
    assert "not Crossref works JSON" in pretty
    failed = {"status": "failed", "message-type": "validation-failure",
              "message": [{"type": "parameter-not-allowed", "value": "rows",
                           "message": "Integer specified as 5000 but must be <= 1000"}]}
    assert reasons("failed.json", json.dumps(failed)) == [
        f"{tmp_path}/failed.json: line 1: the Crossref API answered 'failed': "
        "Integer specified as 5000 but must be <= 1000"]
    assert reasons("failed-pretty.json", json.dumps(failed, indent=2)) == [
        f"{tmp_path}/failed-pretty.json: file: the Crossref API answered 'failed': "
        "Integer specified as 5000 but must be <= 1000"]
    members = {"status": "ok", "message-type": "member-list",
               "message": {"items": [{"id": 78, "primary-name": "Elsevier BV"}]}}
    for name, text in (("members.json", json.dumps(members, indent=2)),
                       ("members-compact.json", json.dumps(members))):
        assert reasons(name, text) == [f"{tmp_path}/{name}: file: a Crossref 'member-list' "
                                       "response, not works: wrong format?"]
