// Record identity decisions (merges and splits) so that later loads repeat them.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {id, author, reason}
LOAD WITH HEADERS (id STRING, author STRING, reason STRING) FROM $rows
CREATE (:Alias {id: id, author: author, reason: reason})
