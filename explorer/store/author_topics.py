"""Each author's topics with their work counts, in memory: the answer to ``author_topics``
(the topic filter of every author slice, and each person's main topic for colouring) and to
a topic's people (``topic_authors``, ``topic_author_count``) without an aggregation over
papers per call.

Built with the author index from three named queries (``index_authored``,
``index_paper_topics``, ``index_topics``): authorships and paper topics as node offsets are
joined and counted in numpy into compressed sparse rows over author rows. At 10M
authorships (12.6M author-topic pairs) it holds ~100 MB. Rows are those of
``cypher/author_topics.cypher``: ``ORDER BY works DESC, name`` (then id, where the Cypher
order is arbitrary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class AuthorTopics:
    """Topics by author row: ``start`` (CSR offsets), ``topic`` (topic numbers) and
    ``works`` (the author's works on it); topics by number: id, name, name order."""

    topic_ids: list[str]
    topic_names: list[str | None]
    name_rank: np.ndarray  # int64 per topic number: rank of (name, id)
    start: np.ndarray  # int64 per author row + 1
    topic: np.ndarray  # int32 per entry
    works: np.ndarray  # int32 per entry
    number_of: dict[str, int]  # topic id -> topic number

    @classmethod
    def build(cls, authored: pa.Table, paper_topics: pa.Table, topics: pa.Table,
              row_of_offset: np.ndarray, size: int) -> AuthorTopics:
        """From ``index_authored`` (author, paper offsets), ``index_paper_topics`` (paper,
        topic offsets) and ``index_topics`` (offset, id, name); ``row_of_offset`` maps author
        offsets to the author index's rows, of which there are ``size``."""
        offsets = topics.column("offset").to_numpy().astype(np.int64)
        number_of = np.full(int(offsets.max()) + 1 if len(offsets) else 0, -1, np.int64)
        number_of[offsets] = np.arange(len(offsets))
        ids = topics.column("id").combine_chunks()
        names = topics.column("name").combine_chunks()
        order = pc.sort_indices(pa.table({"name": names, "id": ids}),
                                sort_keys=[("name", "ascending"), ("id", "ascending")]
                                ).to_numpy()  # nulls last, as by default
        name_rank = np.empty(len(order), dtype=np.int64)
        name_rank[order] = np.arange(len(order))

        paper = paper_topics.column("paper").to_numpy().astype(np.int64)
        topic = number_of[paper_topics.column("topic").to_numpy().astype(np.int64)]
        by_paper = np.argsort(paper, kind="stable")
        topic_by_paper = topic[by_paper]
        written = authored.column("paper").to_numpy().astype(np.int64)
        papers = int(max(paper.max(initial=-1), written.max(initial=-1))) + 1
        per_paper = np.bincount(paper, minlength=papers)
        paper_start = np.zeros(papers + 1, dtype=np.int64)
        np.cumsum(per_paper, out=paper_start[1:])
        del paper, topic, by_paper

        author = row_of_offset[authored.column("author").to_numpy().astype(np.int64)]
        keep = author >= 0
        author, written = author[keep], written[keep]
        per = per_paper[written]
        within = np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
        entries = np.repeat(paper_start[written], per) + within
        del within
        keys = np.repeat(author, per) * max(len(offsets), 1) + topic_by_paper[entries]
        del entries, per
        keys, works = np.unique(keys, return_counts=True)
        rows = keys // max(len(offsets), 1)
        start = np.zeros(size + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=size), out=start[1:])
        topic_ids = ids.to_pylist()
        return cls(topic_ids, names.to_pylist(), name_rank, start,
                   (keys % max(len(offsets), 1)).astype(np.int32), works.astype(np.int32),
                   {topic_id: number for number, topic_id in enumerate(topic_ids)})

    def arrays(self) -> dict[str, np.ndarray | pa.Array]:
        """Every array by name, for saving; ``from_arrays`` makes the same topics again."""
        return {"topic_ids": pa.array(self.topic_ids, pa.string()),
                "topic_names": pa.array(self.topic_names, pa.string()),
                "name_rank": self.name_rank, "start": self.start, "topic": self.topic,
                "works": self.works}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray | pa.Array]) -> AuthorTopics:
        topic_ids = arrays["topic_ids"].to_pylist()
        return cls(topic_ids, arrays["topic_names"].to_pylist(), arrays["name_rank"],
                   arrays["start"], arrays["topic"], arrays["works"],
                   {topic_id: number for number, topic_id in enumerate(topic_ids)})

    def of(self, row: int, limit: int) -> list[dict[str, Any]]:
        """The rows of ``author_topics`` for the author at ``row``."""
        span = slice(self.start[row], self.start[row + 1])
        topic, works = self.topic[span], self.works[span]
        best = np.lexsort((self.name_rank[topic], -works.astype(np.int64)))[:max(limit, 0)]
        return [{"id": self.topic_ids[t], "name": self.topic_names[t], "works": w}
                for t, w in zip(topic[best].tolist(), works[best].tolist(), strict=True)]

    def holders(self, topic_id: str) -> tuple[np.ndarray, np.ndarray] | None:
        """The author rows with works on a topic and their works on it (one pass over the
        entries: ~10 ms at 10M authorships), or None for a topic the index does not hold."""
        number = self.number_of.get(topic_id)
        if number is None:
            return None
        entries = np.flatnonzero(self.topic == number)
        return np.searchsorted(self.start, entries, side="right") - 1, self.works[entries]
