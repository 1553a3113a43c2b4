// The strongest co-authors of a set of authors (one ring of a neighbourhood slice),
// within a minimum weight and a year range, leaving out authors already in the slice.
// @param ids: list  the authors to expand
// @param exclude: list  authors already in the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
// @param limit: integer  most neighbours to return
UNWIND $ids AS source
MATCH (a:Author {id: source})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND NOT n.id IN $exclude AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
WITH n, max(e.weight) AS strongest, sum(e.weight) AS total
RETURN n.id AS id, n.name AS name, n.paper_count AS works, strongest, total
ORDER BY strongest DESC, total DESC, id
LIMIT $limit
