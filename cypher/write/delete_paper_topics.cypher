// Remove the topic links of papers that are being rewritten.
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})-[r:HAS_TOPIC]->(:Topic)
DELETE r
