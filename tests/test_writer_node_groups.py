"""A batch whose new authors cross one of LadybugDB's node groups (131,072 nodes): the
engine does not show that transaction's reads every relationship of the nodes it created
(bench/RESULTS.md, eighth round), and recounting their papers there deleted them as
authors without papers (932 authors of a 100,000-authorship append to the 10M graph)."""

from __future__ import annotations

from explorer.records import AuthorRef, Work
from explorer.writer import GraphWriter
from tests.conftest import fresh_store

NODE_GROUP = 131_072


def test_new_authors_across_a_node_group_keep_their_papers(tmp_path):
    with fresh_store("ladybug", tmp_path) as store:
        with store.transaction() as tx:  # stored authors up to just before the boundary
            tx.tx.run("UNWIND range(1, $n) AS i CREATE (:Author {id: 'stored:' + "
                      "CAST(i AS STRING), name: 'Stored', paper_count: 1})",
                      {"n": NODE_GROUP - 1000})
        works = [Work(f"doi:10.1/{i}", f"Paper {i}", 2020,
                      authors=(AuthorRef(f"new:{2 * i}", f"Ada {i}"),
                               AuthorRef(f"new:{2 * i + 1}", f"Bo {i}")))
                 for i in range(1000)]
        summary = GraphWriter(store).write(works)
        assert summary.authors_created == 2000 and summary.authorships == 2000
        counts = store.engine.read(
            "MATCH (a:Author) WHERE a.id STARTS WITH 'new:' "
            "OPTIONAL MATCH (a)-[r:AUTHORED]->(:Paper) "
            "RETURN count(DISTINCT a), count(r), min(a.paper_count), max(a.paper_count)",
            {}).rows
        assert counts == [[2000, 2000, 1, 1]]
        edges = store.engine.read("MATCH ()-[e:COAUTHORED_WITH]->() RETURN count(e)", {}).rows
        assert edges == [[1000]]


def test_a_recount_counts_new_papers_across_a_node_group(tmp_path):
    """A pair that loses a paper is recounted in the transaction that also creates its
    new joint papers."""
    ada, bo = AuthorRef("name:ada", "Ada"), AuthorRef("name:bo", "Bo")
    with fresh_store("ladybug", tmp_path) as store:
        writer = GraphWriter(store)
        writer.write([Work("doi:10.1/old", "Old", 2001, authors=(ada, bo))])
        with store.transaction() as tx:  # stored papers up to just before the boundary
            tx.tx.run("UNWIND range(1, $n) AS i CREATE (:Paper {id: 'stored:' + "
                      "CAST(i AS STRING), title: 'Stored', author_count: 0})",
                      {"n": NODE_GROUP - 1001})
        new = [Work(f"doi:10.1/{i}", f"Paper {i}", 2010, authors=(ada, bo))
               for i in range(2000)]
        writer.write([Work("doi:10.1/old", "Old", 2001, authors=(ada,)), *new])
        edges = store.engine.read("MATCH (a)-[e:COAUTHORED_WITH]->(b) "
                                  "RETURN a.id, b.id, e.weight, e.first_year", {}).rows
        assert edges == [["name:ada", "name:bo", 2000, 2010]]
