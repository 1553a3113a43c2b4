// Stored affiliations of the given authors.
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})-[r:AFFILIATED_WITH]->(i:Institution)
RETURN a.id AS author, i.id AS institution, r.first_year AS first_year,
       r.last_year AS last_year
