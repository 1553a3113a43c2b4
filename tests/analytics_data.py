"""The real OpenAlex sample the analytics tests run on, read independently of the loader
(plain json), and a module-wide store of it on each engine."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from explorer.loading import load_paths
from explorer.store import GraphStore
from tests.conftest import ENGINES, fresh_store

SAMPLE = Path(__file__).resolve().parent / "data" / "openalex" / \
    "openalex-local_sample_works.jsonl.gz"
JEMAL = "orcid:0000-0002-0000-4111"
"""Ahmedin Jemal: 13 works 2011-2024, the Cancer statistics and GLOBOCAN series."""


@cache
def sample_works() -> tuple[dict[str, Any], ...]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as lines:
        return tuple(json.loads(line) for line in lines if line.strip())


def works_of_orcid(orcid: str) -> list[dict[str, Any]]:
    """The works whose authorships name this ORCID (given as ``orcid:…``)."""
    bare = orcid.removeprefix("orcid:")
    return [w for w in sample_works()
            if any((a.get("author") or {}).get("orcid", "") and
                   a["author"]["orcid"].endswith(bare) for a in w["authorships"])]


def load_sample(store: GraphStore) -> GraphStore:
    load_paths(store, "openalex", [SAMPLE], progress=False)
    return store


def sample_store_fixture():
    """A module-scoped fixture: the sample loaded once per engine for a test module (on
    Neo4j, modules using it must not use the function-scoped store fixtures, which empty
    the shared database)."""

    @pytest.fixture(scope="module", params=ENGINES)
    def sample_store(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
        with fresh_store(request.param, tmp_path_factory.mktemp("sample")) as store:
            yield load_sample(store)

    return sample_store
