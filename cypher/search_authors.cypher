// Authors whose name (any spelling) has a word starting with the folded query;
// whole-name prefixes first, then the most prolific.
// @param needle: string  ' ' + folded query, from explorer.names.search_needle
// @param limit: integer  hits to return
MATCH (a:Author)
WHERE a.search_key CONTAINS $needle
RETURN a.id AS id, a.name AS name, a.paper_count AS works, a.orcid AS orcid,
       CASE WHEN a.search_key STARTS WITH $needle THEN 0 ELSE 1 END AS rank
ORDER BY rank, works DESC, name, id
LIMIT $limit
