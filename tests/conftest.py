"""Shared fixtures. Every test runs with its own cache and config dirs and never sees the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE_CATALOG = TESTS / "data" / "catalog"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    cache = tmp_path / "cache"
    config = tmp_path / "config"
    hf_home = tmp_path / "hf_home"
    monkeypatch.setenv("QWEN_TUI_CACHE_DIR", str(cache))
    monkeypatch.setenv("QWEN_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return {"cache": cache, "config": config, "hf_home": hf_home}


@pytest.fixture
def fixture_catalog_dir() -> Path:
    """A small fictional catalog (vendors 'acme' and 'globex') for deterministic tests."""
    return FIXTURE_CATALOG
