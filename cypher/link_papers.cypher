// The joint papers behind each link of a collaboration path.
// @param pairs: list  {a, b} author id pairs
// @param max_authors: integer  papers with more authors make no co-author link
UNWIND $pairs AS pr
MATCH (a:Author {id: pr.a})
MATCH (b:Author {id: pr.b})
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE a.id <> b.id AND p.author_count <= $max_authors
RETURN pr.a AS source, pr.b AS target, p.id AS id, p.title AS title, p.year AS year
ORDER BY source, target, year DESC, id
