"""Who may embed the explorer, through the Flask app: the embed_origins setting read and
matched as browsers send origins, every page but /embed/ refusing to be framed, and CORS on
the JSON API, the widget script and vis-network for the listed sites only (preflight too)."""

from __future__ import annotations

import pytest

from explorer.origins import OriginPolicy, parse_origins
from explorer.settings import SettingError, load_config
from tests.hostile import KAREN, LAB, PAPER

# -- the setting ----------------------------------------------------------------------


def test_origins_are_normalised_and_bad_ones_named():
    assert parse_origins("") == ()
    assert parse_origins(" HTTPS://Lab.Example.org:443/ ,http://localhost:8080  "
                         "https://*.dept.example.edu https://lab.example.org") == (
        LAB, "http://localhost:8080", "https://*.dept.example.edu")
    assert parse_origins("https://bücher.example") == ("https://xn--bcher-kva.example",)
    assert parse_origins("http://[::1]:8000") == ("http://[::1]:8000",)
    assert parse_origins("*") == ("*",)
    for bad, reason in (("lab.example.org", "use http:// or https://"),
                        ("ftp://lab.example.org", "use http:// or https://"),
                        ("https://lab.example.org/page", "no path"),
                        ("https://user@lab.example.org", "no path, query or user"),
                        ("https://lab.*.org", "a wildcard may only start the host"),
                        ("https://lab.example.org:99999", "bad port"),
                        ("* https://lab.example.org", "give it alone")):
        with pytest.raises(ValueError, match=reason):
            parse_origins(bad)
    with pytest.raises(SettingError, match=r"embed_origins \(environment variable "
                                           r"COAUTHOR_EXPLORER_EMBED_ORIGINS\)"):
        load_config(environ={"COAUTHOR_EXPLORER_EMBED_ORIGINS": "lab.example.org"})
    assert load_config(environ={}).embed_origins == ()
    assert load_config(environ={"COAUTHOR_EXPLORER_EMBED_ORIGINS": LAB}).embed_origins == \
        (LAB,)


def test_the_policy_matches_origins_as_browsers_send_them():
    policy = OriginPolicy(parse_origins(f"{LAB} https://*.dept.example.edu "
                                        "http://localhost:8080"))
    assert policy.allows(LAB) and policy.allows("https://LAB.example.org:443")
    assert policy.allows("https://www.dept.example.edu")
    assert policy.allows("https://a.b.dept.example.edu")
    assert policy.allows("http://localhost:8080")
    for refused in (None, "", "null", "http://lab.example.org", "https://lab.example.org:8443",
                    "https://dept.example.edu", "https://evildept.example.edu",
                    "https://www.dept.example.edu.evil.org", "http://localhost:8081",
                    "https://example.org", "not an origin"):
        assert not policy.allows(refused), refused
    assert policy.frame_ancestors() == \
        f"'self' {LAB} https://*.dept.example.edu http://localhost:8080"
    anyone = OriginPolicy(("*",))
    assert anyone.allows("https://anywhere.example") and anyone.frame_ancestors() == "*"
    nobody = OriginPolicy(())
    assert not nobody.allows(LAB) and nobody.frame_ancestors() == "'self'"


# -- frame headers --------------------------------------------------------------------


def test_pages_refuse_framing(lab, closed):
    for client in (lab, closed):
        for url in ("/", f"/authors/{KAREN}", "/api/stats", "/no/such/page",
                    "/static/graph.js"):
            response = client.get(url)
            assert response.headers["X-Frame-Options"] == "DENY", url
            csp = response.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp, url
            assert "unsafe-inline" not in csp and "object-src 'none'" in csp, url
            assert response.headers["X-Content-Type-Options"] == "nosniff", url


# -- CORS -----------------------------------------------------------------------------


def test_the_api_and_widget_files_answer_allowed_origins_only(lab, closed):
    urls = (f"/api/authors/{KAREN}/slice", f"/api/papers/{PAPER}/slice",
            "/api/path/slice?from=name:eve%20hostile&to=name:karen%20simonyan",
            f"/api/authors/{KAREN}/analysis", "/static/coauthor-graph.js",
            "/assets/vis-network.min.js")
    for url in urls:
        for origin in (LAB, "https://www.dept.example.edu"):
            response = lab.get(url, headers={"Origin": origin})
            assert response.status_code == 200, url
            assert response.headers["Access-Control-Allow-Origin"] == origin, url
            assert "Origin" in response.headers["Vary"], url
        for client, origin in ((lab, "https://evil.example"), (closed, LAB)):
            response = client.get(url, headers={"Origin": origin})
            assert response.status_code == 200  # served; the browser keeps it from the page
            assert "Access-Control-Allow-Origin" not in response.headers, url
            assert "Origin" in response.headers["Vary"], url
    error = lab.get("/api/authors/name:nobody/slice", headers={"Origin": LAB})
    assert error.status_code == 404 and error.headers["Access-Control-Allow-Origin"] == LAB


def test_preflight_is_answered_for_allowed_origins_and_refused_for_others(lab, closed):
    asked = {"Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "content-type"}
    url = f"/api/authors/{KAREN}/expand"
    ok = lab.options(url, headers={"Origin": LAB, **asked})
    assert ok.status_code == 204
    assert ok.headers["Access-Control-Allow-Origin"] == LAB
    assert "POST" in ok.headers["Access-Control-Allow-Methods"]
    assert ok.headers["Access-Control-Allow-Headers"] == "Content-Type"
    expanded = lab.post(url + "?limit=3", json={"shown": [KAREN]}, headers={"Origin": LAB})
    assert len(expanded.get_json()["nodes"]) == 3
    assert expanded.headers["Access-Control-Allow-Origin"] == LAB
    for client, origin in ((lab, "https://evil.example"), (closed, LAB)):
        refused = client.options(url, headers={"Origin": origin, **asked})
        assert refused.status_code == 403
        assert "Access-Control-Allow-Origin" not in refused.headers
        message = refused.get_json()["error"]["message"]
        assert origin in message and "COAUTHOR_EXPLORER_EMBED_ORIGINS" in message
    assert lab.options("/api/no/such/route", headers={"Origin": LAB, **asked}) \
        .status_code == 404
