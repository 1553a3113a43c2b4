// Stored co-author edges of the given pairs (edges point from the smaller id).
// (The far end in an OPTIONAL MATCH: LadybugDB then expands from the looked-up authors
// only; three MATCH clauses made it scan every author and edge, 5 s a call at 10M
// authorships.)
// @param pairs: list  {a, b} with a < b
UNWIND $pairs AS pr
MATCH (a:Author {id: pr.a})
OPTIONAL MATCH (a)-[e:COAUTHORED_WITH]->(b:Author {id: pr.b})
WITH a, b, e
WHERE e IS NOT NULL
RETURN a.id AS a, b.id AS b, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
