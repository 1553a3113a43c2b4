"""BibTeX into the graph, from real records (tests/data/bibtex, see its README)."""

from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

import bibtexparser
import pytest

from explorer.graph import Graph
from explorer.loading import load_paths
from explorer.records import Work
from loaders import bibtex
from loaders.base import Rejected, UnreadableFile

DATA = Path(__file__).parent / "data" / "bibtex"
SAMPLE = DATA / "bibx-scopus-extract.bib"
_HEAD = re.compile(r"@(\w+)\{([^,]*),")
_FIELD = re.compile(r"([^=\s{}][^={}]*)=\{(.*)\},")  # Scopus writes one field per line


def _balanced(value: str) -> bool:
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def independent_entries(text: str) -> list[dict]:
    """The Scopus export's entries with plain string handling (no bibtexparser): line number,
    key, fields (the first value of a repeated field), repeated field names, and whether
    every value has balanced braces (the file's malformed entries do not)."""
    entries: list[dict] = []
    for number, line in enumerate(text.split("\n"), start=1):
        if head := _HEAD.match(line):
            entries.append({"line": number, "key": head.group(2), "fields": {},
                            "repeated": set(), "valid": True})
        elif entries and (field := _FIELD.fullmatch(line)):
            name, value = field.group(1).strip().lower(), field.group(2)
            entry = entries[-1]
            entry["valid"] = entry["valid"] and _balanced(value)
            if name in entry["fields"]:
                entry["repeated"].add(name)
            entry["fields"].setdefault(name, value)
    return entries


def _display(name: str) -> str:
    family, _, given = name.partition(",")
    return f"{given.strip()} {family.strip()}".strip()


def independent_records(text: str) -> dict[str, list[str]]:
    """Paper key (lower-case DOI, else case-folded title + year) -> display names of its
    authors in byline order, the later record of a repeated paper winning."""
    papers: dict[str, list[str]] = {}
    for entry in independent_entries(text):
        fields = entry["fields"]
        if not entry["valid"]:
            continue
        title = " ".join(fields["title"].split()).casefold()
        key = fields.get("doi", "").lower() or f"{title}|{fields.get('year')}"
        names = [n.strip() for n in fields.get("author", "").split(" and ") if n.strip()]
        papers[key] = [_display(n) for n in names]
    return papers


def independent_counts(text: str) -> dict[str, int]:
    papers = independent_records(text)
    return {"papers": len(papers), "authorships": sum(len(a) for a in papers.values()),
            "authors": len({a for names in papers.values() for a in names})}


def _read(path: Path) -> tuple[list[Work], list[Rejected]]:
    out = list(bibtex.read(path))
    works = [w for w in out if isinstance(w, Work)]
    assert len(works) + sum(isinstance(r, Rejected) for r in out) == len(out)
    return works, [r for r in out if isinstance(r, Rejected)]


TEXT = SAMPLE.read_text(encoding="utf-8")
ENTRIES = independent_entries(TEXT)
WORKS, REJECTED = _read(SAMPLE)


def test_the_extract_has_the_quirks_it_was_taken_for():
    keys = Counter(e["key"] for e in ENTRIES)
    twice = {k for k, n in keys.items() if n > 1}
    papers = {k: {e["fields"].get("doi") or e["fields"]["title"] for e in ENTRIES
                  if e["key"] == k} for k in twice}
    assert len(ENTRIES) == TEXT.count("\n@") + 1 == 41
    assert {"Kong2022", "Saito2022", "Koo2012"} <= {k for k, p in papers.items() if len(p) == 2}
    assert len(papers["Ganesan2000"]) == 1, "one key, same title, no DOI: one paper twice"
    assert sum(bool(e["repeated"]) for e in ENTRIES) == 3
    assert [e["key"] for e in ENTRIES if not e["valid"]] == ["Oshima20133608"]


