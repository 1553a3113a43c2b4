// The co-author pairs with most joint papers, from a weight floor the caller derives from
// pair_weight_distribution (sorting every pair by weight is much slower than filtering).
// @param min_weight: integer  least joint papers of a pair returned
// @param limit: integer  pairs to return
MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author)
WHERE e.weight >= $min_weight
RETURN a.id AS source, a.name AS source_name, b.id AS target, b.name AS target_name,
       e.weight AS weight, e.first_year AS first_year, e.last_year AS last_year
ORDER BY weight DESC, source, target
LIMIT $limit
