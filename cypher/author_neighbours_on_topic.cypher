// The first ring of a slice around one author, keeping only co-authors with works on a
// topic; otherwise as author_neighbours.
// @param id: string  the author at the centre
// @param topic: string  topic id the co-authors must have works on
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
// @param limit: integer  most neighbours to return
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
  AND EXISTS { MATCH (n)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic {id: $topic}) }
WITH a, count(n) AS total
MATCH (a)-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
  AND EXISTS { MATCH (n)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic {id: $topic}) }
RETURN total, n.id AS id, n.name AS name, n.paper_count AS works, e.weight AS weight,
       e.first_year AS first_year, e.last_year AS last_year
ORDER BY weight DESC, works DESC, id
LIMIT $limit
