// Exact joint-paper counts of author pairs, from the stored papers but those given (the
// writer runs it before it writes, leaving out the papers it rewrites or deletes); a
// pair with no such paper is not returned.
// (The joint papers in an OPTIONAL MATCH: LadybugDB then expands from the looked-up
// authors only; a MATCH made it scan every paper, and fill its buffer pool at 10M
// authorships.) LadybugDB runs this file too: given the pairs as an Arrow table (LOAD
// FROM, as the other write queries take their rows), it evaluated the NOT IN filter
// 20 times slower (27 s against 1.4 s for 12,000 pairs at 10M authorships).
// @param pairs: list  {a, b} with a < b
// @param max_authors: integer  papers with more authors add no pairs
// @param without: list  paper ids left out
UNWIND $pairs AS pr
MATCH (a:Author {id: pr.a})
OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(:Author {id: pr.b})
WHERE p.author_count <= $max_authors AND NOT p.id IN $without
WITH pr, count(p) AS weight, min(p.year) AS first_year, max(p.year) AS last_year
WHERE weight > 0
RETURN pr.a AS a, pr.b AS b, weight, first_year, last_year
