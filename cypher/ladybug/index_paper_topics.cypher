// Every topic of every paper as a pair of LadybugDB node offsets (paper, topic): read once
// to build the in-memory index of each author's topics (explorer/store/author_topics.py).
MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)
RETURN offset(id(p)) AS paper, offset(id(t)) AS topic
