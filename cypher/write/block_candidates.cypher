// Stored authors whose name falls in one of the given blocks ('smith j').
// @param keys: list  block keys
MATCH (a:Author)
WHERE a.name_key IN $keys
RETURN a.id AS id, a.name_variants AS name_variants
