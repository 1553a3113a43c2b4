"""The OpenAPI document describes exactly the app's /api routes (methods included) and is a
valid OpenAPI 3.1 document."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from explorer.views.openapi import openapi_document

_IGNORED = {"HEAD", "OPTIONS"}


def app_routes(app) -> set[tuple[str, str]]:
    """(path template in OpenAPI's spelling, method) of every /api route."""
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        found.update((path, method) for method in rule.methods - _IGNORED)
    return found


def document_routes(document: dict) -> set[tuple[str, str]]:
    found = set()
    for path, item in document["paths"].items():
        if "$ref" in item:
            item = document["components"]["pathItems"][item["$ref"].rsplit("/", 1)[1]]
        found.update((path, method.upper()) for method in item
                     if method in ("get", "post", "put", "patch", "delete"))
    return found


def test_every_api_route_is_documented_and_nothing_else(app):
    document = openapi_document()
    in_app, documented = app_routes(app), document_routes(document)
    assert in_app - documented == set(), "routes missing from explorer/openapi.yaml"
    assert documented - in_app == set(), "documented routes the app does not have"


def test_the_document_is_valid_openapi_3_1_and_served(client):
    document = openapi_document()
    assert document["openapi"].startswith("3.1")
    validate(document)
    served = client.get("/api/openapi.json")
    assert served.status_code == 200 and served.get_json() == document
    assert client.get("/api/").get_json()["openapi"] == "/api/openapi.json"
    assert 'href="/api/openapi.json"' in client.get("/cypher").get_data(as_text=True)


def test_path_parameters_are_declared_where_they_are_used():
    document = openapi_document()
    for path, item in document["paths"].items():
        if "$ref" in item:
            item = document["components"]["pathItems"][item["$ref"].rsplit("/", 1)[1]]
        names = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            declared = set()
            for parameter in operation.get("parameters", []):
                if "$ref" in parameter:
                    parameter = document["components"]["parameters"][
                        parameter["$ref"].rsplit("/", 1)[1]]
                if parameter["in"] == "path":
                    declared.add(parameter["name"])
            assert declared == names, (path, method)
