// Create co-author edges, from the smaller id to the larger.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {a, b, weight, first_year, last_year}
LOAD WITH HEADERS (a STRING, b STRING, weight INT64, first_year INT64, last_year INT64)
    FROM $rows
MATCH (x:Author {id: a})
MATCH (y:Author {id: b})
CREATE (x)-[:COAUTHORED_WITH {weight: weight, first_year: first_year,
                              last_year: last_year}]->(y)
