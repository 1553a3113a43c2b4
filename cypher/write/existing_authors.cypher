// Stored authors among the given ids, with the spellings already seen.
// @param ids: list  author ids
UNWIND $ids AS id
MATCH (a:Author {id: id})
RETURN a.id AS id, a.name AS name, a.orcid AS orcid, a.name_variants AS name_variants,
       a.name_key AS name_key
