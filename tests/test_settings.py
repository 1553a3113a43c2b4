"""Settings are declared once, validated, and every one is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.settings import SETTINGS, SettingError, load_config

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented(setting):
    text = README.read_text(encoding="utf-8")
    assert f"`{setting.env}`" in text, f"README must document {setting.env}"


def test_precedence_and_validation():
    config = load_config({"max_rows": 5}, environ={"COAUTHOR_EXPLORER_MAX_ROWS": "7",
                                                  "COAUTHOR_EXPLORER_QUERY_TIMEOUT_MS": "9"})
    assert (config.max_rows, config.query_timeout_ms) == (5, 9)
    assert config.engine == "ladybug"
    assert load_config(environ={"NEO4J_URI": "bolt://x"}).engine == "neo4j"
    with pytest.raises(SettingError, match=r"neo4j_uri .* bolt://"):
        load_config(environ={"NEO4J_URI": "http://localhost:7474"})
    with pytest.raises(SettingError, match="query_timeout_ms"):
        load_config(environ={"COAUTHOR_EXPLORER_QUERY_TIMEOUT_MS": "-1"})
