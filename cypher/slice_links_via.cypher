// The co-author edges from the co-authors of one author to the rest of a slice: one key
// lookup and two hops instead of a query per person. Edges point from the smaller id, so
// an edge between two co-authors of $via comes back once; edges of $via itself are left
// out (the first ring carries them).
// @param via: string  the author whose co-authors' edges to return
// @param ids: list  the people of the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
MATCH (h:Author {id: $via})-[:COAUTHORED_WITH]-(m:Author)
WHERE m.id IN $ids AND m.id <> h.id
MATCH (m)-[e:COAUTHORED_WITH]->(n:Author)
WHERE n.id IN $ids AND n.id <> m.id AND n.id <> h.id AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN m.id AS source, n.id AS target, e.weight AS weight, e.first_year AS first_year,
       e.last_year AS last_year
