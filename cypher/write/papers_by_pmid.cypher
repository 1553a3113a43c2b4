// Papers known by PubMed ids (a paper with a DOI has a doi: id, so PubMed's deletions,
// which name PMIDs, find it here).
// @param pmids: list  PubMed ids
UNWIND $pmids AS pmid
MATCH (p:Paper)
WHERE p.pmid = pmid
RETURN p.id AS id
