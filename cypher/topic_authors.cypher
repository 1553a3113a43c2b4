// The authors with most works on a topic.
// @param id: string  topic id
// @param limit: integer  authors to return
MATCH (t:Topic {id: $id})<-[:HAS_TOPIC]-(p:Paper)<-[:AUTHORED]-(a:Author)
RETURN a.id AS id, a.name AS name, count(p) AS works, a.paper_count AS all_works
ORDER BY works DESC, name, id
LIMIT $limit
