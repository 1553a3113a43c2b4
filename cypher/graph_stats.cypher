// Size of the graph: nodes by label and relationships by type.
OPTIONAL MATCH (a:Author) WITH count(a) AS authors
OPTIONAL MATCH (p:Paper) WITH authors, count(p) AS papers
OPTIONAL MATCH (t:Topic) WITH authors, papers, count(t) AS topics
OPTIONAL MATCH (i:Institution) WITH authors, papers, topics, count(i) AS institutions
OPTIONAL MATCH ()-[r:AUTHORED]->()
WITH authors, papers, topics, institutions, count(r) AS authorships
OPTIONAL MATCH ()-[c:COAUTHORED_WITH]->()
RETURN authors, papers, topics, institutions, authorships, count(c) AS coauthor_pairs
