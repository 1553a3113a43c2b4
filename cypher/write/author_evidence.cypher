// What identity resolution compares for one stored author: co-authors (their id and
// name block) and institutions.
// @param id: string  author id
MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[:COAUTHORED_WITH]-(c:Author)
WITH a, collect(DISTINCT CASE WHEN c.id STARTS WITH 'name:' THEN c.name_key ELSE c.id END) AS coauthors
OPTIONAL MATCH (a)-[:AFFILIATED_WITH]->(i:Institution)
RETURN coauthors, collect(DISTINCT i.id) AS institutions
