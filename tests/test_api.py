"""The JSON API on the demo data: answers, 404s and 400s with messages."""

from __future__ import annotations

SIMONYAN = "name:karen simonyan"


def test_stats_and_search(client):
    assert client.get("/api/stats").get_json()["papers"] == 5
    hits = client.get("/api/search?q=SIMONY").get_json()
    assert [h["id"] for h in hits] == [SIMONYAN]
    assert client.get("/api/search?q=casas").get_json()[0]["name"] == "Diego de Las Casas"
    assert client.get("/api/search?q=gopher&kind=papers").get_json()[0]["year"] == 2021


def test_author_works_slice_and_path(client):
    profile = client.get(f"/api/authors/{SIMONYAN}").get_json()
    assert profile["works"] == 5 and profile["collaborators"][0]["joint_papers"] == 5
    works = client.get(f"/api/authors/{SIMONYAN}/works?limit=2").get_json()
    assert len(works) == 2 and works[0]["authors"][0]["position"] == 1
    piece = client.get(f"/api/authors/{SIMONYAN}/slice?limit=20&min_weight=2").get_json()
    assert len(piece["nodes"]) == 20 and piece["hidden"] > 0
    path = client.get("/api/path?from=name:jean baptiste alayrac&to=name:jack w rae").get_json()
    assert path["found"] and len(path["links"]) == 2


def test_unknown_ids_are_404_with_a_message(client):
    for url in ("/api/authors/name:nobody", "/api/papers/doi:none", "/api/topics/topic:none",
                "/api/institutions/ror:none", "/api/authors/name:nobody/slice", "/api/nothing"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.get_json()["error"]["message"]


def test_bad_parameters_are_400_with_a_message(client):
    for url, words in (
        (f"/api/authors/{SIMONYAN}/slice?depth=3", "depth must be between 1 and 2"),
        (f"/api/authors/{SIMONYAN}/slice?limit=abc", "limit must be a whole number"),
        (f"/api/authors/{SIMONYAN}/slice?year_from=2022&year_to=2020", "year_from"),
        ("/api/search?q=x&kind=spaceships", "kind must be one of"),
        ("/api/path?from=name:a", "give two author ids"),
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert words in response.get_json()["error"]["message"]


def test_an_unavailable_database_is_a_503(tmp_path, caplog):
    from explorer.app import create_app

    app = create_app(neo4j_uri="bolt://127.0.0.1:1")
    response = app.test_client().get("/api/stats", headers={"X-Request-ID": "r-1"})
    assert response.status_code == 503
    message = response.get_json()["error"]["message"]
    assert "unavailable" in message and "(request r-1)" in message
    assert "127.0.0.1:1" not in message
    assert any("cannot reach Neo4j at bolt://127.0.0.1:1" in r.getMessage()
               for r in caplog.records if r.name == "explorer.unavailable")


def test_concurrent_requests_share_one_store(app):
    """Threads each get their own LadybugDB connection; the store opens once."""
    from concurrent.futures import ThreadPoolExecutor

    urls = [f"/api/authors/{SIMONYAN}", f"/api/authors/{SIMONYAN}/slice?limit=30",
            "/api/search?q=ka", "/api/path?from=name:jean baptiste alayrac&to=name:jack w rae"]

    def fetch(i: int) -> int:
        return app.test_client().get(urls[i % len(urls)]).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(fetch, range(80))) == {200}
