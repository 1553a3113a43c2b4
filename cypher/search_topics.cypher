// Topics with a name word starting with the folded query.
// @param needle: string  ' ' + folded query
// @param limit: integer  hits to return
MATCH (t:Topic)
WHERE t.search_key CONTAINS $needle
RETURN t.id AS id, t.name AS name
ORDER BY name, id
LIMIT $limit
