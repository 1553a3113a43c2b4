// Create new institutions.
// @param rows: list  {id, name, country, ror, search_key}
UNWIND $rows AS r
CREATE (:Institution {id: r.id, name: r.name, country: r.country, ror: r.ror,
                      search_key: r.search_key})
