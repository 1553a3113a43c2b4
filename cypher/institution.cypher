// One institution with its number of affiliated authors.
// @param id: string  institution id
MATCH (i:Institution {id: $id})
OPTIONAL MATCH (a:Author)-[:AFFILIATED_WITH]->(i)
RETURN i.id AS id, i.name AS name, i.country AS country, i.ror AS ror, count(a) AS authors
