// The authors with most works.
// @param limit: integer  authors to return
MATCH (a:Author)
RETURN a.id AS id, a.name AS name, a.paper_count AS works
ORDER BY works DESC, id
LIMIT $limit
