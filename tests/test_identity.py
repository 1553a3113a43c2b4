"""Author identity: one person, one node; never two people merged on surname and initial."""

from __future__ import annotations

import pytest

from explorer.cli import DEMO_FILE, cli
from explorer.curation import CurationError, merge_authors, split_author
from explorer.graph import Graph
from explorer.loading import LoadReport, load_paths, write_records
from explorer.personal_names import parse_name
from explorer.records import AuthorRef, Deletion, InstitutionRef, Work
from explorer.thesaurus import ThesaurusError, read_thesaurus
from loaders.base import name_id


def by(name: str, *, orcid: str | None = None, institution: str | None = None) -> AuthorRef:
    institutions = (InstitutionRef(institution, institution),) if institution else ()
    author_id = f"orcid:{orcid}" if orcid else name_id(name)
    return AuthorRef(author_id, name, orcid, institutions)


def work(paper: str, *authors: AuthorRef, year: int = 2020) -> Work:
    return Work(f"doi:{paper}", f"Paper {paper}", year, authors=authors)


def load(store, *records, batch_size: int = 2000, **options) -> LoadReport:
    return write_records(store, list(records), LoadReport(), batch_size=batch_size, **options)


def people(store) -> dict[str, list[str]]:
    rows = store.engine.read("MATCH (a:Author) RETURN a.id, a.name_variants", {}).rows
    return {author_id: variants for author_id, variants in rows}


def papers_of(store, author_id: str) -> set[str]:
    rows = store.engine.read("MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper) RETURN p.id",
                             {"id": author_id}).rows
    return {r[0] for r in rows}


def assert_edges_exact(store) -> None:
    """COAUTHORED_WITH equals the pairs counted from the papers themselves."""
    counted = store.engine.read(
        "MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author) "
        "WHERE a.id < b.id RETURN a.id, b.id, count(p)", {}).rows
    stored = store.engine.read(
        "MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author) RETURN a.id, b.id, e.weight", {}).rows
    assert sorted(map(tuple, stored)) == sorted(map(tuple, counted))
    counts = store.engine.read(
        "MATCH (a:Author) OPTIONAL MATCH (a)-[r:AUTHORED]->(:Paper) "
        "WITH a, count(r) AS n WHERE n <> a.paper_count OR n = 0 RETURN a.id", {}).rows
    assert counts == [], "paper counts are exact and no author is left without papers"


@pytest.mark.parametrize(("one", "other", "same"), [
    ("John Smith", "J. Smith", True), ("Jack W. Rae", "Rae, J", True),
    ("John William Smith", "J. W. Smith", True), ("Smith, JW", "John W. Smith", True),
    ("Juan de las Heras", "Heras, J. de las", True),
    ("María García-López", "M. Garcia-Lopez", True),
    ("John Smith", "James Smith", False), ("John W. Smith", "John K. Smith", False),
    ("John Smith", "John Smyth", False),
])
def test_which_spellings_could_be_one_person(one, other, same):
    assert parse_name(one).compatible(parse_name(other)) is same
    if same:
        assert parse_name(one).block == parse_name(other).block


def test_same_surname_and_initial_without_evidence_stay_apart(store):
    report = load(store, work("1", by("J. Smith"), by("Ann Jones")),
                  work("2", by("J. Smith"), by("Bob Brown")),
                  work("3", by("John Smith"), by("Carl Chen")))
    smiths = sorted(a for a in people(store) if "smith" in a)
    assert smiths == ["name:j smith", "name:j smith~2", "name:john smith"]
    assert (report.identity.new_people, report.identity.kept_apart) == (6, 2)
    assert sum(report.identity.matched.values()) == 0


