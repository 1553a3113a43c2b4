// Every paper's id and search key, in the order search_papers answers in: read once to
// build the in-memory index of title words (explorer/store/paper_titles.py).
MATCH (p:Paper)
RETURN p.id AS id, p.search_key AS search_key
ORDER BY p.year DESC, p.title, p.id
