// Remove the authorships of papers that are being rewritten.
// (The authors in an OPTIONAL MATCH: LadybugDB then expands from the looked-up papers
// only; a MATCH made it scan every author.)
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
OPTIONAL MATCH (:Author)-[r:AUTHORED]->(p)
WITH r
WHERE r IS NOT NULL
DELETE r
