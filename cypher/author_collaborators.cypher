// Close collaborators ranked by joint papers, with the first and last year together.
// @param id: string  author id
// @param limit: integer  collaborators to return
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(co:Author)
WHERE co.id <> a.id
RETURN co.id AS id, co.name AS name, e.weight AS joint_papers, e.first_year AS first_year,
       e.last_year AS last_year, co.paper_count AS works
ORDER BY joint_papers DESC, last_year DESC, name, id
LIMIT $limit
