"""The HTML pages through Flask's client on everything the demo loads: each page shows its
data and links its JSON twin and graph slice; unknown ids, bad parameters and a database
that cannot be reached or opened give error pages, never a stack trace."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from explorer.app import create_app
from explorer.records import AuthorRef, TopicRef, Work
from explorer.writer import GraphWriter
from tests.conftest import fresh_store
from tests.demo import load_demo

SIMONYAN = "name:karen simonyan"
JEMAL = "orcid:0000-0002-0000-4111"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("pages")
    with fresh_store("ladybug", folder) as store:
        load_demo(store)
    app = create_app(db_path=str(folder / "graph.lbdb"), neo4j_uri="")
    yield app.test_client()
    app.extensions["coauthor_store"].close()


def client_with(tmp_path: Path, works: list[Work]):
    """A client of an app on a fresh embedded store holding just ``works``."""
    with fresh_store("ladybug", tmp_path) as store:
        GraphWriter(store).write(works)
    return create_app(db_path=str(tmp_path / "graph.lbdb"), neo4j_uri="").test_client()


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def twin_of(page: str) -> str:
    """Where a page's "JSON" link points."""
    return re.search(r'class="json-twin" href="([^"]+)"', page)[1]


def twin_and_slice(page: str) -> tuple[str, str]:
    return twin_of(page), re.search(r'data-slice-api="([^"]+)"', page)[1]


@pytest.mark.parametrize(("page", "heading"), [
    (f"/authors/{SIMONYAN}", "Karen Simonyan"),
    (f"/authors/{JEMAL}", "Ahmedin Jemal"),
    ("/topics/openalex:T10556", "Global Cancer Incidence and Screening"),
    ("/institutions/openalex:I1288198617", "American Cancer Society"),
])
def test_each_page_links_its_json_twin_and_its_graph_slice(client, page, heading):
    response = client.get(page)
    assert response.status_code == 200
    body = text(response)
    assert f">{heading}</h1>" in body
    twin, slice_api = twin_and_slice(body)
    data = client.get(twin).get_json()
    assert data["name"] == heading
    piece = client.get(slice_api).get_json()
    assert piece["nodes"] and piece["centre"] == data["id"]


def test_a_paper_page_lists_authors_topics_and_its_graph(client):
    found = client.get("/api/search?q=cancer statistics 2023&kind=papers").get_json()[0]
    body = text(client.get(f"/papers/{found['id']}"))
    twin, slice_api = twin_and_slice(body)
    paper = client.get(twin).get_json()
    assert paper["title"] in body and paper["topics"]
    for person in paper["authors"]:
        assert person["name"] in body
    for topic in paper["topics"]:
        assert topic["name"] in body
    piece = client.get(slice_api).get_json()
    assert [n["id"] for n in piece["nodes"]] == [a["id"] for a in paper["authors"]]


def test_the_profile_gives_a_quick_read_collaborators_and_works(client):
    body = text(client.get(f"/authors/{JEMAL}"))
    profile = client.get(f"/api/authors/{JEMAL}").get_json()
    quick = re.search(r'<section class="quick-read".*?</section>', body, re.S)[0]
    assert f"<strong>{profile['works']}</strong> works" in quick
    assert f"{profile['first_year']}\u2013{profile['last_year']}" in quick
    assert f"<strong>{profile['coauthors']}</strong> co-authors" in quick
    best = profile["collaborators"][0]
    assert f"{best['name']}</a>\n      <span class=\"muted\">{best['joint_papers']} joint papers" \
        in body
    for work in client.get(f"/api/authors/{JEMAL}/works?limit=500").get_json():
        assert work["title"] in body


def test_the_path_page_names_both_ends_and_draws_the_chain(client):
    body = text(client.get(f"/path?from={SIMONYAN}&to=name:jack w rae"))
    assert 'value="Karen Simonyan"' in body and 'value="Jack W. Rae"' in body
    twin, slice_api = twin_and_slice(body)
    assert client.get(twin).get_json()["found"]
    assert client.get(slice_api).get_json()["kind"] == "path"
    empty = text(client.get("/path"))
    assert 'id="path-form"' in empty and "data-slice-api" not in empty
    apart = text(client.get(f"/path?from={SIMONYAN}&to={JEMAL}"))
    assert 'id="path-none"' in apart and "No chain of co-authorships" in apart
    same = text(client.get(f"/path?from={SIMONYAN}&to={SIMONYAN}"))
    assert "Pick two different researchers: Karen Simonyan is at both ends." in same
    assert "0 steps" not in same and "data-slice-api" not in same


