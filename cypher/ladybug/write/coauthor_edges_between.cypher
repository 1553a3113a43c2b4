// Stored co-author edges of the given pairs (edges point from the smaller id).
// (The far end in an OPTIONAL MATCH: LadybugDB then expands from the looked-up authors
// only; three MATCH clauses made it scan every author and edge, 5 s a call at 10M
// authorships.)
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param pairs: list  {a, b} with a < b
LOAD WITH HEADERS (a STRING, b STRING) FROM $pairs
MATCH (x:Author {id: a})
OPTIONAL MATCH (x)-[e:COAUTHORED_WITH]->(:Author {id: b})
WITH a, b, e
WHERE e IS NOT NULL
RETURN a, b, e.weight AS weight, e.first_year AS first_year, e.last_year AS last_year
