"""A seconds-long run of bench/analytics.py so that it never rots (figures are not checked)."""

from __future__ import annotations

from bench import analytics, bulk_load
from explorer.analytics import centrality


def test_analytics_benchmark_runs(tmp_path, capsys, monkeypatch):
    db = tmp_path / "smoke.lbdb"
    bulk_load.main(["--authorships", "3k", "--db", str(db), "--no-record"])
    capsys.readouterr()
    monkeypatch.setattr(centrality, "EXACT_BETWEENNESS_MAX_NODES", 40)
    monkeypatch.setattr(centrality, "BETWEENNESS_SAMPLES", 10)
    analytics.main(["--sizes", "30", "60", "--authorships", "3k", "--runs", "1",
                    "--db", str(db), "--db-sizes", "20", "--overview", "--no-record"])
    out = capsys.readouterr().out
    for step in ("Louvain communities", "betweenness (exact up to 40, else 10 sampled",
                 "PageRank", "brokers", "sampled sources find", "analyse_author depth 2",
                 "degree_distribution", "top_pairs", "components ("):
        assert step in out, step
