// One paper with its authors in order and its topics.
// @param id: string  paper id
MATCH (p:Paper {id: $id})
OPTIONAL MATCH (a:Author)-[r:AUTHORED]->(p)
WITH p, collect({id: a.id, name: a.name, position: r.position, works: a.paper_count}) AS authors
OPTIONAL MATCH (p)-[h:HAS_TOPIC]->(t:Topic)
RETURN p.id AS id, p.title AS title, p.year AS year, p.doi AS doi, p.arxiv_id AS arxiv_id,
       p.pmid AS pmid, p.venue AS venue, p.type AS type, p.source AS source,
       p.author_count AS author_count, p.publication_date AS publication_date,
       p.abstract AS abstract, authors,
       collect({id: t.id, name: t.name, score: h.score}) AS topics