def test_record_level_counts_match_an_independent_parse():
    expected = independent_counts(TEXT)
    assert expected == {"papers": 38, "authorships": 150, "authors": 94}
    assert len(WORKS) == sum(e["valid"] for e in ENTRIES) == 40
    last = {w.id: w for w in WORKS}  # a later record of a paper wins, as in the store
    assert len(last) == expected["papers"]
    assert sum(len(w.authors) for w in last.values()) == expected["authorships"]
    names = {a.name for w in WORKS for a in w.authors}
    assert names == {a for v in independent_records(TEXT).values() for a in v}
    assert len(names) == expected["authors"]


def test_fields_of_real_records():
    by_doi = {w.doi: w for w in WORKS if w.doi}
    kong = by_doi["10.3390/app12199783"]
    assert kong.id == "doi:10.3390/app12199783" and kong.year == 2022 and kong.type == "article"
    assert kong.venue == "Applied Sciences (Switzerland)" and kong.source == "bibtex"
    assert [(a.id, a.name) for a in kong.authors] == [("name:g kong", "G. Kong"),
                                                      ("name:m jung", "M. Jung")]
    dinh = by_doi["10.1109/apmrc.2016.7524289"].authors[0]  # 'Dinh Nguyen, C.'
    assert (dinh.name, dinh.family, dinh.given) == ("C. Dinh Nguyen", "Dinh Nguyen", "C.")
    assert [a.name for a in by_doi["10.1016/j.mee.2013.04.031"].authors][:2] == [
        "J. Šoltýs", "S. Gaži"]
    assert [a.name for a in by_doi["10.1109/intmag.2002.1001520"].authors] == [
        "S.M. Chérif", "Y. Roussigné", "P. Moch"]
    no_doi = [w for w in WORKS if w.doi is None]
    assert all(w.id.startswith("title:") for w in no_doi)
    assert len(no_doi) == sum(e["valid"] and "doi" not in e["fields"] for e in ENTRIES) == 13
    assert sum(not w.authors for w in WORKS) == 2, "Scopus proceedings volumes have no author"


def test_scopus_author_keywords_are_topics_and_index_terms_are_not():
    """Each entry's topics are its author_keywords split at ';', read here with plain string
    handling; Scopus's own index terms (its 'keywords' field) are left out."""
    for work in WORKS:
        entry = next(e for e in ENTRIES if e["valid"] and (
            e["fields"].get("doi", "").lower() == (work.doi or "") if work.doi else
            " ".join(e["fields"]["title"].split()) == work.title))
        words = [" ".join(w.split()) for w in entry["fields"].get("author_keywords", "")
                 .split(";") if w.strip()]
        assert [t.name for t in work.topics] == list(dict.fromkeys(words)), entry["key"]
    assert sum(bool(w.topics) for w in WORKS) == 14 == sum(
        e["valid"] and "author_keywords" in e["fields"] for e in ENTRIES)
    def terms(name: str) -> set[str]:
        return {" ".join(w.split()).casefold() for e in ENTRIES
                for part in e["fields"].get(name, "").split(";") for w in part.split(",")}
    index_only = terms("keywords") - terms("author_keywords")
    assert len(index_only) > 100 and "areal densities" in index_only
    assert not index_only & {t.name.casefold() for w in WORKS for t in w.topics}


def test_scopus_affiliations_go_where_the_list_leaves_little_doubt():
    by_doi = {w.doi: w for w in WORKS if w.doi}
    kong = by_doi["10.3390/app12199783"]  # two authors, two institutions: whose is whose?
    assert all(not a.institutions for a in kong.authors)
    for work in WORKS:
        entry = next(e for e in ENTRIES if e["valid"] and work.doi and
                     e["fields"].get("doi", "").lower() == work.doi) if work.doi else None
        if entry is None:
            continue
        places = [p for p in entry["fields"].get("affiliation", "").split(";") if p.strip()]
        shared = len(work.authors) == 1 or len(places) == 1
        assert [len(a.institutions) for a in work.authors] == \
            [len(places) if shared else 0] * len(work.authors), entry["key"]
    assert sum(bool(a.institutions) for w in WORKS for a in w.authors) >= 20