def test_unknown_ids_get_a_404_page(client):
    for page in ("/authors/name:nobody", "/papers/doi:10.0/none", "/topics/openalex:T0",
                 "/institutions/openalex:I0", f"/path?from={SIMONYAN}&to=name:nobody",
                 "/no/such/page"):
        response = client.get(page)
        assert response.status_code == 404, page
        assert "<h1>Not found</h1>" in text(response) and "Traceback" not in text(response)


def test_bad_parameters_get_a_400_with_the_reason(client):
    for url, reason in ((f"/api/authors/{SIMONYAN}/slice?depth=3", "depth"),
                        ("/api/topics/openalex:T10556/slice?limit=0", "limit"),
                        (f"/api/authors/{SIMONYAN}/slice?year_from=2023&year_to=2020",
                         "year_from"),
                        ("/api/path/slice?from=x", "two author ids")):
        response = client.get(url)
        assert response.status_code == 400 and reason in response.get_json()["error"]["message"]
    wrong = client.post(f"/api/authors/{SIMONYAN}/expand", data="not json")
    assert wrong.status_code == 400 and "shown" in wrong.get_json()["error"]["message"]
    assert client.post(f"/authors/{SIMONYAN}").status_code == 405


@pytest.mark.parametrize("where", ["neo4j", "ladybug"])
def test_a_database_that_cannot_be_reached_gives_a_clear_error_page(where, tmp_path: Path,
                                                                     caplog):
    if where == "neo4j":  # nothing listens on port 1
        app = create_app(neo4j_uri="bolt://127.0.0.1:1", neo4j_password="x")
        reason = "cannot reach Neo4j at bolt://127.0.0.1:1"
    else:
        broken = tmp_path / "broken.lbdb"
        broken.write_text("not a database")
        app = create_app(db_path=str(broken), neo4j_uri="")
        reason = f"cannot open the database {broken}"
    client = app.test_client()
    page = client.get(f"/authors/{SIMONYAN}")
    assert page.status_code == 503
    assert "<h1>The database is unavailable</h1>" in text(page)
    assert "try again shortly" in text(page) and "Traceback" not in text(page)
    api = client.get(f"/api/authors/{SIMONYAN}")
    assert api.status_code == 503 and "unavailable" in api.get_json()["error"]["message"]
    assert reason not in text(page) + api.get_data(as_text=True), \
        "no address or path for the visitors"
    logged = [r.getMessage() for r in caplog.records if r.name == "explorer.unavailable"]
    assert len(logged) == 2 and all(reason in r for r in logged), "the reason, in the log"


def test_a_long_list_of_works_comes_in_pages(tmp_path: Path):
    client = client_with(tmp_path, [Work(f"doi:10.0/w{i:03}", f"Work {i:03}", 1900 + i,
        authors=(AuthorRef("name:prolific", "Prolific"), AuthorRef(f"name:p{i}", f"P {i}")))
        for i in range(150)])
    first = text(client.get("/authors/name:prolific"))
    assert "Works 1\u2013100 of\n    150" in first and "page 1 of 2" in first
    assert "Work 149" in first and "Work 049" not in first  # newest first
    second = text(client.get("/authors/name:prolific?page=2"))
    assert "Work 049" in second and "Work 050" not in second and '<ol class="works" start="101">' \
        in second
    assert client.get("/authors/name:prolific?page=0").status_code == 400


def test_every_co_author_is_listed_a_page_at_a_time(tmp_path: Path):
    """The profile shows the ten closest; its link leads to all of them, most joint papers
    first, with the JSON and CSV of the page shown."""
    hub = AuthorRef("name:hub", "Hub <Person>")
    works = [Work(f"doi:10.0/w{i:03}", f"Work {i:03}", 2000 + i % 20,
                  authors=(hub, AuthorRef(f"name:p{i:03}", f"Person {i:03}")))
             for i in range(130)]
    works += [Work(f"doi:10.0/x{i}", f"Extra {i}", 2021, authors=(hub, AuthorRef(
        "name:p007", "Person 007"))) for i in range(3)]  # Person 007 first: 4 joint papers
    client = client_with(tmp_path, works)
    profile = text(client.get("/authors/name:hub"))
    assert "All 130 co-authors \u2192" in profile
    link = re.search(r'<a href="([^"]+)">All 130 co-authors', profile)[1]
    assert link == "/authors/name:hub/coauthors"
    first = client.get(link).get_data(as_text=True)
    assert "Co-authors of <a href=\"/authors/name:hub\">Hub &lt;Person&gt;</a>" in first
    rows = re.findall(r'<tr><td>(\d+)</td>\s*<td><a href="/authors/([^"]+)">([^<]+)</a></td>\s*'
                      r'<td class="number">(\d+)</td>', first)
    assert len(rows) == 100 and rows[0] == ("1", "name:p007", "Person 007", "4")
    assert [int(r[0]) for r in rows] == list(range(1, 101))
    assert "page 1 of 2" in first and "130 co-authors" in first
    second = client.get(f"{link}?page=2").get_data(as_text=True)
    more = re.findall(r'<td><a href="/authors/(name:p\d+)">', second)
    assert len(more) == 30 and not set(more) & {r[1] for r in rows}
    assert len(set(more) | {r[1] for r in rows}) == 130, "every co-author once"
    csv = re.search(r'href="([^"]+)">CSV</a>', second)[1]
    answer = client.get(html.unescape(csv))
    assert answer.mimetype == "text/csv"
    assert sorted(line.split(",")[0] for line in answer.get_data(as_text=True).splitlines()[1:]) \
        == sorted(more)
    assert client.get(f"{link}?page=3").status_code == 400
    assert client.get("/authors/name:nobody/coauthors").status_code == 404
    few = text(client.get("/authors/name:p001"))
    assert "All 1 co-author" not in few, "no link when the profile shows them all"


