// The stored byline of papers about to be loaded again, so a reload keeps each
// name-only author it resolved before.
// (The authors in an OPTIONAL MATCH: LadybugDB then expands from the looked-up papers
// only; a MATCH made it scan every author.)
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(p)
WITH p, a, r
WHERE r IS NOT NULL
RETURN p.id AS paper, a.id AS id, r.position AS position, a.name_key AS name_key,
       a.name_variants AS name_variants
