// The stored state of papers about to be written: fingerprint, year and author ids.
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
OPTIONAL MATCH (a:Author)-[:AUTHORED]->(p)
RETURN p.id AS id, p.fingerprint AS fingerprint, p.year AS year, collect(a.id) AS authors