def test_a_page_past_the_last_is_a_400_and_a_skip_past_the_end_is_empty(client):
    # LadybugDB 0.22 crashes the process on ORDER BY two keys with SKIP past the last row:
    # the app must never ask that.
    assert client.get(f"/authors/{JEMAL}?page=2").status_code == 400
    assert "page must be between 1 and 1" in text(client.get(f"/authors/{JEMAL}?page=99"))
    assert client.get(f"/api/authors/{JEMAL}/works?skip=9000").get_json() == []
    assert client.get(f"/api/authors/{JEMAL}").status_code == 200  # still alive


def test_the_quick_read_counts_every_topic(tmp_path: Path):
    client = client_with(tmp_path, [Work(
        f"doi:10.0/t{i}", f"Work {i}", 2000, authors=(AuthorRef("name:broad", "Broad"),),
        topics=(TopicRef(f"topic:{i}", f"Topic {i}"), TopicRef("topic:all", "All")))
        for i in range(14)])
    profile = client.get("/api/authors/name:broad").get_json()
    assert profile["topic_count"] == 15 and len(profile["topics"]) == 10
    assert "<strong>15</strong> topics" in text(client.get("/authors/name:broad"))


def test_an_unknown_topic_or_an_oversized_expansion_is_a_400(client):
    bad_topic = client.get(f"/api/authors/{JEMAL}/slice?topic=openalex:T0")
    assert bad_topic.status_code == 400
    assert "no topic has the id 'openalex:T0'" in bad_topic.get_json()["error"]["message"]
    too_many = client.post(f"/api/authors/{JEMAL}/expand?limit=201", json={"shown": [JEMAL]})
    assert too_many.status_code == 400 and "200" in too_many.get_json()["error"]["message"]


def test_the_graph_library_is_served_from_the_installed_pyvis(client):
    script = client.get("/assets/vis-network.min.js")
    assert script.status_code == 200 and b"vis-network" in script.data[:2000]


def test_a_query_stopped_at_its_time_limit_gives_an_error_page(client):
    db = client.application.config["EXPLORER"].db_path
    slow = create_app(db_path=db, neo4j_uri="", query_timeout_ms=1).test_client()
    page = slow.get(f"/authors/{SIMONYAN}")
    assert page.status_code == 500
    assert "the query was stopped at its time limit" in text(page)
    assert "Traceback" not in text(page)


def test_the_overview_page_shows_the_overview_api(client):
    overview = client.get("/api/overview").get_json()
    body = text(client.get("/overview"))
    counts = re.search(r'<section class="quick-read".*?</section>', body, re.S)[0]
    for what, label in (("authors", "researchers"), ("papers", "papers"),
                        ("coauthor_pairs", "co-author pairs")):
        assert f"<strong>{overview['counts'][what]:,}</strong> {label}" in counts
    for pair in overview["top_pairs"]:
        assert f"{pair['source']['name']}</a> &\n" in body and pair["target"]["name"] in body
    for topic in overview["top_topics"]:
        assert topic["name"] in body
    assert "/api/overview" in twin_of(body)


