// Remove papers with their authorships and topic links (a source deleted them).
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
DETACH DELETE p
