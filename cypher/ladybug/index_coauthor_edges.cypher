// Every co-author link as a pair of LadybugDB node offsets with its weight and years: read
// once to build the in-memory author index's adjacency (explorer/store/author_index.py).
MATCH (a:Author)-[e:COAUTHORED_WITH]->(b:Author)
RETURN offset(id(a)) AS source, offset(id(b)) AS target, e.weight AS weight,
       e.first_year AS first_year, e.last_year AS last_year
