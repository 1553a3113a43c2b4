// Remove authors with everything attached to them (after a merge moved their papers).
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})
DETACH DELETE a
