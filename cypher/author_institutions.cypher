// The institutions an author's works name, with the years they span.
// @param id: string  author id
MATCH (a:Author {id: $id})-[e:AFFILIATED_WITH]->(i:Institution)
RETURN i.id AS id, i.name AS name, i.country AS country, i.ror AS ror,
       e.first_year AS first_year, e.last_year AS last_year
ORDER BY coalesce(last_year, 0) DESC, name
