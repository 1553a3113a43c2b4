// An author's works, newest first (by year, then by date where the source gives one), each
// with its full author list.
// @param id: string  author id
// @param skip: integer  works to skip (paging)
// @param limit: integer  works to return
MATCH (a:Author {id: $id})-[:AUTHORED]->(p:Paper)
WITH p ORDER BY p.year DESC, coalesce(p.publication_date, '') DESC, p.id SKIP $skip LIMIT $limit
MATCH (author:Author)-[r:AUTHORED]->(p)
RETURN p.id AS id, p.title AS title, p.year AS year, p.venue AS venue, p.doi AS doi,
       p.arxiv_id AS arxiv_id, p.type AS type, p.publication_date AS publication_date,
       p.abstract AS abstract,
       collect({id: author.id, name: author.name, position: r.position}) AS authors
ORDER BY year DESC, coalesce(publication_date, '') DESC, id
