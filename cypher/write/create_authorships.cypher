// Link authors to papers.
// @param rows: list  {author, paper, position}
UNWIND $rows AS r
MATCH (a:Author {id: r.author})
MATCH (p:Paper {id: r.paper})
CREATE (a)-[:AUTHORED {position: r.position}]->(p)
