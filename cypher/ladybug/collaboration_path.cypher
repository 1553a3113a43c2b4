// The shortest chain of co-authorships between two authors (at most 8 links).
// @param source: string  author id
// @param target: string  author id
MATCH p = (a:Author {id: $source})-[:COAUTHORED_WITH* SHORTEST 1..8]-(b:Author {id: $target})
RETURN properties(nodes(p), 'id') AS ids, properties(nodes(p), 'name') AS names
LIMIT 1
