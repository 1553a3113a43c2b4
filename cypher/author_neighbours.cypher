// The first ring of a slice around one author in one query: the strongest co-authors within
// a minimum weight and a year range, each with its link to the author, and on every row how
// many co-authors pass the filters in all (so the slice can say how many it leaves out).
// @param id: string  the author at the centre
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
// @param limit: integer  most neighbours to return
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
WITH a, count(n) AS total
MATCH (a)-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN total, n.id AS id, n.name AS name, n.paper_count AS works, e.weight AS weight,
       e.first_year AS first_year, e.last_year AS last_year
ORDER BY weight DESC, works DESC, id
LIMIT $limit
