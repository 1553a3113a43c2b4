// Link authors to institutions with the years they were seen there.
// @param rows: list  {author, institution, first_year, last_year}
UNWIND $rows AS r
MATCH (a:Author {id: r.author})
MATCH (i:Institution {id: r.institution})
CREATE (a)-[:AFFILIATED_WITH {first_year: r.first_year, last_year: r.last_year}]->(i)
