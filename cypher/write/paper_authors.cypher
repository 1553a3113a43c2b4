// The stored byline of papers about to be loaded again, so a reload keeps each
// name-only author it resolved before.
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (a:Author)-[r:AUTHORED]->(p:Paper {id: id})
RETURN p.id AS paper, a.id AS id, r.position AS position, a.name_key AS name_key,
       a.name_variants AS name_variants
