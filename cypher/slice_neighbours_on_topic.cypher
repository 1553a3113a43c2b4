// The strongest co-authors of one author who have works on a topic (a step of a slice
// filtered by topic); otherwise as slice_neighbours.
// @param id: string  the author to expand
// @param topic: string  topic id the co-authors must have works on
// @param exclude: list  authors already in the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
// @param limit: integer  most neighbours to return
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND NOT n.id IN $exclude AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
  AND EXISTS { MATCH (n)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic {id: $topic}) }
RETURN n.id AS id, n.name AS name, n.paper_count AS works, e.weight AS weight
ORDER BY weight DESC, works DESC, id
LIMIT $limit
