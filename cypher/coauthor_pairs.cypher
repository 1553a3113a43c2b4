// Every co-author pair as two ids (one row per pair), for connected components of the
// whole graph; the overview reads it only below a size limit (components_max_pairs).
MATCH (a:Author)-[:COAUTHORED_WITH]->(b:Author)
RETURN a.id AS source, b.id AS target
