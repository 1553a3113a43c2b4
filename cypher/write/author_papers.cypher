// The papers of one author.
// @param id: string  author id
MATCH (:Author {id: $id})-[:AUTHORED]->(p:Paper)
RETURN p.id AS id
