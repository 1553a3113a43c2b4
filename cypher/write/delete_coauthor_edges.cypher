// Remove co-author edges (to be written again, or left with no joint paper).
// (Separate MATCH clauses: LadybugDB looks both ends up by key; a WHERE on the far
// end's id makes it scan every edge.)
// @param rows: list  {a, b} with a < b
UNWIND $rows AS r
MATCH (a:Author {id: r.a})
MATCH (b:Author {id: r.b})
MATCH (a)-[e:COAUTHORED_WITH]->(b)
DELETE e
