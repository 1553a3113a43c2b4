// Create new papers.
// @param rows: list  paper properties
UNWIND $rows AS r
CREATE (:Paper {id: r.id, title: r.title, year: r.year, doi: r.doi, arxiv_id: r.arxiv_id,
                pmid: r.pmid, venue: r.venue, type: r.type, source: r.source,
                author_count: r.author_count, search_key: r.search_key,
                fingerprint: r.fingerprint, publication_date: r.publication_date,
                abstract: r.abstract})