def test_keywords_of_other_exports_are_topics(tmp_path):
    path = tmp_path / "zotero.bib"
    path.write_text("@article{a, author={Rae, Jack W. and Simonyan, Karen}, title={Scaling}, "
                    "year={2021}, keywords={language models, Scaling,  language models},"
                    "affiliation={DeepMind, London}, pubmed_id={34567}}\n"
                    "@article{b, author={Rae, Jack W.}, title={Other}, year={2022}, "
                    "keywords={attention; transformers}}\n")
    first, second = _read(path)[0]
    assert [(t.id, t.name) for t in first.topics] == [
        ("keyword:language models", "language models"), ("keyword:scaling", "Scaling")]
    assert [t.name for t in second.topics] == ["attention", "transformers"]
    assert not any(a.institutions for a in first.authors), "not a Scopus export: not read"
    assert (first.pmid, second.pmid) == ("34567", None)
    pmids = {w.pmid for w in WORKS if w.pmid}
    assert len(pmids) == sum(e["valid"] and "pubmed_id" in e["fields"] for e in ENTRIES)


def test_values_without_latex_are_what_latex_decoding_would_give(tmp_path):
    """The loader decodes LaTeX only where a value holds some (decoding is most of the
    parse); every value of the extract, and values with LaTeX, come out as from full
    decoding."""
    from bibtexparser.middlewares import LatexDecodingMiddleware

    # the method the loader's middleware overrides (were it renamed, every value would be
    # decoded again, at twice the load time)
    assert callable(getattr(LatexDecodingMiddleware, "_transform_python_value_string", None))

    extra = ("@article{x, author={M{\\\"u}ller, J. and O'Brien, P.}, title={Landau--Lifshitz "
             "``dots'' at 50~\\% and $x_1$}, journal={J. {IEEE} \\& Co}, year={2020}}\n")
    for text in (TEXT, extra):
        plain = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
        ours = bibtexparser.parse_string(text, append_middleware=[
            bibtex._LatexDecodingWherePresent()])
        assert [[(f.key, f.value) for f in e.fields] for e in ours.entries] == \
            [[(f.key, f.value) for f in e.fields] for e in plain.entries]
        assert len(ours.entries) >= 1
    assert bibtexparser.parse_string(extra, append_middleware=[
        bibtex._LatexDecodingWherePresent()]).entries[0]["title"] == \
        "Landau\u2013Lifshitz \u201cdots\u201d at 50\u00a0% and $x_1$"


def test_duplicate_keys_are_neither_lost_nor_double_counted():
    for key in ("Kong2022", "Saito2022", "Nguyen2022", "DinhNguyen2016", "Koo2012"):
        titles = [e["fields"]["title"] for e in ENTRIES if e["key"] == key]
        ids = {w.id for w in WORKS if w.title in titles}
        assert len(titles) == 2 and len(ids) == 2, f"{key}: two papers under one key"
    ganesan = [w for w in WORKS if w.title.startswith("Properties of lithographically")]
    assert Counter(w.id.split(":")[0] for w in ganesan) == {"doi": 2, "title": 2}
    assert len({w.id for w in ganesan}) == 2, "same paper under one key (or one DOI) is one id"
    assert not [r for r in REJECTED if "Duplicate" in r.reason]


def test_entries_with_a_repeated_field_load():
    repeated = [e for e in ENTRIES if e["repeated"]]
    assert {f for e in repeated for f in e["repeated"]} == {"funding_details"}
    loaded = {w.doi for w in WORKS}
    assert {e["fields"]["doi"].lower() for e in repeated} <= loaded


def test_the_malformed_entry_is_rejected_with_its_line_and_the_rest_load():
    broken = next(e for e in ENTRIES if not e["valid"])
    assert TEXT.split("\n")[broken["line"] - 1].startswith("@ARTICLE{Oshima20133608,")
    assert [(r.file, r.record) for r in REJECTED] == [(str(SAMPLE), f"line {broken['line']}")]
    assert "not a valid BibTeX entry" in REJECTED[0].reason
    follower = ENTRIES[ENTRIES.index(broken) + 1]["fields"]["doi"].lower()
    assert follower in {w.doi for w in WORKS}, "the entry after the broken one still loads"
    assert broken["fields"]["doi"].lower() not in {w.doi for w in WORKS}


