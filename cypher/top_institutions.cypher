// The institutions with most affiliated authors.
// @param limit: integer  institutions to return
MATCH (a:Author)-[:AFFILIATED_WITH]->(i:Institution)
RETURN i.id AS id, i.name AS name, i.country AS country, count(a) AS authors
ORDER BY authors DESC, id
LIMIT $limit
