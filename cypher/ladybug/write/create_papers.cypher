// Create new papers.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  paper properties
LOAD WITH HEADERS (id STRING, title STRING, year INT64, doi STRING, arxiv_id STRING,
                   pmid STRING, venue STRING, type STRING, source STRING,
                   author_count INT64, search_key STRING, fingerprint STRING,
                   publication_date STRING, abstract STRING) FROM $rows
CREATE (:Paper {id: id, title: title, year: year, doi: doi, arxiv_id: arxiv_id, pmid: pmid,
                venue: venue, type: type, source: source, author_count: author_count,
                search_key: search_key, fingerprint: fingerprint,
                publication_date: publication_date, abstract: abstract})
