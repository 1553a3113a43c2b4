// Update stored topics.
// @param rows: list  {id, name, search_key}
UNWIND $rows AS r
MATCH (t:Topic {id: r.id})
SET t.name = r.name, t.search_key = r.search_key
