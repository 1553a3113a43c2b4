// The joint papers behind one link of a collaboration path (one pair per call: LadybugDB
// looks single ids up by key, but scans for ids UNWIND-ed from a list).
// @param source: string  author id
// @param target: string  author id
// @param max_authors: integer  papers with more authors make no co-author link
MATCH (a:Author {id: $source})
MATCH (b:Author {id: $target})
MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b)
WHERE a.id <> b.id AND p.author_count <= $max_authors
RETURN p.id AS id, p.title AS title, p.year AS year
ORDER BY year DESC, id
