// The co-author edges among the authors of a slice.
// @param ids: list  the authors in the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
UNWIND $ids AS source
MATCH (a:Author {id: source})-[e:COAUTHORED_WITH]->(b:Author)
WHERE b.id IN $ids AND b.id <> a.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN a.id AS source, b.id AS target, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
