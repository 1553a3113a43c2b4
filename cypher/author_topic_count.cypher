// How many topics an author's works have.
// @param id: string  author id
MATCH (a:Author {id: $id})-[:AUTHORED]->(:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN count(DISTINCT t) AS topics
