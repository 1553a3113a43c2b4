// The authors affiliated with an institution, most prolific first.
// @param id: string  institution id
// @param limit: integer  authors to return
MATCH (a:Author)-[e:AFFILIATED_WITH]->(i:Institution {id: $id})
RETURN a.id AS id, a.name AS name, a.paper_count AS works, e.first_year AS first_year,
       e.last_year AS last_year
ORDER BY works DESC, name, id
LIMIT $limit
