// Remove affiliations that are about to be written again with new years.
// @param rows: list  {author, institution}
UNWIND $rows AS r
MATCH (a:Author {id: r.author})
MATCH (i:Institution {id: r.institution})
MATCH (a)-[e:AFFILIATED_WITH]->(i)
DELETE e