def test_loaded_counts_match_an_independent_parse(store):
    report = load_paths(store, "bibtex", [SAMPLE], progress=False)
    assert [r.record for r in report.rejected] == [REJECTED[0].record]
    assert report.records == len(WORKS)
    expected = independent_counts(TEXT)
    stats = Graph(store).stats()
    assert (stats["papers"], stats["authorships"]) == (expected["papers"],
                                                       expected["authorships"])
    again = load_paths(store, "bibtex", [SAMPLE], progress=False)
    assert again.written.papers_unchanged == expected["papers"]
    assert again.written.papers_created == again.written.papers_updated == 0
    assert Graph(store).stats() == stats


def test_an_entry_without_title_is_rejected_by_key_and_line(tmp_path):
    lines = TEXT.split("\n")
    first = ENTRIES[0]
    title_line = next(i for i in range(first["line"], len(lines))
                      if lines[i].startswith("title="))
    untitled = tmp_path / "untitled.bib"
    untitled.write_text("\n".join(lines[:title_line] + lines[title_line + 1:]), encoding="utf-8")
    works, rejected = _read(untitled)
    assert [(r.record, r.reason) for r in rejected if "title" in r.reason] == [
        (f"entry Kong2022 (line {first['line']})", "no title")]
    assert len(works) == len(WORKS) - 1


def test_empty_and_wrong_format_files(tmp_path):
    (tmp_path / "empty.bib").write_text("")
    (tmp_path / "blank.bib").write_text("\n  \n")
    json_text = (Path(__file__).parent / "data" / "openalex" / "pyopenalex_works.jsonl")
    (tmp_path / "works.bib").write_text(json_text.read_text(encoding="utf-8"))
    for name in ("empty.bib", "blank.bib"):
        assert list(bibtex.read(tmp_path / name)) == [
            Rejected(str(tmp_path / name), "file", "the file is empty")]
    wrong = list(bibtex.read(tmp_path / "works.bib"))
    assert len(wrong) == 1 and wrong[0].record == "file" and "wrong format?" in wrong[0].reason


def test_latin1_file_loads_with_the_right_names(tmp_path):
    blocks = ["@" + b for b in TEXT.split("\n@")[1:]]
    bylines = [(b, re.search(r"^author=\{(.*)\},$", b, re.M)) for b in blocks]
    latin1 = [b for b, a in bylines if a and re.search(r"[\x80-\xff]", a.group(1))
              and not re.search(r"[^\x00-\xff]", a.group(1))]
    assert len(latin1) == 4  # characters beyond Latin-1 elsewhere become '?'
    (tmp_path / "latin1.bib").write_bytes("\n".join(latin1).encode("latin-1", "replace"))
    with pytest.raises(UnicodeDecodeError):
        (tmp_path / "latin1.bib").read_text(encoding="utf-8")
    works, rejected = _read(tmp_path / "latin1.bib")
    assert not rejected
    names = {a.name for w in works for a in w.authors}
    assert {"S.M. Chérif", "Y. Roussigné", "J.P. Nozières", "C. Thönnißen"} <= names
    assert names <= {a.name for w in WORKS for a in w.authors}


def test_gzipped_file_loads_like_the_plain_one(tmp_path):
    packed = tmp_path / "extract.bib.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    works, rejected = _read(packed)
    assert works == WORKS
    assert [r.record for r in rejected] == [r.record for r in REJECTED]


def test_truncated_gzip_is_an_unreadable_file(store, tmp_path):
    whole = gzip.compress(SAMPLE.read_bytes())
    cut = tmp_path / "cut.bib.gz"
    cut.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(UnreadableFile, match="damaged or truncated"):
        list(bibtex.read(cut))
    report = load_paths(store, "bibtex", [cut, SAMPLE], progress=False)
    assert len(report.unreadable) == 1 and str(cut) in report.unreadable[0]
    assert Graph(store).stats()["papers"] == independent_counts(TEXT)["papers"]


