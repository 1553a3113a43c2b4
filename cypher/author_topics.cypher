// The topics of an author's works, by number of works.
// @param id: string  author id
// @param limit: integer  topics to return
MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, t.name AS name, count(p) AS works
ORDER BY works DESC, name, id
LIMIT $limit
