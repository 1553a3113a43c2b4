// Update stored papers.
// @param rows: list  paper properties
UNWIND $rows AS r
MATCH (p:Paper {id: r.id})
SET p.title = r.title, p.year = r.year, p.doi = r.doi, p.arxiv_id = r.arxiv_id,
    p.pmid = r.pmid, p.venue = r.venue, p.type = r.type, p.source = r.source,
    p.author_count = r.author_count, p.search_key = r.search_key,
    p.fingerprint = r.fingerprint, p.publication_date = r.publication_date,
    p.abstract = r.abstract
