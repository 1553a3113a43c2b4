// Every author with what name search needs, by LadybugDB node offset: read once to build
// the in-memory author index (explorer/store/author_index.py).
MATCH (a:Author)
RETURN offset(id(a)) AS offset, a.id AS id, a.name AS name, a.orcid AS orcid,
       a.search_key AS search_key, a.paper_count AS works
