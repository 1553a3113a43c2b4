// Create new authors (their ids are known not to exist yet), with the number of papers
// the same transaction links them to.
// @param rows: list  {id, name, orcid, name_variants, search_key, name_key, paper_count}
UNWIND $rows AS r
CREATE (:Author {id: r.id, name: r.name, orcid: r.orcid, name_variants: r.name_variants,
                 search_key: r.search_key, name_key: r.name_key,
                 paper_count: r.paper_count})