def test_an_ampersand_is_kept_bare_or_escaped(tmp_path):
    """'&' in a hand-written title or name is text (LaTeX decoding used to drop a bare one
    as a column separator); '\\&' is the same text."""
    path = tmp_path / "amp.bib"
    path.write_text(r"""@article{a, title = {Trees & Forests: {"}quoted{"} \& more},
  author = {Smith & Sons, Ann and Jones, Bo}, year = {2020}}
""", encoding="utf-8")
    works, rejected = _read(path)
    assert not rejected
    assert works[0].title == 'Trees & Forests: "quoted" & more'
    assert [a.name for a in works[0].authors] == ["Ann Smith & Sons", "Bo Jones"]


def test_an_arxiv_eprint_with_a_version_or_prefix_is_the_arxiv_paper(tmp_path):
    """'0704.0002v2' and 'arXiv:0704.0002' name the paper the arXiv loader calls
    arxiv:0704.0002 (a version is the same paper), not a second one known by its title."""
    path = tmp_path / "eprints.bib"
    path.write_text("".join(
        f"@article{{k{n}, title = {{Paper {n}}}, author = {{Streinu, Ileana}},"
        f" eprint = {{{eprint}}}, year = {{2007}}}}\n"
        for n, eprint in enumerate(["0704.0002v2", "arXiv:0704.0003", "hep-th/9901001v3",
                                    "not-an-id"])), encoding="utf-8")
    works, rejected = _read(path)
    assert not rejected
    assert [(w.id, w.arxiv_id) for w in works] == [
        ("arxiv:0704.0002", "0704.0002"), ("arxiv:0704.0003", "0704.0003"),
        ("arxiv:hep-th/9901001", "hep-th/9901001"), (works[3].id, None)]
    assert works[3].id.startswith("title:")


def test_an_ampersand_in_math_stays_as_written(tmp_path):
    path = tmp_path / "math.bib"
    path.write_text(r"@article{m, title = {Bounds for $a & b$ & more}, author = {Li, Bo},"
                    " year = {2021}}\n", encoding="utf-8")
    works, _ = _read(path)
    assert works[0].title == "Bounds for $a & b$ & more"


def test_abstracts_of_real_entries():
    by_doi = {w.doi: w for w in WORKS if w.doi}
    kong = by_doi["10.3390/app12199783"]
    assert kong.abstract.startswith("A tabu search (TS) aided multi-track detection scheme for "
                                    "bit patterned magnetic recording is proposed.")
    assert kong.abstract.endswith("more than 3 dB gains compared to the conventional detection "
                                  "schemes. © 2022 by the authors.")
    # a bare '%' is the text's, not a LaTeX comment that would cut the rest off
    assert by_doi["10.1109/tmag.2022.3206904"].abstract.endswith(
        "At a bit error rate of 10-3 and TMR of 10%, the proposed detection scheme performs "
        "better by approximately 1 dB in comparison with the conventional detection. IEEE")
    # IEEE markup around LaTeX math: the markup goes, the math stays as written
    assert "IED scheme when areal density is $2 Tb/in^{2}$. Simulation results" in \
        by_doi["10.1109/lmag.2022.3219234"].abstract
    assert by_doi["10.1109/intmag.2006.376525"].abstract is None, "no abstract field"
    valid = [e for e in ENTRIES if e["valid"]]
    assert len(valid) == len(WORKS)
    plain = 0
    for entry, work in zip(valid, WORKS, strict=True):  # duplicate keys and fields included
        raw = entry["fields"].get("abstract")
        assert (raw is None) == (work.abstract is None)
        if raw and not re.search(r"[\\{}$~<>]|--", raw):
            plain += 1
            assert work.abstract == " ".join(raw.split()), entry["key"]
    assert plain == 37 and sum("%" in (e["fields"].get("abstract") or "") for e in valid) == 2


