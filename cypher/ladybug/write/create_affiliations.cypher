// Link authors to institutions with the years they were seen there.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {author, institution, first_year, last_year}
LOAD WITH HEADERS (author STRING, institution STRING, first_year INT64, last_year INT64)
    FROM $rows
MATCH (a:Author {id: author})
MATCH (i:Institution {id: institution})
CREATE (a)-[:AFFILIATED_WITH {first_year: first_year, last_year: last_year}]->(i)