def test_a_shared_coauthor_or_institution_merges_compatible_names(store):
    report = load(store, work("1", by("John Smith"), by("Ann Jones")),
                  work("2", by("J. Smith"), by("A. Jones")),
                  work("3", by("Mary Poe", institution="affiliation:x")),
                  work("4", by("M. Poe", institution="affiliation:x"), by("Zed Zee")))
    found = people(store)
    assert found["name:john smith"] == ["John Smith", "J. Smith"]
    assert found["name:ann jones"] == ["Ann Jones", "A. Jones"]
    assert found["name:mary poe"] == ["Mary Poe", "M. Poe"]
    assert len(found) == 4
    assert report.identity.matched == {"coauthor": 2, "institution": 1}
    assert "2 shared co-author" in "\n".join(report.identity.lines())
    assert_edges_exact(store)


def test_evidence_never_merges_incompatible_names_or_two_bylines_of_one_paper(store):
    load(store, work("1", by("John Smith"), by("Ann Jones"), by("Bob Brown")),
         work("2", by("J. Smith"), by("Ann Jones"), by("Bob Brown")),
         work("3", by("James Smith"), by("Ann Jones"), by("Bob Brown")),
         work("4", by("J. Smith"), by("J. Smith"), by("Ann Jones"), by("Bob Brown")))
    found = people(store)
    assert found["name:john smith"] == ["John Smith", "J. Smith"]
    assert "name:james smith" in found, "J. joined John, so James is not John"
    assert len(papers_of(store, "name:ann jones")) == 4
    fourth = store.engine.read("MATCH (a:Author)-[:AUTHORED]->(:Paper {id: 'doi:4'}) "
                               "RETURN a.id ORDER BY a.id", {}).rows
    assert [r[0] for r in fourth] == ["name:ann jones", "name:bob brown", "name:j smith",
                                      "name:j smith~2"], \
        "two J. Smiths on one paper are two people; John and James are equally likely"


def test_coauthors_count_as_evidence_only_when_their_names_match(store):
    load(store, work("1", by("John Smith"), by("William Wang")),
         work("2", by("J. Smith"), by("Wei Wang")))
    assert {"name:john smith", "name:j smith", "name:william wang",
            "name:wei wang"} == people(store).keys(), "W. Wang is two different people here"


def test_orcids_and_source_ids_decide_whatever_the_name(store):
    load(store, work("1", by("Wei Wang", orcid="0000-0001-0000-0001"), by("Li Na")),
         work("2", by("Wei Wang", orcid="0000-0002-0000-0002"), by("Li Na")),
         work("3", by("Wei Wang"), by("Li Na")),
         work("4", by("Wei Wang", orcid="0000-0001-0000-0001"), by("Zhou Yu")),
         work("5", by("Wei Wang"), by("Zhou Yu"), by("Li Na")))
    assert {a for a in people(store) if "wang" in a or a.startswith("orcid")} == {
        "orcid:0000-0001-0000-0001", "orcid:0000-0002-0000-0002", "name:wei wang"}
    assert papers_of(store, "name:wei wang") == {"doi:3"}, \
        "evidence for two people alike (one shared co-author each) is no evidence"
    assert papers_of(store, "orcid:0000-0001-0000-0001") == {"doi:1", "doi:4", "doi:5"}, \
        "the author with more shared co-authors takes the name-only byline"


@pytest.mark.parametrize("batch_size", [1, 2000])
@pytest.mark.parametrize("bulk", [False, True])
def test_a_tie_between_people_known_by_name_only_does_not_make_another_copy(
        store, batch_size, bulk):
    """Found in bibx-scopus.bib: each tie between name-only copies of one person made one
    more copy, which tied the next time (C. Warisarn seven times, P. Kovintavewat 16)."""
    warisarn, kanjana, arraya = by("C. Warisarn"), by("C. Kanjanakunchorn"), \
        by("A. Arrayangkool")
    load(store, work("1", warisarn, kanjana), work("2", arraya, warisarn),
         work("3", kanjana, arraya, warisarn),
         *(work(str(n), arraya, warisarn) for n in (4, 5, 6)),
         batch_size=batch_size, bulk=bulk)
    copies = {a for a in people(store) if a.startswith("name:c warisarn")}
    assert copies == {"name:c warisarn", "name:c warisarn~2"}, \
        "paper 2 had no evidence yet; every later one has some"
    assert papers_of(store, "name:c warisarn") == {"doi:1", "doi:3", "doi:4", "doi:5", "doi:6"}
    assert_edges_exact(store)


