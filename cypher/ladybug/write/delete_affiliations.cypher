// Remove affiliations that are about to be written again with new years.
// (The institution in an OPTIONAL MATCH: LadybugDB then expands from the looked-up
// authors only; three MATCH clauses took twice as long, 2,000 rows at 1M authorships.)
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {author, institution}
LOAD WITH HEADERS (author STRING, institution STRING) FROM $rows
MATCH (a:Author {id: author})
OPTIONAL MATCH (a)-[e:AFFILIATED_WITH]->(:Institution {id: institution})
WITH e
WHERE e IS NOT NULL
DELETE e
