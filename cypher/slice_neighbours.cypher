// The strongest co-authors of one author (one step of a neighbourhood slice), within a
// minimum weight and a year range, leaving out authors already in the slice.
// One source per call: LadybugDB plans an expansion from an UNWIND-ed list of ids as a scan
// of every author, but looks a single $id up by key.
// @param id: string  the author to expand
// @param exclude: list  authors already in the slice
// @param min_weight: integer  minimum joint papers
// @param year_from: integer  earliest year of collaboration
// @param year_to: integer  latest year of collaboration
// @param limit: integer  most neighbours to return
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(n:Author)
WHERE n.id <> a.id AND NOT n.id IN $exclude AND e.weight >= $min_weight
  AND coalesce(e.last_year, $year_to) >= $year_from
  AND coalesce(e.first_year, $year_from) <= $year_to
RETURN n.id AS id, n.name AS name, n.paper_count AS works, e.weight AS weight
ORDER BY weight DESC, works DESC, id
LIMIT $limit