def test_a_tie_between_people_told_apart_makes_a_new_person(store):
    """Copies of one name that given names tell apart (John, James) are two people: equal
    evidence for both is no evidence."""
    load(store, work("1", by("J. Smith"), by("Ann Jones")),
         work("2", by("J. Smith"), by("Bob Brown")),
         work("3", by("John Smith"), by("Ann Jones")),
         work("4", by("James Smith"), by("Bob Brown")))
    assert set(people(store)["name:j smith"]) == {"J. Smith", "John Smith"}
    assert set(people(store)["name:j smith~2"]) == {"J. Smith", "James Smith"}
    load(store, work("5", by("J. Smith"), by("Ann Jones"), by("Bob Brown")))
    assert papers_of(store, "name:j smith~3") == {"doi:5"}


def test_a_tie_with_a_person_the_user_split_off_makes_a_new_person(demo_store):
    """The user said these are two people: equal evidence for both is no evidence."""
    store = demo_store
    load(store, work("1", by("X. Yang"), by("Carl Cee")), work("2", by("X. Yang"),
                                                               by("Carl Cee")))
    split_author(store, "name:x yang", ["doi:2"])
    load(store, work("3", by("X. Yang"), by("Carl Cee")))
    assert papers_of(store, "name:x yang") == {"doi:1"}
    assert papers_of(store, "name:x yang~2") == {"doi:2"}
    assert papers_of(store, "name:x yang~3") == {"doi:3"}


def records_for_resume() -> list[Work | Deletion]:
    return [work("1", by("John Smith"), by("Ann Jones")),
            work("2", by("J. Smith"), by("A. Jones"), by("Bob Brown")),
            work("3", by("J. Smith"), by("Carl Chen")),
            Deletion("doi:1"),
            work("4", by("Bob Brown"), by("J. Smith"), year=2021),
            work("2", by("J. Smith"), by("A. Jones"), year=2019)]


def snapshot(store):
    return (sorted(map(tuple, store.engine.read(
                "MATCH (a:Author)-[r:AUTHORED]->(p:Paper) RETURN a.id, p.id, r.position",
                {}).rows)),
            Graph(store).stats())


def test_batch_size_reload_and_resumed_load_give_the_same_graph(engine, tmp_path):
    from tests.conftest import fresh_store

    records = records_for_resume()
    with fresh_store(engine, tmp_path / "one") as store:
        load(store, *records, batch_size=1)
        expected = snapshot(store)
        load(store, *records)  # replays the deletion and the rewrite: same end state
        assert snapshot(store) == expected
        assert_edges_exact(store)
    with fresh_store(engine, tmp_path / "big") as store:
        load(store, *records, batch_size=100)
        assert snapshot(store) == expected
    with fresh_store(engine, tmp_path / "killed") as store:
        load(store, *records[:3], batch_size=2)  # killed after a few batches, then rerun
        load(store, *records, batch_size=2)
        assert snapshot(store) == expected
    assert expected[1]["papers"] == 3 and expected[1]["authors"] == 5


def test_bulk_import_resolves_like_the_writer(tmp_path):
    from tests.conftest import fresh_store

    records = records_for_resume()
    with fresh_store("ladybug", tmp_path / "w") as store:
        load(store, *records)
        expected = snapshot(store)
    with fresh_store("ladybug", tmp_path / "b") as store:
        report = load(store, *records, bulk=True)
        assert snapshot(store) == expected
        assert report.written.papers_deleted == 1
        assert_edges_exact(store)


