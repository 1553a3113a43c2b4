// Update stored institutions.
// @param rows: list  {id, name, country, ror, search_key}
UNWIND $rows AS r
MATCH (i:Institution {id: r.id})
SET i.name = r.name, i.country = r.country, i.ror = r.ror, i.search_key = r.search_key
