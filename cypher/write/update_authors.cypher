// Update stored authors.
// @param rows: list  {id, name, orcid, name_variants, search_key, name_key}
UNWIND $rows AS r
MATCH (a:Author {id: r.id})
SET a.name = r.name, a.orcid = r.orcid, a.name_variants = r.name_variants,
    a.search_key = r.search_key, a.name_key = r.name_key
