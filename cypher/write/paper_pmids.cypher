// The PubMed id stored on papers, by paper id: a PubMed record whose DOI is already another
// PMID's paper is a paper of its own (explorer.paper_claims).
// @param ids: list  paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
RETURN p.id AS id, p.pmid AS pmid
