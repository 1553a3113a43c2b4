// How many co-authors of an author within the filters, with works on a topic, a slice
// leaves out.
// @param id: string  author id
// @param exclude: list  the people the slice shows
// @param topic: string  topic id
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND NOT n.id IN $exclude AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
  AND EXISTS { MATCH (n)-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(:Topic {id: $topic}) }
RETURN count(n) AS neighbours
