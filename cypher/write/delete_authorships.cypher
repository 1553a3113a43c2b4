// Remove the authorships of papers that are being rewritten.
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (:Author)-[r:AUTHORED]->(p:Paper {id: id})
DELETE r
