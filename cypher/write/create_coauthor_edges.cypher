// Create co-author edges, from the smaller id to the larger.
// @param rows: list  {a, b, weight, first_year, last_year}
UNWIND $rows AS r
MATCH (a:Author {id: r.a})
MATCH (b:Author {id: r.b})
CREATE (a)-[:COAUTHORED_WITH {weight: r.weight, first_year: r.first_year,
                              last_year: r.last_year}]->(b)
