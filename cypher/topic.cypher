// One topic with its number of works.
// @param id: string  topic id
MATCH (t:Topic {id: $id})
OPTIONAL MATCH (t)<-[:HAS_TOPIC]-(p:Paper)
RETURN t.id AS id, t.name AS name, count(p) AS works
