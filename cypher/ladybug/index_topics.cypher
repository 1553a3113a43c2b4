// Every topic by LadybugDB node offset, with its id and name: read once to build the
// in-memory index of each author's topics (explorer/store/author_topics.py).
MATCH (t:Topic)
RETURN offset(id(t)) AS offset, t.id AS id, t.name AS name
