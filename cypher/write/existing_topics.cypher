// Stored topics among the given ids.
// @param ids: list  topic ids
UNWIND $ids AS id
MATCH (t:Topic {id: id})
RETURN t.id AS id
