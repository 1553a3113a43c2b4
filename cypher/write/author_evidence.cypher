// What identity resolution compares for one stored author: its co-authors (id, name key,
// spellings) and its institutions.
// (Edges point from the smaller id, so each direction is expanded on its own: LadybugDB
// plans the undirected pattern as a scan, 0.1-0.5 s a call at 10M authorships.)
// @param id: string  author id
MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[:COAUTHORED_WITH]->(c:Author)
WITH a, collect({id: c.id, key: c.name_key, names: c.name_variants}) AS later
OPTIONAL MATCH (a)<-[:COAUTHORED_WITH]-(c:Author)
WITH a, later, collect({id: c.id, key: c.name_key, names: c.name_variants}) AS earlier
OPTIONAL MATCH (a)-[:AFFILIATED_WITH]->(i:Institution)
RETURN later + earlier AS coauthors, collect(i.id) AS institutions
