// The topics with most works.
// @param limit: integer  topics to return
MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN t.id AS id, t.name AS name, count(p) AS works
ORDER BY works DESC, id
LIMIT $limit
