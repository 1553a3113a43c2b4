// The co-author edges from one author of a slice to the others (edges point from the
// smaller id, so asking every member once returns every edge once).
// One source per call, for the reason given in slice_neighbours.
// @param id: string  a member of the slice
// @param ids: list  all members of the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]->(b:Author)
WHERE b.id IN $ids AND b.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN a.id AS source, b.id AS target, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
