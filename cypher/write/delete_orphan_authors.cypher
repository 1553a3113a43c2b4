// Remove authors left without any paper (after a deletion, a rewrite or a merge).
// @param ids: list  author ids (their paper counts are already refreshed)
UNWIND $ids AS id
MATCH (a:Author {id: id})
WHERE a.paper_count = 0
DETACH DELETE a
