// Refresh the derived paper count of authors.
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})
OPTIONAL MATCH (a)-[r:AUTHORED]->(:Paper)
WITH a, count(r) AS papers
SET a.paper_count = papers
