"""Shared fixtures. Every test runs with its own cache and config dirs and never sees the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

TESTS = Path(__file__).parent
FIXTURE_CATALOG = TESTS / "data" / "catalog"


@pytest.fixture(scope="session")
def _models_dev_server():
    """One loopback models.dev for the session, serving the real-shaped test fixture."""
    from modelsdev_server import ModelsDevServer

    with ModelsDevServer((TESTS / "data" / "modelsdev" / "models.json").read_bytes(), etag='"fixture"') as srv:
        yield srv


@pytest.fixture(autouse=True)
def models_dev_url(_models_dev_server, monkeypatch: pytest.MonkeyPatch) -> str:
    """`refresh` fetches models.dev beside the Hub: never the real one in tests. A test that wants
    its own server (tests/test_living_*.py) sets QWEN_TUI_MODELS_DEV_URL itself."""
    srv = _models_dev_server
    srv.faults, srv.delay = [], 0.0
    monkeypatch.setenv("QWEN_TUI_MODELS_DEV_URL", srv.url)
    return srv.url


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


@pytest.fixture
def zeta_dir(tmp_path: Path) -> Path:
    """A user catalog folder holding tests/zeta_catalog.py's vendor file."""
    from tests.zeta_catalog import ZETA

    d = tmp_path / "zeta-catalog" / "vendors"
    d.mkdir(parents=True)
    (d / "zeta.toml").write_text(ZETA, "utf-8")
    return d.parent