def test_counts_and_years_read_as_words(tmp_path: Path):
    """'1 work', '1 joint paper, 2020', '2 authors', '2020 year active': no '1 works' and
    no year span from 2020 to 2020 on a page."""
    from explorer.views.wording import counted, year_span

    assert [counted(1, "work"), counted(2, "person"), counted(1234, "joint paper")] == \
        ["1 work", "2 people", "1,234 joint papers"]
    assert [year_span(2020, 2020), year_span(2018, 2020), year_span(None, 2020),
            year_span(None, None)] == ["2020", "2018\u20132020", "?\u20132020", ""]
    with fresh_store("ladybug", tmp_path) as store:
        GraphWriter(store).write([Work("doi:10.0/one", "One paper", 2020, authors=(
            AuthorRef("name:ann jones", "Ann Jones"), AuthorRef("name:bo li", "Bo Li")),
            topics=(TopicRef("openalex:T1", "Optics"),))])
    app = create_app(db_path=str(tmp_path / "graph.lbdb"), neo4j_uri="")
    client = app.test_client()
    try:
        profile = client.get("/authors/name:ann jones").get_data(as_text=True)
        assert "<strong>1</strong> work</div>" in profile
        assert "<strong>2020</strong> year active" in profile
        assert "<strong>1</strong> co-author</div>" in profile
        assert "1 joint paper, 2020</span>" in profile
        paper = client.get("/papers/doi:10.0/one").get_data(as_text=True)
        assert "<h2>2 authors</h2>" in paper and "1 work</span>" in paper
        topic = client.get("/topics/openalex:T1").get_data(as_text=True)
        assert "1 work</p>" in topic and "1 work on this topic" in topic
        pages = profile + paper + topic + client.get("/overview").get_data(as_text=True)
        assert not re.search(r"\b1 (works|people|authors|joint papers)\b", pages)
        assert "2020\u20132020" not in pages
    finally:
        app.extensions["coauthor_store"].close()


def test_every_page_has_an_icon_the_app_serves(client):
    body = text(client.get("/"))
    icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', body)
    assert icon, "no icon: browsers would ask for /favicon.ico and get a 404 on every page"
    response = client.get(icon[1])
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"


def test_every_page_answers_on_an_empty_database(tmp_path):
    fresh_store("ladybug", tmp_path).close()
    app = create_app(db_path=str(tmp_path / "graph.lbdb"), neo4j_uri="")
    client = app.test_client()
    try:
        for url in ("/", "/overview", "/?q=smith", "/path", "/cypher", "/queries",
                    "/api/overview", "/api/stats"):
            response = client.get(url)
            assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        assert "No researchers yet" in client.get("/overview").get_data(as_text=True)
        assert "The graph is empty. Load" in client.get("/").get_data(as_text=True)
    finally:
        app.extensions["coauthor_store"].close()


def test_dates_and_document_types_read_as_words():
    from explorer.views.wording import document_type, paragraphs, published

    assert [published("2022-04-29"), published("2022-04", 2022), published(None, 2021),
            published(None), published("2022-13", 2022), published("2022-00", 2022)] == \
        ["29 Apr 2022", "Apr 2022", "2021", "", "2022", "2022"]
    assert [document_type(t) for t in ("journal-article", "CONF", "inproceedings",
                                       "Conference Paper", "misc", "GEN", None, "preprint")] == \
        ["journal article", "conference paper", "conference paper", "conference paper", "",
         "", "", "preprint"]
    assert paragraphs("One.\n\nTwo.\n\n") == ["One.", "Two."] and paragraphs(None) == []


def test_a_paper_shows_its_type_date_and_abstract_as_text(tmp_path: Path):
    """The abstract's paragraphs are paragraphs, its markup text; the profile's works have
    the type and the date, and the abstract folded."""
    abstract = "We show <script>alert('x')</script> & more.\n\nA second paragraph."
    client = client_with(tmp_path, [
        Work("doi:10.0/typed", "Typed paper", 2022, venue="Venue", type="journal-article",
             publication_date="2022-04-29", abstract=abstract,
             authors=(AuthorRef("name:ann jones", "Ann Jones"),)),
        Work("doi:10.0/plain", "Plain paper", 2021, type="misc",
             authors=(AuthorRef("name:ann jones", "Ann Jones"),))])
    try:
        page = client.get("/papers/doi:10.0/typed").get_data(as_text=True)
        assert '<span class="doc-type">journal article</span> 29 Apr 2022 · <bdi>Venue</bdi>' \
            in page
        assert "<p>We show &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more.</p>" in page
        assert "<p>A second paragraph.</p>" in page and "<script>alert" not in page
        plain = client.get("/papers/doi:10.0/plain").get_data(as_text=True)
        assert 'class="doc-type"' not in plain and "Abstract</h2>" not in plain
        profile = client.get("/authors/name:ann jones").get_data(as_text=True)
        works = profile[profile.index('<ol class="works"'):]
        assert works.index("Typed paper") < works.index("Plain paper")
        assert '<details class="abstract"><summary>Abstract</summary>' in works
        assert works.count("<details") == 1 and "29 Apr 2022" in works
    finally:
        client.application.extensions["coauthor_store"].close()
