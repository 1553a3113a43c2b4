// Stored co-author edges leaving the given authors (edges point from the smaller id).
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})-[e:COAUTHORED_WITH]->(b:Author)
RETURN a.id AS a, b.id AS b, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
