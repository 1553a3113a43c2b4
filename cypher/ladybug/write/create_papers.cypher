// Create new papers.
// LadybugDB types a list field whose values are all null as STRING: years are cast back.
// @param rows: list  paper properties
UNWIND $rows AS r
CREATE (:Paper {id: r.id, title: r.title, year: CAST(r.year AS INT64), doi: r.doi, arxiv_id: r.arxiv_id,
                pmid: r.pmid, venue: r.venue, type: r.type, source: r.source,
                author_count: r.author_count, search_key: r.search_key,
                fingerprint: r.fingerprint})
