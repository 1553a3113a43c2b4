// Link authors to institutions with the years they were seen there.
// LadybugDB types a list field whose values are all null as STRING: years are cast back.
// @param rows: list  {author, institution, first_year, last_year}
UNWIND $rows AS r
MATCH (a:Author {id: r.author})
MATCH (i:Institution {id: r.institution})
CREATE (a)-[:AFFILIATED_WITH {first_year: CAST(r.first_year AS INT64),
                                   last_year: CAST(r.last_year AS INT64)}]->(i)
