// Forget identity decisions.
// @param ids: list  alias keys
UNWIND $ids AS id
MATCH (x:Alias {id: id})
DELETE x
