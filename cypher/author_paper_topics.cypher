// The topics of an author's works, one row per work and topic: topics per year on a
// timeline, and the dominant topics of a community (distinct works over its members).
// @param id: string  author id
MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN p.id AS paper, p.year AS year, t.id AS id, t.name AS name
ORDER BY paper, id
