"""What a widget or an export shows: the slice around an author, of a paper's, a topic's or
an institution's people, or along the collaboration path between two authors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import InvalidParameter
from .graph import Graph
from .slices import SliceOptions, first_row

KINDS = ("author", "paper", "topic", "institution", "path")
GROUP_QUERIES = {"paper": ("paper", "title"), "topic": ("topic", "name"),
                 "institution": ("institution", "name")}


@dataclass(frozen=True)
class Target:
    """One graph to draw: ``kind`` and the entity's ``id`` (a path's first author, with
    ``to`` its last)."""

    kind: str
    id: str
    to: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidParameter(f"kind must be one of {', '.join(KINDS)}")
        if not self.id or (self.kind == "path" and not self.to):
            raise InvalidParameter("give two author ids: ?from=…&to=…"
                                   if self.kind == "path" else "give an id")

    def slice(self, graph: Graph, options: SliceOptions) -> dict[str, Any]:
        """The slice as the JSON API answers it (a path takes only ``facets``)."""
        if self.kind == "author":
            return graph.neighbourhood(self.id, options)
        if self.kind == "path":
            return graph.path_slice(self.id, self.to, facets=options.facets)
        return graph.group_slice(self.kind + "s", self.id, options)

    def title(self, graph: Graph) -> str:
        """The author's name, the paper's title, the topic's or institution's name, or
        both ends of a path; NotFound for an unknown id."""
        if self.kind == "author":
            return graph.author_ref(self.id)["name"]
        if self.kind == "path":
            return " and ".join(graph.author_ref(i)["name"] for i in (self.id, self.to))
        query, key = GROUP_QUERIES[self.kind]
        return first_row(graph.store, query, id=self.id)[key] or self.id

    def filename(self, extension: str) -> str:
        """A safe download name: the id(s) in ASCII letters and digits."""
        text = f"{self.id}-to-{self.to}" if self.kind == "path" else self.id
        safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in text)
        stem = "-".join(part for part in safe.split("-") if part) or self.kind
        return f"{stem[:100]}.{extension}"
