"""SVG snapshots of the Trends view (`t`): 80x24 (per year), 120x40 (per quarter) and NO_COLOR.

The synthetic pivot catalog of tests/data/pivot (a closing, an opening, a vendor that flips back
and forth) with its flagship facts, no cache: deterministic, and both shift marks show.
Regenerate with `pytest tests/test_tui_trends_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import calendar
import time
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.shiftmarks import flagship_shifts

PIVOT = Path(__file__).parent / "data" / "pivot"
SIZES = [(80, 24), (120, 40)]


def build_app() -> QwenTuiApp:
    dataset = Dataset(load_catalog([PIVOT], bundled=False))
    t = calendar.timegm(time.strptime("2026-04-03T10:00:00Z", "%Y-%m-%dT%H:%M:%SZ"))
    return QwenTuiApp(dataset, default_paths(), clock=lambda: t,
                      shift_source=flagship_shifts([PIVOT], bundled=False))


async def shifts_loaded(pilot) -> None:
    """The shifts are computed in a worker after the first frame: wait for them."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_trends_view(snap_compare, size):
    # Down to the vendor that closed, one period back: the cursor cell and its line of words.
    assert snap_compare(build_app(), press=["t", "j", "h"], terminal_size=size, run_before=shifts_loaded)


def test_trends_view_no_color(snap_compare, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app()
    assert app.no_color
    assert snap_compare(app, press=["t", "j"], terminal_size=(80, 24), run_before=shifts_loaded)


def test_timeline_limited_to_a_trends_cell_80x24(snap_compare):
    # enter on the closer's newest year: its timeline in that year, the shift marked, the period
    # in the filter bar and the closing in the vendor's heading.
    assert snap_compare(build_app(), press=["t", "j", "enter"], terminal_size=(80, 24),
                        run_before=shifts_loaded)
