// Exact joint-paper counts of author pairs, from the papers (used after a removal).
// @param pairs: list  {a, b} with a < b
// @param max_authors: integer  papers with more authors add no pairs
UNWIND $pairs AS pr
MATCH (a:Author {id: pr.a})
MATCH (b:Author {id: pr.b})
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE p.author_count <= $max_authors
RETURN pr.a AS a, pr.b AS b, count(p) AS weight, min(p.year) AS first_year,
       max(p.year) AS last_year
