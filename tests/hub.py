"""A researcher with a thousand co-authors, for the tests of high-degree slices."""

from __future__ import annotations

from explorer.records import AuthorRef, Work

HUB = "name:hub person"
HUB_PAPERS = 600  # each with the hub and two people of its own: 1,200 co-authors


def hub_works() -> list[Work]:
    return [Work(f"doi:10.0/hub{i}", f"Hub paper {i}", 2000 + i % 20, authors=(
        AuthorRef(HUB, "Hub Person"), AuthorRef(f"name:a{i}", f"A {i}"),
        AuthorRef(f"name:b{i}", f"B {i}"))) for i in range(HUB_PAPERS)]
