// Create new authors (their ids are known not to exist yet).
// @param rows: list  {id, name, orcid, name_variants, search_key, name_key}
UNWIND $rows AS r
CREATE (:Author {id: r.id, name: r.name, orcid: r.orcid, name_variants: r.name_variants,
                 search_key: r.search_key, name_key: r.name_key, paper_count: 0})
