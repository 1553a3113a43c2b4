// How many co-author pairs have each number of joint papers (weight).
MATCH (:Author)-[e:COAUTHORED_WITH]->(:Author)
RETURN e.weight AS weight, count(*) AS pairs
ORDER BY weight
