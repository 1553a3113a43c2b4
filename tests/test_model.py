"""The graph model is declared once and both the LadybugDB schema and the docs follow it."""

from __future__ import annotations

from pathlib import Path

from explorer.model import NODE_PROPERTIES, RELATIONSHIPS

DOC = Path(__file__).resolve().parent.parent / "docs" / "graph-model.md"


def test_ladybug_schema_matches_the_model(tmp_path):
    from tests.conftest import fresh_store

    with fresh_store("ladybug", tmp_path) as store:
        for label, properties in NODE_PROPERTIES.items():
            columns = store.engine.read(f"CALL table_info('{label}') RETURN name, type",
                                        {}).rows
            assert dict(columns) == properties, label
        for rel, (_, _, properties) in RELATIONSHIPS.items():
            columns = store.engine.read(f"CALL table_info('{rel}') RETURN name, type", {}).rows
            assert dict(columns) == properties, rel


def test_every_label_type_and_property_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for label, properties in NODE_PROPERTIES.items():
        assert f"`{label}`" in text
        for name in properties:
            assert f"`{label}.{name}`" in text, f"{label}.{name}"
    for rel, (_, _, properties) in RELATIONSHIPS.items():
        assert f"`{rel}`" in text
        for name in properties:
            assert f"`{rel}.{name}`" in text, f"{rel}.{name}"
