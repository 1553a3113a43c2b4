"""The analyst's console: read-only Cypher with parameters, a time limit and a row cap, stored
queries, and their answers as JSON, CSV and graphs. The web console (``/cypher``,
``/api/cypher``), the stored queries (``/api/queries``) and ``coauthor-explorer query`` all
run through :func:`explorer.console.run.run_console`."""
