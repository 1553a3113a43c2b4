// Remove affiliations that are about to be written again with new years.
// @param rows: list  {author, institution}
UNWIND $rows AS r
MATCH (a:Author {id: r.author})-[e:AFFILIATED_WITH]->(i:Institution)
WHERE i.id = r.institution
DELETE e
