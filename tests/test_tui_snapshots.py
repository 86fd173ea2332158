"""SVG snapshots of the explorer at 80x24 and 120x40: main screen, an active filter, compare, help,
and the main screen under NO_COLOR. Deterministic: fixture catalog, a cache written with fixed
times and a fixed clock for the age in the header, no blinking cursor.

Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import calendar
import time
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.store import Store
from qwen_tui.tui.app import QwenTuiApp

FETCHED = "2026-04-03T10:00:00Z"
SIZES = [(80, 24), (120, 40)]


def _repo(repo_id: str, **kw) -> HubRepo:
    org = repo_id.split("/")[0]
    return HubRepo(repo_id=repo_id, org=org, vendor=org, fetched_at=FETCHED, **kw)


def build_app(catalog_dir: Path, *, hub: bool = True) -> QwenTuiApp:
    paths = default_paths()
    store = None
    if hub:
        writer = Store.open(paths.cache_db)
        repos = [
            _repo("acme/Acme-1-7B", downloads=120_345, likes=310, license="apache-2.0", children=42),
            _repo("acme/Acme-1-7B-Chat", downloads=98_000, likes=120, license="apache-2.0"),
            _repo("acme/Acme-2-1B", downloads=5_400, likes=12, license="apache-2.0"),
            _repo("acme/Acme-2-70B", downloads=44_000, likes=800, license="other",
                  license_name="acme-community"),
            _repo("acme/Acme-3-8B", downloads=61_000, likes=450, gated="manual", license="other",
                  license_name="acme-community"),
            _repo("acme/acme-embed-v1", downloads=2_000, likes=4, license="mit",
                  created_at="2025-06-01T00:00:00Z"),
        ]
        writer.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                              results=[OrgResult("acme", "acme", True, len(repos), "", FETCHED)],
                              repos=repos, all_orgs=[("acme", "acme")])
        writer.close()
        store = Store.open_readonly(paths.cache_db)
    dataset = Dataset(load_catalog([catalog_dir], bundled=False), store)
    finished = dataset.snapshot.finished_at if dataset.snapshot else FETCHED
    t = calendar.timegm(time.strptime(finished, "%Y-%m-%dT%H:%M:%SZ"))
    return QwenTuiApp(dataset, paths, clock=lambda: t + 3 * 3600)  # "Hub data 3 h old"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, fixture_catalog_dir, size):
    assert snap_compare(build_app(fixture_catalog_dir), press=["j"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_active_filter(snap_compare, fixture_catalog_dir, size):
    keys = ["j", "tab", "slash", *"acme-", "enter", "3", "j"]
    assert snap_compare(build_app(fixture_catalog_dir), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare_screen(snap_compare, fixture_catalog_dir, size):
    keys = ["j", "tab", "space", "j", "space", "G", "space", "c"]
    assert snap_compare(build_app(fixture_catalog_dir), press=keys, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, fixture_catalog_dir, size):
    assert snap_compare(build_app(fixture_catalog_dir), press=["question_mark"], terminal_size=size)


def test_detail_80x24(snap_compare, fixture_catalog_dir):
    keys = ["j", "tab", "j", "j", "j", "enter"]  # Acme-2: two licenses, a dispute
    assert snap_compare(build_app(fixture_catalog_dir), press=keys, terminal_size=(80, 24))


def test_no_color(snap_compare, fixture_catalog_dir, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(fixture_catalog_dir)
    assert app.no_color
    assert snap_compare(app, press=["j", "tab"], terminal_size=(80, 24))
