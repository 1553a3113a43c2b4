// Remove co-author edges (to be written again, or left with no joint paper).
// (The far end in an OPTIONAL MATCH: LadybugDB then expands from the looked-up authors
// only; a MATCH made it scan every author and edge.)
// @param rows: list  {a, b} with a < b
UNWIND $rows AS r
MATCH (a:Author {id: r.a})
OPTIONAL MATCH (a)-[e:COAUTHORED_WITH]->(:Author {id: r.b})
WITH e
WHERE e IS NOT NULL
DELETE e
