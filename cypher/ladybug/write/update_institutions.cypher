// Update stored institutions.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {id, name, country, ror, search_key}
LOAD WITH HEADERS (id STRING, name STRING, country STRING, ror STRING, search_key STRING)
    FROM $rows
MATCH (i:Institution {id: id})
SET i.name = name, i.country = country, i.ror = ror, i.search_key = search_key
