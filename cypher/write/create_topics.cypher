// Create new topics.
// @param rows: list  {id, name, search_key}
UNWIND $rows AS r
CREATE (:Topic {id: r.id, name: r.name, search_key: r.search_key})
