// Stored co-author edges of the given pairs (edges point from the smaller id).
// @param pairs: list  {a, b} with a < b
UNWIND $pairs AS pr
MATCH (a:Author {id: pr.a})
MATCH (b:Author {id: pr.b})
MATCH (a)-[e:COAUTHORED_WITH]->(b)
RETURN a.id AS a, b.id AS b, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
