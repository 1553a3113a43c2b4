// Link authors to papers.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  {author, paper, position}
LOAD WITH HEADERS (author STRING, paper STRING, position INT64) FROM $rows
MATCH (a:Author {id: author})
MATCH (p:Paper {id: paper})
CREATE (a)-[:AUTHORED {position: position}]->(p)
