// The rows of search_papers for papers the in-memory title index found: one key lookup
// each (matching a list of ids with IN would scan every paper).
// @param ids: list  paper ids
UNWIND $ids AS paper_id
MATCH (p:Paper {id: paper_id})
RETURN p.id AS id, p.title AS title, p.year AS year, p.author_count AS authors
