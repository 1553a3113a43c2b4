// Papers with a title word starting with the folded query.
// @param needle: string  ' ' + folded query
// @param limit: integer  hits to return
MATCH (p:Paper)
WHERE p.search_key CONTAINS $needle
RETURN p.id AS id, p.title AS title, p.year AS year, p.author_count AS authors
ORDER BY year DESC, title, id
LIMIT $limit
