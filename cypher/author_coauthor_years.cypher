// An author's co-authors counted by the year of their first joint paper (new co-authors
// per year; a null year counts pairs whose joint papers are undated).
// @param id: string  author id
MATCH (a:Author {id: $id})-[e:COAUTHORED_WITH]-(co:Author)
WHERE co.id <> a.id
RETURN e.first_year AS year, count(co) AS coauthors
ORDER BY year
