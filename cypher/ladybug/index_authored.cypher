// Every authorship as a pair of LadybugDB node offsets (author, paper): read once to build
// the in-memory index of each author's topics (explorer/store/author_topics.py).
MATCH (a:Author)-[:AUTHORED]->(p:Paper)
RETURN offset(id(a)) AS author, offset(id(p)) AS paper
