// Update stored authors.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {id, name, orcid, name_variants, search_key, name_key}
LOAD WITH HEADERS (id STRING, name STRING, orcid STRING, name_variants STRING[],
                   search_key STRING, name_key STRING) FROM $rows
MATCH (a:Author {id: id})
SET a.name = name, a.orcid = orcid, a.name_variants = name_variants,
    a.search_key = search_key, a.name_key = name_key
