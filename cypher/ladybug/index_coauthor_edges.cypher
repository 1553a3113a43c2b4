// Every co-author link as a pair of LadybugDB node offsets: read once to build the
// in-memory author index's adjacency (explorer/store/author_index.py).
MATCH (a:Author)-[:COAUTHORED_WITH]->(b:Author)
RETURN offset(id(a)) AS source, offset(id(b)) AS target