def test_thesaurus_maps_names_and_ids_and_keeps_apart(store, tmp_path):
    file = tmp_path / "thesaurus.csv"
    file.write_text("# name or id, canonical id or keep apart\n"
                    "Smith, J.,orcid:0000-0003-0000-0003\n"
                    "name:bob brown,name:robert brown\n"
                    "A. Jones,keep apart\n", encoding="utf-8")
    thesaurus = read_thesaurus(file)
    report = load(store, work("1", by("J. Smith"), by("Ann Jones"), by("Bob Brown")),
                  work("2", by("A. Jones"), by("Ann Jones")), work("3", by("Bob Brown")),
                  thesaurus=thesaurus)
    found = people(store)
    assert "orcid:0000-0003-0000-0003" in found and "name:j smith" not in found
    assert papers_of(store, "name:robert brown") == {"doi:1", "doi:3"}
    assert {"name:a jones", "name:ann jones"} <= found.keys(), "kept apart despite evidence"
    assert report.identity.matched["thesaurus"] == 3


def test_a_bad_thesaurus_names_its_line(tmp_path):
    file = tmp_path / "t.csv"
    file.write_text("J. Smith,orcid:1\nA. Jones,somebody\n", encoding="utf-8")
    with pytest.raises(ThesaurusError, match=r"t.csv: line 2: 'somebody' is neither"):
        read_thesaurus(file)


def test_split_and_merge_are_exact_and_survive_a_reload(demo_store):
    rae = "name:jack w rae"
    papers = papers_of(demo_store, rae)
    before = Graph(demo_store).stats()
    one = sorted(papers)[0]
    split = split_author(demo_store, rae, [one])
    assert split.author == f"{rae}~2" and papers_of(demo_store, split.author) == {one}
    assert papers_of(demo_store, rae) == papers - {one}
    assert Graph(demo_store).stats()["authors"] == before["authors"] + 1
    assert_edges_exact(demo_store)
    load_paths(demo_store, "bibtex", [DEMO_FILE], progress=False)
    assert papers_of(demo_store, split.author) == {one}, "a reload repeats the split"
    assert papers_of(demo_store, rae) == papers - {one}
    assert_edges_exact(demo_store)

    merged = merge_authors(demo_store, [split.author], rae)
    assert merged.papers == 1 and papers_of(demo_store, rae) == papers
    assert split.author not in people(demo_store)
    assert Graph(demo_store).stats() == before
    load_paths(demo_store, "bibtex", [DEMO_FILE], progress=False)
    assert papers_of(demo_store, rae) == papers, "a reload repeats the merge"
    assert Graph(demo_store).stats() == before
    assert_edges_exact(demo_store)

    again = split_author(demo_store, rae, [one])  # ~2 was merged into rae: ~3 is free
    assert again.author == f"{rae}~3" and papers_of(demo_store, again.author) == {one}
    assert again.message.startswith(f"split 1 paper of {rae} off to {rae}~3")
    assert_edges_exact(demo_store)


def test_corrections_that_cannot_be_made_say_why(demo_store):
    rae = "name:jack w rae"
    with pytest.raises(CurationError, match="not an author of doi:none"):
        split_author(demo_store, rae, ["doi:none"])
    with pytest.raises(CurationError, match="no author with id 'name:nobody'"):
        merge_authors(demo_store, ["name:nobody"], rae)
    with pytest.raises(CurationError, match=r"co-authors of .*: two bylines of one paper"):
        merge_authors(demo_store, ["name:oriol vinyals"], rae)


def test_authors_commands(tmp_path):
    from click.testing import CliRunner

    runner, db = CliRunner(), str(tmp_path / "c.lbdb")
    assert runner.invoke(cli, ["--db", db, "load", "bibtex", str(DEMO_FILE)]).exit_code == 0
    split = runner.invoke(cli, ["--db", db, "authors", "split", "name:karen simonyan",
                                "title:124d1b13a5f001e6", "--into", "name:k simonyan"])
    assert split.exit_code == 0, split.output
    assert "split 1 paper of name:karen simonyan off to name:k simonyan" in split.output
    merged = runner.invoke(cli, ["--db", db, "authors", "merge", "name:k simonyan",
                                 "--into", "name:karen simonyan"])
    assert merged.exit_code == 0, merged.output
    assert "merged name:k simonyan into name:karen simonyan (1 paper moved)" in merged.output
    missing = runner.invoke(cli, ["--db", db, "authors", "split", "name:nobody", "doi:1"])
    assert missing.exit_code == 1 and "no author with id 'name:nobody'" in missing.output
    assert "Traceback" not in missing.output


