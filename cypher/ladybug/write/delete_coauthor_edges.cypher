// Remove co-author edges (to be written again, or left with no joint paper).
// (The far end in an OPTIONAL MATCH: LadybugDB then expands from the looked-up authors
// only; a MATCH made it scan every author and edge.)
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {a, b} with a < b
LOAD WITH HEADERS (a STRING, b STRING) FROM $rows
MATCH (x:Author {id: a})
OPTIONAL MATCH (x)-[e:COAUTHORED_WITH]->(:Author {id: b})
WITH e
WHERE e IS NOT NULL
DELETE e
