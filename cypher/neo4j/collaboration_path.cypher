// The shortest chain of co-authorships between two authors (at most 8 links).
// @param source: string  author id
// @param target: string  author id
MATCH (a:Author {id: $source})
MATCH (b:Author {id: $target})
WHERE a <> b  // Neo4j 5's shortestPath refuses the same node at both ends (LadybugDB: no row)
MATCH p = shortestPath((a)-[:COAUTHORED_WITH*1..8]-(b))
RETURN [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | n.name] AS names
LIMIT 1
