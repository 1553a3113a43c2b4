// Neo4j 5 schema: uniqueness constraints on ids (each backs a range index),
// text indexes for CONTAINS name search, range indexes for derived sort keys.
CREATE CONSTRAINT author_id IF NOT EXISTS FOR (n:Author) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT institution_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE;
CREATE TEXT INDEX author_search IF NOT EXISTS FOR (n:Author) ON (n.search_key);
CREATE TEXT INDEX paper_search IF NOT EXISTS FOR (n:Paper) ON (n.search_key);
CREATE TEXT INDEX topic_search IF NOT EXISTS FOR (n:Topic) ON (n.search_key);
CREATE TEXT INDEX institution_search IF NOT EXISTS FOR (n:Institution) ON (n.search_key);
CREATE INDEX author_orcid IF NOT EXISTS FOR (n:Author) ON (n.orcid);
CREATE INDEX paper_doi IF NOT EXISTS FOR (n:Paper) ON (n.doi);
CREATE INDEX coauthor_weight IF NOT EXISTS FOR ()-[r:COAUTHORED_WITH]-() ON (r.weight);
CREATE CONSTRAINT alias_id IF NOT EXISTS FOR (n:Alias) REQUIRE n.id IS UNIQUE;
CREATE INDEX author_name_key IF NOT EXISTS FOR (n:Author) ON (n.name_key);
CREATE INDEX alias_author IF NOT EXISTS FOR (n:Alias) ON (n.author);
CREATE INDEX paper_pmid IF NOT EXISTS FOR (n:Paper) ON (n.pmid);
// The node every write transaction locks first, so that writers take turns
// (explorer/store/neo4j_engine.py); the constraint keeps it one node.
CREATE CONSTRAINT write_lock_id IF NOT EXISTS FOR (n:WriteLock) REQUIRE n.id IS UNIQUE;
