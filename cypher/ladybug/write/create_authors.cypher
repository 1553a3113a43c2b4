// Create new authors (their ids are known not to exist yet), with the number of papers
// the same transaction links them to.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {id, name, orcid, name_variants, search_key, name_key, paper_count}
LOAD WITH HEADERS (id STRING, name STRING, orcid STRING, name_variants STRING[],
                   search_key STRING, name_key STRING, paper_count INT64) FROM $rows
CREATE (:Author {id: id, name: name, orcid: orcid, name_variants: name_variants,
                 search_key: search_key, name_key: name_key, paper_count: paper_count})