def test_dates_from_month_day_and_biblatex_date(tmp_path):
    """The extract has year only (Scopus exports no month): no dates. A real entry with
    month, day or date fields added gives them, in the entry's year."""
    assert all(w.publication_date is None for w in WORKS)
    entry = TEXT.split("\n\n")[0]
    assert entry.startswith("@ARTICLE{Kong2022,") and "year={2022},\n" in entry
    variants = ["month=apr,", "month={April},", "month={4},\nday={29},", "month=sep,\nday={31},",
                "month={Spring},", "date={2022-04-29},", "date={2022-04},\nmonth=jan,",
                "date={2021-12-30},", "date={2022},\nmonth={Dec},", "day={29},"]
    path = tmp_path / "dates.bib"
    path.write_text("\n\n".join(entry.replace("Kong2022,", f"Kong2022x{n},").replace(
        "year={2022},\n", f"year={{2022}},\n{fields}\n") for n, fields in enumerate(variants)),
        encoding="utf-8")
    works, rejected = _read(path)
    assert not rejected
    assert [w.publication_date for w in works] == [
        "2022-04", "2022-04", "2022-04-29", "2022-09", None, "2022-04-29", "2022-04", None,
        "2022-12", None]


def test_a_bare_percent_sign_is_text_not_a_latex_comment(tmp_path):
    path = tmp_path / "percent.bib"
    path.write_text(r"@article{p, title = {A 50% gain}, author = {Li, Bo}, year = {2021},"
                    r" abstract = {Up 12% and \% and $5\%$ {\"o}.}}" "\n", encoding="utf-8")
    works, _ = _read(path)
    assert (works[0].title, works[0].abstract) == ("A 50% gain", "Up 12% and % and $5\\%$ ö.")


def test_the_demo_entries_are_dated_arxiv_preprints_with_abstracts():
    """demo.bib: seed 003's papers, '@misc' with arXiv as publisher, with the date and the
    abstract that page gives; an '@misc' that is not arXiv's stays 'misc'."""
    from explorer.cli import DEMO_FILE

    works = [w for w in bibtex.read(DEMO_FILE) if isinstance(w, Work)]
    assert [(w.type, w.publication_date) for w in works] == [
        ("preprint", "2022-04-29"), ("preprint", "2022-03-29"), ("preprint", "2022-02-09"),
        ("preprint", "2022-01-11"), ("preprint", "2021-12-08")]
    assert works[0].abstract.startswith("Building models that can be rapidly adapted")
    assert works[1].abstract.endswith("greater than a 7% improvement over \\gopher.")
    assert all(w.abstract and "\n" not in w.abstract for w in works)


def test_a_misc_entry_is_a_preprint_only_when_it_is_arxivs(tmp_path):
    path = tmp_path / "misc.bib"
    path.write_text("@misc{a, title={A}, year={2020}, eprint={2001.00001}}\n"
                    "@misc{b, title={B}, year={2020}, howpublished={arXiv preprint}}\n"
                    "@misc{c, title={C}, year={2020}, howpublished={Blog post}}\n"
                    "@article{d, title={D}, year={2020}, journal={arXiv}}\n", encoding="utf-8")
    works, _ = _read(path)
    assert [w.type for w in works] == ["preprint", "preprint", "misc", "article"]


def test_a_macro_the_decoder_does_not_know_stays_as_written(tmp_path):
    """arXiv abstracts use the paper's own macros ('\\chinchilla'): dropping them would
    drop the word; known LaTeX is still decoded."""
    path = tmp_path / "macros.bib"
    path.write_text("@misc{a, title={Caf\\'e \\textbf{bold}}, year={2022},\n"
                    "abstract={a model, \\chinchilla, that beats \\gopher by 7\\% "
                    "with 4$\\times$}}\n",
                    encoding="utf-8")
    works, _ = _read(path)
    assert works[0].title == "Café bold"
    assert works[0].abstract == "a model, \\chinchilla, that beats \\gopher by 7% with 4$\\times$"


def test_a_biblatex_date_alone_gives_the_year(tmp_path):
    path = tmp_path / "date.bib"
    path.write_text("@article{a, title={A}, date={2022-04-29}}\n"
                    "@article{b, title={B}, year={n.d.}, date={2021}}\n", encoding="utf-8")
    works, _ = _read(path)
    assert [(w.year, w.publication_date) for w in works] == [(2022, "2022-04-29"), (2021, None)]
