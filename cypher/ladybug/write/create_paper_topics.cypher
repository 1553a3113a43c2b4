// Link papers to topics.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {paper, topic, score}
LOAD WITH HEADERS (paper STRING, topic STRING, score DOUBLE) FROM $rows
MATCH (p:Paper {id: paper})
MATCH (t:Topic {id: topic})
CREATE (p)-[:HAS_TOPIC {score: score}]->(t)
