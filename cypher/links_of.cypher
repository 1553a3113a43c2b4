// The co-author edges, either way round, between one author and a list of others (to join
// people added by an expansion to those already drawn). One source per call, for the
// reason given in slice_neighbours.
// @param id: string  the author
// @param ids: list  the others
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(b:Author)
WHERE b.id IN $ids AND b.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN a.id AS source, b.id AS target, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
