// Institutions with a name word starting with the folded query.
// @param needle: string  ' ' + folded query
// @param limit: integer  hits to return
MATCH (i:Institution)
WHERE i.search_key CONTAINS $needle
RETURN i.id AS id, i.name AS name, i.country AS country
ORDER BY name, id
LIMIT $limit
