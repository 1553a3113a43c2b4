// Recorded identity decisions for the given keys (author ids, or 'id on paper id').
// @param ids: list  alias keys
UNWIND $ids AS id
MATCH (x:Alias {id: id})
RETURN x.id AS id, x.author AS author
