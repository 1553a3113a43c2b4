"""coauthor-explorer: co-authorship graphs on Neo4j 5 or embedded LadybugDB."""

__version__ = "0.1.0"
