// Size of the graph: nodes by label and relationships by type, one row each.
// (Standalone counts answer from the engines' counts instead of scanning.)
MATCH (n:Author) RETURN 'authors' AS what, count(*) AS total
UNION ALL
MATCH (n:Paper) RETURN 'papers' AS what, count(*) AS total
UNION ALL
MATCH (n:Topic) RETURN 'topics' AS what, count(*) AS total
UNION ALL
MATCH (n:Institution) RETURN 'institutions' AS what, count(*) AS total
UNION ALL
MATCH ()-[r:AUTHORED]->() RETURN 'authorships' AS what, count(*) AS total
UNION ALL
MATCH ()-[r:COAUTHORED_WITH]->() RETURN 'coauthor_pairs' AS what, count(*) AS total
