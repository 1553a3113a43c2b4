// Stored affiliations of the given authors.
// (The institutions in an OPTIONAL MATCH: LadybugDB then expands from the looked-up
// authors only; a MATCH made it scan every author.)
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})
OPTIONAL MATCH (a)-[r:AFFILIATED_WITH]->(i:Institution)
WITH a, r, i
WHERE r IS NOT NULL
RETURN a.id AS author, i.id AS institution, r.first_year AS first_year,
       r.last_year AS last_year
