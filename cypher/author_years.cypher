// An author's works counted by publication year (the row with a null year counts the
// undated works), for timelines and the average-year overlay.
// @param id: string  author id
MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)
RETURN p.year AS year, count(p) AS works
ORDER BY year
