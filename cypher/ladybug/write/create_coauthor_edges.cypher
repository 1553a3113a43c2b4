// Create co-author edges, from the smaller id to the larger.
// LadybugDB types a list field whose values are all null as STRING: years are cast back.
// @param rows: list  {a, b, weight, first_year, last_year}
UNWIND $rows AS r
MATCH (a:Author {id: r.a})
MATCH (b:Author {id: r.b})
CREATE (a)-[:COAUTHORED_WITH {weight: r.weight, first_year: CAST(r.first_year AS INT64),
                              last_year: CAST(r.last_year AS INT64)}]->(b)
