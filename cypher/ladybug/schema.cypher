// LadybugDB schema: typed tables, primary keys enforce id uniqueness.
CREATE NODE TABLE IF NOT EXISTS Author(id STRING PRIMARY KEY, name STRING, orcid STRING, name_variants STRING[], search_key STRING, paper_count INT64, name_key STRING);
// Databases made before Author.name_key existed gain the column (filled as authors are written).
ALTER TABLE Author ADD IF NOT EXISTS name_key STRING;
CREATE NODE TABLE IF NOT EXISTS Paper(id STRING PRIMARY KEY, title STRING, year INT64, doi STRING, arxiv_id STRING, pmid STRING, venue STRING, type STRING, source STRING, author_count INT64, search_key STRING, fingerprint STRING, publication_date STRING, abstract STRING);
// Databases made before the papers' publication dates and abstracts gain the columns (filled
// as papers are written; a reload of the same files fills them, as the fingerprints differ).
ALTER TABLE Paper ADD IF NOT EXISTS publication_date STRING;
ALTER TABLE Paper ADD IF NOT EXISTS abstract STRING;
CREATE NODE TABLE IF NOT EXISTS Topic(id STRING PRIMARY KEY, name STRING, search_key STRING);
CREATE NODE TABLE IF NOT EXISTS Institution(id STRING PRIMARY KEY, name STRING, country STRING, ror STRING, search_key STRING);
CREATE NODE TABLE IF NOT EXISTS Alias(id STRING PRIMARY KEY, author STRING, reason STRING);
CREATE REL TABLE IF NOT EXISTS AUTHORED(FROM Author TO Paper, position INT64);
CREATE REL TABLE IF NOT EXISTS HAS_TOPIC(FROM Paper TO Topic, score DOUBLE);
CREATE REL TABLE IF NOT EXISTS AFFILIATED_WITH(FROM Author TO Institution, first_year INT64, last_year INT64);
CREATE REL TABLE IF NOT EXISTS COAUTHORED_WITH(FROM Author TO Author, weight INT64, first_year INT64, last_year INT64);
