// Link papers to topics.
// @param rows: list  {paper, topic, score}
UNWIND $rows AS r
MATCH (p:Paper {id: r.paper})
MATCH (t:Topic {id: r.topic})
CREATE (p)-[:HAS_TOPIC {score: r.score}]->(t)
