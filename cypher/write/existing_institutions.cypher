// Stored institutions among the given ids.
// @param ids: list  institution ids
UNWIND $ids AS id
MATCH (i:Institution {id: id})
RETURN i.id AS id