def structured(family: str, given: str) -> AuthorRef:
    shown = f"{given} {family}"
    return AuthorRef(name_id(shown), shown, family=family, given=given)


def test_one_load_or_two_give_the_same_people(engine, tmp_path):
    """People found in the store compare exactly as people met in memory."""
    from tests.conftest import fresh_store

    first = work("1", structured("García Márquez", "Gabriel"), structured("Doe", "Jane"))
    second = work("2", structured("García Márquez", "Gabriel"), structured("Doe", "Jane"))
    with fresh_store(engine, tmp_path / "one") as store:
        load(store, first, second)
        together = snapshot(store)
    with fresh_store(engine, tmp_path / "two") as store:
        load(store, first)
        load(store, second)
        assert snapshot(store) == together
    assert together[1]["authors"] == 2


def test_thesaurus_ids_apply_to_resolved_ids(store, tmp_path):
    file = tmp_path / "t.csv"
    file.write_text("name:j smith~2,orcid:0000-0003-0000-0003\n", encoding="utf-8")
    load(store, work("1", by("J. Smith"), by("Ann Jones")),
         work("2", by("J. Smith"), by("Bob Brown")), thesaurus=read_thesaurus(file))
    assert papers_of(store, "name:j smith") == {"doi:1"}
    assert papers_of(store, "orcid:0000-0003-0000-0003") == {"doi:2"}


def test_bulk_and_writer_delete_every_paper_a_pmid_names(tmp_path):
    from tests.conftest import fresh_store

    records = [Work("pmid:7", "Seven", 2001, pmid="7", authors=(by("Ann Jones"),)),
               Work("doi:10.1/x", "Seven again", 2001, pmid="7", authors=(by("Bob Brown"),)),
               Work("doi:10.1/y", "Other", 2001, pmid="8", authors=(by("Carl Chen"),)),
               Deletion("pmid:7")]
    stats = []
    for bulk in (False, True):
        with fresh_store("ladybug", tmp_path / str(bulk)) as store:
            load(store, *records, bulk=bulk)
            stats.append(snapshot(store))
    assert stats[0] == stats[1] and stats[0][1]["papers"] == 1


def test_corrections_that_would_join_two_bylines_of_a_paper_are_refused(demo_store):
    rae, vinyals = "name:jack w rae", "name:oriol vinyals"
    karen = "name:karen simonyan"
    with pytest.raises(CurationError, match="two bylines of one paper are two people"):
        merge_authors(demo_store, [vinyals, karen], rae)
    one = sorted(papers_of(demo_store, rae))[0]
    with pytest.raises(CurationError, match=f"{karen} is already an author of {one}"):
        split_author(demo_store, rae, [one], into=karen)
    split = split_author(demo_store, rae, [one])
    merge_authors(demo_store, [split.author], rae)
    with pytest.raises(CurationError, match=f"{split.author} was merged into {rae}"):
        split_author(demo_store, rae, [one], into=split.author)
    assert_edges_exact(demo_store)


def test_a_merge_keeps_the_papers_dates_and_abstracts(store):
    write_records(store, [
        Work("doi:m", "M", 2020, publication_date="2020-05-04", abstract="First.\n\nSecond.",
             authors=(AuthorRef("dblp:a", "Ann Lee"), AuthorRef("dblp:x", "Xu Li"))),
        Work("doi:n", "N", 2021, authors=(AuthorRef("dblp:b", "Ann Lee"),))], LoadReport())
    merge_authors(store, ["dblp:a"], "dblp:b")
    paper = Graph(store).paper("doi:m")
    assert [a["id"] for a in paper["authors"]] == ["dblp:b", "dblp:x"]
    assert (paper["publication_date"], paper["abstract"]) == ("2020-05-04", "First.\n\nSecond.")
