// Size of the graph: nodes by label and relationships by type, one row each.
// Each branch counts in a WITH before it names its row: both engines then answer from
// their stored counts instead of scanning (LadybugDB scans a branch that returns the
// name beside count(*): 0.5 s against 30 ms for the whole query at 10M authorships).
MATCH (n:Author) WITH count(*) AS total RETURN 'authors' AS what, total
UNION ALL
MATCH (n:Paper) WITH count(*) AS total RETURN 'papers' AS what, total
UNION ALL
MATCH (n:Topic) WITH count(*) AS total RETURN 'topics' AS what, total
UNION ALL
MATCH (n:Institution) WITH count(*) AS total RETURN 'institutions' AS what, total
UNION ALL
MATCH ()-[r:AUTHORED]->() WITH count(*) AS total RETURN 'authorships' AS what, total
UNION ALL
MATCH ()-[r:COAUTHORED_WITH]->() WITH count(*) AS total RETURN 'coauthor_pairs' AS what, total
