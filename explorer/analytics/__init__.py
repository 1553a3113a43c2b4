"""Collaboration analytics on the graph: communities, centralities and brokers in a
neighbourhood slice, an author's timeline, and an overview of the whole graph.

Graph algorithms run in networkx on the slices the store returns (``network``,
``communities``, ``centrality``); everything else comes from named queries (``timeline``,
``overview``). ``slice_analysis`` puts a slice and its measures together for the API, the
CLI and the GraphML/GEXF exports (``export``). docs/analytics.md says what each measure means.
"""
