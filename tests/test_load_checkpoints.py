"""A load into LadybugDB checkpoints its write-ahead log once, at the end, instead of
every 16 MiB: a checkpoint's cost grows with the graph (bench/RESULTS.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.loading import load_paths
from explorer.store.file_marks import database_files, file_marks
from explorer.store.ladybug_engine import LOAD_CHECKPOINT_BYTES, LadybugEngine
from tests.conftest import fresh_store

DEMO = Path(__file__).resolve().parents[1] / "explorer" / "data" / "demo-openalex.jsonl"


def threshold(store) -> int:
    connection = store.engine._connection()
    result = connection.execute("CALL current_setting('checkpoint_threshold') RETURN *")
    return int(result.get_all()[0][0])


def log_file(store) -> Path:
    return database_files(store.engine.path)[1]


def test_a_load_defers_checkpoints_and_checkpoints_at_its_end(tmp_path):
    with fresh_store("ladybug", tmp_path) as store:
        default = threshold(store)
        assert default < LOAD_CHECKPOINT_BYTES
        assert log_file(store).exists(), "the schema's transaction is still in the log"
        with store.engine.many_writes():
            assert threshold(store) == LOAD_CHECKPOINT_BYTES
            with store.transaction() as tx:
                tx.tx.run("CREATE (:Topic {id: 'topic:x', name: 'X'})")
            assert log_file(store).exists()
        assert threshold(store) == default, "the engine's own threshold is back"
        assert not log_file(store).exists(), "checkpointed into the file at the end"

        load_paths(store, "openalex", [DEMO], progress=False)
        assert not log_file(store).exists()
        assert threshold(store) == default
        assert store.query("graph_stats")


def test_the_threshold_comes_back_when_a_load_fails(tmp_path):
    with fresh_store("ladybug", tmp_path) as store:
        default = threshold(store)
        with pytest.raises(RuntimeError, match="stopped"), store.engine.many_writes():
            with store.transaction() as tx:
                tx.tx.run("CREATE (:Topic {id: 'topic:x', name: 'X'})")
            raise RuntimeError("stopped")
        assert threshold(store) == default
        assert store.engine.read("MATCH (t:Topic) RETURN t.id", {}).rows == [["topic:x"]]


def test_a_read_only_store_leaves_the_files_as_they_are(tmp_path):
    with fresh_store("ladybug", tmp_path) as store:
        path = store.engine.path
    marks = file_marks(path)
    engine = LadybugEngine(path, read_only=True)
    try:
        with engine.many_writes():
            assert engine.read("MATCH (t:Topic) RETURN count(t)", {}).rows == [[0]]
    finally:
        engine.close()
    assert file_marks(path) == marks
