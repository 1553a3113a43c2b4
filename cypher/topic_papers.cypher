// The most recent papers on a topic.
// @param id: string  topic id
// @param limit: integer  papers to return
MATCH (t:Topic {id: $id})<-[h:HAS_TOPIC]-(p:Paper)
RETURN p.id AS id, p.title AS title, p.year AS year, h.score AS score
ORDER BY year DESC, id
LIMIT $limit
