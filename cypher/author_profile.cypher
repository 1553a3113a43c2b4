// One author with the quick-read figures: works, years active, co-authors.
// @param id: string  author id
MATCH (a:Author {id: $id})
OPTIONAL MATCH (a)-[:AUTHORED]->(p:Paper)
WITH a, count(p) AS works, min(p.year) AS first_year, max(p.year) AS last_year
OPTIONAL MATCH (a)-[e:COAUTHORED_WITH]-(co:Author)
RETURN a.id AS id, a.name AS name, a.orcid AS orcid, a.name_variants AS name_variants,
       works, first_year, last_year, count(co) AS coauthors
