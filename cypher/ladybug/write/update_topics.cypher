// Update stored topics.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {id, name, search_key}
LOAD WITH HEADERS (id STRING, name STRING, search_key STRING) FROM $rows
MATCH (t:Topic {id: id})
SET t.name = name, t.search_key = search_key
