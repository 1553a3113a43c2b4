// Link papers to topics (LadybugDB types a list whose scores are all null as STRING,
// so the score is cast back).
// @param rows: list  {paper, topic, score}
UNWIND $rows AS r
MATCH (p:Paper {id: r.paper})
MATCH (t:Topic {id: r.topic})
CREATE (p)-[:HAS_TOPIC {score: CAST(r.score AS DOUBLE)}]->(t)
