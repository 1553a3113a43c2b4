// Remove the topic links of papers that are being rewritten.
// (The topics in an OPTIONAL MATCH: LadybugDB then expands from the looked-up papers
// only; a MATCH made it scan every paper.)
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
OPTIONAL MATCH (p)-[r:HAS_TOPIC]->(:Topic)
WITH r
WHERE r IS NOT NULL
DELETE r
