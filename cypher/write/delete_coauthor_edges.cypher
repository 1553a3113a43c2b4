// Remove co-author edges (to be written again, or left with no joint paper).
// @param rows: list  {a, b} with a < b
UNWIND $rows AS r
MATCH (a:Author {id: r.a})-[e:COAUTHORED_WITH]->(b:Author)
WHERE b.id = r.b
DELETE e
