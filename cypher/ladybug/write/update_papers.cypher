// Update stored papers.
// (LadybugDB form: the rows come as an Arrow table typed by the header list, which
// LadybugDB scans in place; a list of maps costs ~25 µs a row to convert. See
// explorer/store/row_tables.py.)
// @param rows: list  paper properties
LOAD WITH HEADERS (id STRING, title STRING, year INT64, doi STRING, arxiv_id STRING,
                   pmid STRING, venue STRING, type STRING, source STRING,
                   author_count INT64, search_key STRING, fingerprint STRING,
                   publication_date STRING, abstract STRING) FROM $rows
MATCH (p:Paper {id: id})
SET p.title = title, p.year = year, p.doi = doi, p.arxiv_id = arxiv_id, p.pmid = pmid,
    p.venue = venue, p.type = type, p.source = source, p.author_count = author_count,
    p.search_key = search_key, p.fingerprint = fingerprint,
    p.publication_date = publication_date, p.abstract = abstract
