"""OpenAlex works into the graph, from real records (tests/data/openalex, see its README)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import openalex
from loaders.base import Rejected
from tests.conftest import fresh_store
from tests.loader_checks import cut_gzip, works_before_damage

DATA = Path(__file__).parent / "data" / "openalex"
FILES = [DATA / "sample_works_8.jsonl", DATA / "pyopenalex_works.jsonl",
         DATA / "openalex-python_works.jsonl"]


def independent_counts(paths: list[Path]) -> dict[str, int]:
    """Counted with the json module; a paper is its DOI (else its OpenAlex id), and the later
    record of a repeated paper wins."""
    works = {}
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            works[(record.get("doi") or record["id"]).lower()] = record
    people = set()
    for record in works.values():
        for a in record["authorships"]:
            person = a["author"]
            people.add(person.get("orcid") or person.get("id") or a["raw_author_name"].lower())
    return {"papers": len(works), "authors": len(people),
            "authorships": sum(len(r["authorships"]) for r in works.values())}


def test_records_parse_with_ids_orcids_institutions_and_topics():
    works = [w for w in openalex.read(FILES[1]) if isinstance(w, Work)]
    assert len(works) == 3
    first = works[0]
    assert first.id == "doi:10.7717/peerj.4375" and first.doi == "10.7717/peerj.4375"
    assert first.pmid == "29456894" and first.venue == "PeerJ" and first.year == 2018
    assert first.authors[0].id == "orcid:0000-0003-1613-5981"
    raw = json.loads(FILES[1].read_text().splitlines()[0])["authorships"][0]["institutions"][0]
    assert first.authors[0].institutions[0] == (
        openalex.InstitutionRef(f"openalex:{raw['id'].rsplit('/', 1)[1]}", raw["display_name"],
                                raw["country_code"], raw["ror"]))
    assert first.topics[0].id == "openalex:T10102" and first.topics[0].score > 0.9
    nameless = [a for w in works for a in w.authors if a.id.startswith("name:")]
    assert len(nameless) == 4, "authorships without an author id keep their name"


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "openalex", FILES, progress=False)
    assert not report.rejected
    expected = independent_counts(FILES)
    stats = Graph(store).stats()
    assert {k: stats[k] for k in expected} == expected
    again = load_paths(store, "openalex", FILES, progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert Graph(store).stats() == stats


def test_api_pages_single_objects_lists_and_gzip(tmp_path):
    records = [json.loads(line) for line in FILES[0].read_text().splitlines()]
    (tmp_path / "page.json").write_text(json.dumps({"meta": {"count": 8}, "results": records},
                                                   indent=2))
    (tmp_path / "one.json").write_text(json.dumps(records[0], indent=2))
    (tmp_path / "list.json").write_text(json.dumps(records[:3]))
    with gzip.open(tmp_path / "lines.jsonl.gz", "wt") as out:
        out.write("\n".join(json.dumps(r) for r in records))
    counts = {name: sum(isinstance(w, Work) for w in openalex.read(tmp_path / name))
              for name in ("page.json", "one.json", "list.json", "lines.jsonl.gz")}
    assert counts == {"page.json": 8, "one.json": 1, "list.json": 3, "lines.jsonl.gz": 8}


def test_bad_records_are_rejected_with_line_and_reason_and_the_rest_load(store, tmp_path):
    lines = FILES[0].read_text().splitlines()
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([lines[0], "{not json", json.dumps({"id": None}),
                                 json.dumps({"id": "https://openalex.org/W1", "title": ""}),
                                 lines[1]]))
    report = load_paths(store, "openalex", [broken], progress=False)
    reasons = [(r.file, r.record, r.reason.split(" (")[0]) for r in report.rejected]
    assert reasons == [(str(broken), "line 2", "not JSON"), (str(broken), "line 3", "no id"),
                       (str(broken), "line 4", "no title")]
    assert Graph(store).stats()["papers"] == 2


def test_line_numbers_count_leading_blank_lines(tmp_path):
    shifted = tmp_path / "shifted.jsonl"
    shifted.write_text("\n\n" + FILES[0].read_text().splitlines()[0] + "\n{not json\n")
    rejected = [r for r in openalex.read(shifted) if isinstance(r, Rejected)]
    assert [r.record for r in rejected] == ["line 4"]


def test_truncated_gzip_keeps_what_came_before(tmp_path):
    cut = cut_gzip(tmp_path / "cut.jsonl.gz", FILES[0].read_bytes())
    assert 0 < works_before_damage(openalex.read, cut) < 8


def test_empty_and_wrong_format_files(tmp_path):
    (tmp_path / "empty.json").write_text("")
    (tmp_path / "refs.bib").write_text("@article{x, title={Not OpenAlex}}")
    assert [str(r) for r in openalex.read(tmp_path / "empty.json")] == [
        f"{tmp_path / 'empty.json'}: file: the file is empty"]
    wrong = list(openalex.read(tmp_path / "refs.bib"))
    assert len(wrong) == 1 and isinstance(wrong[0], Rejected)
    assert "not OpenAlex JSON" in wrong[0].reason


def test_fields_of_the_wrong_type_are_left_out_in_both_load_paths(tmp_path):
    """A venue, type, country, ror or topic name that is not text, or a score that is not a
    number, is left out as a missing one is (the write queries type their columns)."""
    record = {
        "id": "https://openalex.org/W1", "title": "Odd fields", "publication_year": 2020,
        "type": 7, "primary_location": {"source": {"display_name": {"a": 1}}},
        "authorships": [{"author": {"id": "https://openalex.org/A1", "display_name": "Ann"},
                         "institutions": [{"id": "https://openalex.org/I1",
                                           "display_name": ["x"], "country_code": 33,
                                           "ror": ["r"]}]}],
        "topics": [{"id": "https://openalex.org/T1", "display_name": 5, "score": "0.7"},
                   {"id": "https://openalex.org/T2", "display_name": "Fine", "score": True}],
    }
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    for bulk in (False, True):
        with fresh_store("ladybug", tmp_path / f"bulk-{bulk}") as store:
            report = load_paths(store, "openalex", [path], progress=False, bulk=bulk)
            assert report.records == 1 and not report.rejected
            paper = store.engine.read(
                "MATCH (p:Paper) RETURN p.venue, p.type", {}).rows
            assert paper == [[None, None]], bulk
            institution = store.engine.read(
                "MATCH (i:Institution) RETURN i.name, i.country, i.ror", {}).rows
            assert institution == [["I1", None, None]], bulk
            topics = store.engine.read("MATCH (:Paper)-[h:HAS_TOPIC]->(t:Topic) "
                                       "RETURN t.name, h.score ORDER BY t.name", {}).rows
            assert topics == [["", None], ["Fine", None]], bulk


def test_records_that_are_not_works_are_rejected_in_both_load_paths(tmp_path):
    """An author or institution file (or another source's JSON) given as OpenAlex works is
    rejected record by record, in the batched and the bulk reader, instead of becoming
    papers; the works beside them load."""
    lines = FILES[0].read_text().splitlines()
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join([
        lines[0],
        json.dumps({"id": "https://openalex.org/A5023888391", "display_name": "Jason Priem"}),
        json.dumps({"id": "https://openalex.org/I136199984", "display_name": "A University"}),
        json.dumps({"id": "0704.0001", "title": "An arXiv record", "doi": "10.1/x"}),
        lines[1]]))
    for bulk in (False, True):
        with fresh_store("ladybug", tmp_path / ("bulk" if bulk else "batched")) as store:
            report = load_paths(store, "openalex", [mixed], progress=False, bulk=bulk)
            assert [(r.record, r.reason.split(":")[0]) for r in report.rejected] == [
                (f"line {n}", "not an OpenAlex work") for n in (2, 3, 4)], bulk
            assert Graph(store).stats()["papers"] == 2


def test_a_broken_or_latin1_first_line_does_not_make_the_file_one_document(tmp_path):
    lines = FILES[0].read_text().splitlines()
    broken = tmp_path / "broken-first.jsonl"
    broken.write_text("\n".join(['{"id": "https://openalex.org/W1", "title": "bro', *lines[:2]]))
    latin1 = tmp_path / "latin1-first.jsonl"
    first = json.loads(lines[0])
    first["title"] = "Caf\u00e9 " + first["title"]
    latin1.write_bytes(json.dumps(first, ensure_ascii=False).encode("latin-1") + b"\n"
                       + lines[1].encode())
    items = list(openalex.read(broken))
    assert [(r.record, r.reason.split(" (")[0]) for r in items if isinstance(r, Rejected)] == \
        [("line 1", "not JSON")]
    assert sum(isinstance(w, Work) for w in items) == 2
    works = [w for w in openalex.read(latin1) if isinstance(w, Work)]
    assert len(works) == 2 and works[0].title.startswith("Caf\u00e9 ")
    for bulk in (False, True):
        with fresh_store("ladybug", tmp_path / f"db-{bulk}") as store:
            report = load_paths(store, "openalex", [broken, latin1], progress=False, bulk=bulk)
            assert Graph(store).stats()["papers"] == 2 and len(report.rejected) == 1, bulk


def test_work_ids_in_every_url_form_and_a_pretty_printed_list(tmp_path):
    """'http://', 'api.openalex.org/works/' and a lower-case 'w' are the same work id;
    a list of works printed over several lines is one document, not JSON Lines."""
    base = json.loads(FILES[0].read_text().splitlines()[0])
    forms = ["http://openalex.org/W11", "https://api.openalex.org/works/W12", "w13", "W14"]
    records = [{**base, "id": form, "doi": None, "ids": {}} for form in forms]
    lines = tmp_path / "forms.jsonl"
    lines.write_text("\n".join(json.dumps(r) for r in records))
    pretty = tmp_path / "pretty.json"
    pretty.write_text("[\n" + ",\n".join(json.dumps(r) for r in records) + "\n]\n")
    for path in (lines, pretty):
        items = list(openalex.read(path))
        assert [w.id for w in items] == [f"openalex:W{n}" for n in (11, 12, 13, 14)], path


def test_openalex_ones_stand_for_an_unknown_day_or_month():
    """OpenAlex writes YYYY-01-01 for a year alone and YYYY-MM-01 for a month."""
    record = {"id": "https://openalex.org/W1", "title": "T", "publication_year": 2007}
    dates = {"2007-01-01": None, "2007-06-01": "2007-06", "2007-06-15": "2007-06-15",
             "2006-06-15": None}
    for given, kept in dates.items():
        assert openalex.to_work({**record, "publication_date": given}).publication_date == kept
