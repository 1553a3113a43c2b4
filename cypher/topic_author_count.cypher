// How many people have works on a topic.
// @param id: string  topic id
MATCH (t:Topic {id: $id})<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(a:Author)
RETURN count(DISTINCT a) AS authors
