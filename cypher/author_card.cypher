// An author as a node of a graph slice: one key lookup, no aggregation (author_profile
// counts works, years and co-authors; a slice needs only the stored work count).
// @param id: string  author id
MATCH (a:Author {id: $id})
RETURN a.id AS id, a.name AS name, a.paper_count AS works
