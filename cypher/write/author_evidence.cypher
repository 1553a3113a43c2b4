// What identity resolution compares for one stored author: its co-authors (id, name key,
// spellings) and its institutions.
// @param id: string  author id
MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[:COAUTHORED_WITH]-(c:Author)
WITH a, collect({id: c.id, key: c.name_key, names: c.name_variants}) AS coauthors
OPTIONAL MATCH (a)-[:AFFILIATED_WITH]->(i:Institution)
RETURN coauthors, collect(i.id) AS institutions
