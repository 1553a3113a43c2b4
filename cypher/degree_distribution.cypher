// How many authors have each number of co-authors (authors without any are not counted
// here: they are the authors the graph_stats count has beyond this total).
MATCH (a:Author)-[e:COAUTHORED_WITH]-(:Author)
WITH a, count(e) AS degree
RETURN degree, count(*) AS authors
ORDER BY degree
