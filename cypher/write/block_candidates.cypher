// Stored authors whose name falls in one of the given blocks ('smith j').
// @param keys: list  block keys
UNWIND $keys AS key
MATCH (a:Author)
WHERE a.name_key = key
RETURN a.id AS id, a.name_key AS name_key, a.name_variants AS name_variants
