"""The explorer half of issue 15, driven by the pilot: the Trends view (`t`), a cell's `enter` into
the vendor's timeline limited to that period, policy-shift marks, and the commercial filter (`m`).

Real app, real data: the bundled catalog (whose sourced flagships yield OpenAI's 2025-08 opening)
and the synthetic pivot catalog of tests/data/pivot (a closing and an opening).
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.cli import main as cli_main
from qwen_tui.model import PartialDate, Status
from qwen_tui.paths import default_paths
from qwen_tui.pivot.trends import period_of
from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.config import Config
from qwen_tui.tui.screens.main import MainScreen
from qwen_tui.tui.shiftmarks import flagship_shifts

PIVOT = Path(__file__).parent / "data" / "pivot"
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def bundled_app(**kw) -> QwenTuiApp:
    paths = default_paths()
    return QwenTuiApp(Dataset.load(paths, use_cache=False), paths,
                      shift_source=flagship_shifts(), **kw)


def pivot_app() -> QwenTuiApp:
    cat = load_catalog([PIVOT], bundled=False)
    return QwenTuiApp(Dataset(cat), default_paths(), shift_source=flagship_shifts([PIVOT], bundled=False))


async def started(app: QwenTuiApp, pilot) -> MainScreen:
    """Wait until the first frame is out and the shifts worker (started after it) is done."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def press(pilot, *keys: str) -> None:
    for k in keys:
        await pilot.press(k)
    await pilot.pause()


def entries(screen: MainScreen) -> list[Entry]:
    return [r for r in screen.query_one("#timeline").rows if isinstance(r, Entry)]


def filterbar(screen: MainScreen) -> str:
    return str(screen.query_one("#filterbar").render())


def title(widget) -> str:
    """A border title as read on screen (the property gives it back as markup)."""
    from rich.text import Text

    return Text.from_markup(widget.border_title).plain


def list_rows(capsys, vendor: str) -> list[dict]:
    assert cli_main(["list", "--vendor", vendor, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def chart_row_index(app: QwenTuiApp, vendor: str | None) -> int:
    return next(i for i, r in enumerate(app.screen.query_one("#trends-chart").chart_rows) if r.vendor == vendor)


async def goto_cell(app: QwenTuiApp, pilot, vendor: str | None, period: str) -> None:
    """Move the Trends cursor to (vendor, period) with the arrow keys, like a person."""
    chart = app.screen.query_one("#trends-chart")
    rows = chart_row_index(app, vendor) - chart.row
    await press(pilot, *(["down"] * rows if rows > 0 else ["up"] * -rows))
    cols = chart.periods.index(period) - chart.periods.index(chart.period)
    await press(pilot, *(["right"] * cols if cols > 0 else ["left"] * -cols))
    assert (chart.current[0].vendor, chart.current[1]) == (vendor, period)


async def test_t_opens_the_trends_view_and_t_or_esc_closes_it():
    from qwen_tui.tui.screens.trends import TrendsScreen

    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        assert isinstance(app.screen, TrendsScreen)
        chart = app.screen.query_one("#trends-chart")
        # One row per vendor (after "All vendors"), one column per year at 80 columns.
        assert [r.vendor for r in chart.chart_rows][1:] == sorted(
            app.dataset.catalog.vendors, key=lambda v: app.dataset.catalog.vendors[v].name.lower())
        assert chart.by == "year" and all(len(p) == 4 for p in chart.periods)
        assert chart.current[1] == chart.periods[-1]  # starts on the newest year
        await press(pilot, "t")
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "t", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_quarters_from_120_columns():
    app = bundled_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        chart = app.screen.query_one("#trends-chart")
        assert chart.by == "quarter" and all("-Q" in p for p in chart.periods)
        assert "quarter" in str(app.screen.query_one("#page-title").render())


async def test_arrows_and_hjkl_move_between_cells_and_stop_at_the_edges():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        chart = app.screen.query_one("#trends-chart")
        periods = chart.periods
        assert chart.row == 0
        await press(pilot, "j", "down")
        assert chart.row == 2
        await press(pilot, "k")
        assert chart.row == 1
        await press(pilot, "h", "left")
        assert chart.period == periods[-3]
        await press(pilot, "l")
        assert chart.period == periods[-2]
        await press(pilot, "right", "right", "right")
        assert chart.period == periods[-1]  # the last column holds
        await press(pilot, "up", "up", "up")
        assert chart.row == 0
        # The line under the chart names the cell in words (legible without colour).
        row, period = chart.current
        cell = chart.cell(row, period)
        info = str(app.screen.query_one("#trends-info").render())
        assert f"All vendors {period}:" in info and f"({cell.total})" in info
        assert f"{cell.count(Status.OPEN_WEIGHT)} ● open-weight" in info


async def test_the_trends_view_is_imported_only_when_t_is_pressed():
    code = (
        "import asyncio, sys\n"
        "from qwen_tui.paths import default_paths\n"
        "from qwen_tui.query import Dataset\n"
        "from qwen_tui.tui.app import QwenTuiApp\n"
        "async def go():\n"
        "    app = QwenTuiApp(Dataset.load(default_paths(), use_cache=False), default_paths())\n"
        "    async with app.run_test() as pilot:\n"
        "        await pilot.pause()\n"
        "        before = [m for m in ('qwen_tui.tui.screens.trends', 'qwen_tui.tui.widgets.trendgrid')\n"
        "                  if m in sys.modules]\n"
        "        await pilot.press('t')\n"
        "        await pilot.pause()\n"
        "        print(before, type(app.screen).__name__)\n"
        "asyncio.run(go())\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["[]", "TrendsScreen"]


@pytest.mark.parametrize("size,vendor,period", [((80, 24), "openai", "2025"),
                                                 ((80, 24), "alibaba", "2026"),
                                                 ((120, 40), "openai", "2025-Q3")])
async def test_enter_on_a_cell_opens_the_vendors_timeline_limited_to_that_period(capsys, size, vendor, period):
    by = "quarter" if "-Q" in period else "year"
    expected = [r for r in list_rows(capsys, vendor) if period_of(PartialDate.parse(r["date"]), by) == period]
    assert expected  # the cell is not empty: the test means something
    app = bundled_app()
    async with app.run_test(size=size) as pilot:
        main = await started(app, pilot)
        everything = len(main.dataset.catalog_entries(vendor))
        await press(pilot, "t")
        await goto_cell(app, pilot, vendor, period)
        chart = app.screen.query_one("#trends-chart")
        assert chart.cell(*chart.current).total == len(expected)
        await press(pilot, "enter")
        assert app.screen is main and main.vendor == vendor and main.period == period
        assert main.focused is main.query_one("#timeline")
        assert sorted(e.id for e in entries(main)) == sorted(r["id"] for r in expected)
        assert f"{len(expected)} shown of {everything} · in {period}" in filterbar(main)
        # esc clears the period like any other filter.
        await press(pilot, "escape")
        assert main.period is None and len(entries(main)) == everything
        assert " in " not in filterbar(main)


async def test_enter_clears_other_filters_so_the_rows_are_the_cells():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        await press(pilot, "tab", "3", "m", "slash", *"gpt", "enter")
        await press(pilot, "t")
        await goto_cell(app, pilot, "openai", "2024")
        await press(pilot, "enter")
        rows = entries(main)
        assert main.query_text == "" and not main.statuses and main.commercial is None
        assert rows and len(rows) == sum(1 for e in app.dataset.catalog_entries("openai")
                                         if e.date.year == 2024)


async def test_a_policy_shift_is_marked_on_its_row_and_in_the_vendors_heading():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        assert [(s.vendor, s.direction, s.release) for s in main.shifts] == [
            ("openai", "opening", "gpt-oss"), ("alibaba", "closing", "qwen3.6-plus"),
            ("alibaba", "opening", "qwen3.8-2.4t-a95b")]
        main.select_vendor("openai")
        await pilot.pause()
        tl = main.query_one("#timeline")
        assert title(tl) == "OpenAI · ⇡ opening 2025-08: gpt-oss"
        by_id = {e.id: e for e in entries(main)}
        assert "gpt-oss ⇡ opening" in tl.render_row(by_id["gpt-oss"], 76, False).plain
        assert "⇡" not in tl.render_row(by_id["gpt-oss-safeguard"], 76, False).plain
        assert "⇡" not in tl.render_row(by_id["o3"], 76, False).plain
        # A narrow name column keeps the arrow whole and drops the word. (At 30 cells: at 40 the
        # status shrinks to its glyph, so the name has room for the word.)
        assert tl.render_row(by_id["gpt-oss"], 30, False).plain.rstrip().removesuffix("●").rstrip().endswith("⇡")
        # A vendor with two shifts gives both in its heading (the rows name the releases), short
        # enough for the 76-cell title of an 80-column timeline; both rows are marked.
        main.select_vendor("alibaba")
        await pilot.pause()
        assert title(tl) == "Alibaba Cloud (Qwen) · ⇣ closing 2026-04 · ⇡ opening 2026-08"
        assert len(title(tl)) <= 76
        by_id = {e.id: e for e in entries(main)}
        assert "⇣" in tl.render_row(by_id["qwen3.6-plus"], 76, False).plain
        assert "⇡" in tl.render_row(by_id["qwen3.8-2.4t-a95b"], 76, False).plain
        assert not {"⇡", "⇣"} & set(tl.render_row(by_id["qwen3.6-max-preview"], 76, False).plain)
        # Other vendors' headings say nothing of it.
        main.select_vendor("anthropic")
        await pilot.pause()
        assert title(tl) == "Anthropic"


async def test_closing_and_opening_from_the_synthetic_catalog_marked_in_the_trends_cells():
    app = pivot_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        main.select_vendor("closer")
        await pilot.pause()
        assert "⇣ closing 2026-04: " in title(main.query_one("#timeline"))
        await press(pilot, "t")
        chart = app.screen.query_one("#trends-chart")
        closer = chart.chart_rows[chart_row_index(app, "closer")]
        opener = chart.chart_rows[chart_row_index(app, "opener")]
        assert chart.shift_at(closer, "2026") == "closing" and chart.shift_at(opener, "2025") == "opening"
        assert chart.shift_at(closer, "2025") == ""
        text = chart.render().plain
        assert "⇣" in text and "⇡" in text


async def test_a_year_with_a_closing_and_an_opening_shows_both_in_its_cell():
    """Alibaba closed in 2026-04 and reopened in 2026-08: the 2026 cell must not show only the
    later shift. A cell with both directions shows ⇅; quarters show each; the info line names both."""
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        chart = app.screen.query_one("#trends-chart")
        alibaba = chart.chart_rows[chart_row_index(app, "alibaba")]
        everyone = chart.chart_rows[0]
        assert chart.shift_at(alibaba, "2026") == "both"
        assert chart.shift_at(everyone, "2026") == "both"
        assert chart.shift_at(everyone, "2025") == "opening"  # OpenAI's gpt-oss only
        line = next(ln for ln in chart.render().plain.splitlines() if ln.strip().startswith("Alibaba"))
        assert "⇅" in line and "⇡" not in line and "⇣" not in line
        assert "⇅ both" in app.screen.query_one("#trends-legend").render().plain
        assert chart.shift_at(alibaba, "2026-Q2") == "closing"
        assert chart.shift_at(alibaba, "2026-Q3") == "opening"


async def test_m_cycles_commercial_classes_and_unrestricted_lets_no_restricted_license_through():
    app = bundled_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        licenses = app.dataset.catalog.licenses
        total = len(entries(main))
        seen = []
        for _ in range(6):
            await press(pilot, "m")
            seen.append(main.commercial)
        assert seen == ["unrestricted", "conditional", "non-commercial", "none", "unknown", None]
        assert len(entries(main)) == total
        await press(pilot, "m")
        rows = entries(main)
        assert rows and "commercial unrestricted" in filterbar(main)
        for e in rows:
            # Judged from the license terms themselves, size by size, not from the classifier. A
            # release with no repo to judge (WizardLM-2's weights were withdrawn) has its license.
            assert e.release.status is not Status.CLOUD_ONLY
            assert e.release.hf_repos or e.release.status is Status.WITHDRAWN
            for lic_id in [e.release.license_of(repo) for repo in e.release.hf_repos] or [e.release.license]:
                lic = licenses[lic_id]
                assert lic.commercial_use == "yes"
                assert not (lic.mau_cap or lic.naming or lic.use_policy or lic.commercial_condition)
        # It combines with the status keys and the period.
        await press(pilot, "tab", "1")
        assert [e for e in entries(main)] == [e for e in rows if e.status is Status.OPEN_WEIGHT]
        await press(pilot, "m", "m", "m")  # none: cloud-only releases only
        assert main.commercial == "none" and not entries(main)  # and the status key wants open-weight
        await press(pilot, "1")
        assert entries(main) and all(e.status is Status.CLOUD_ONLY for e in entries(main))
        await press(pilot, "escape")
        assert main.commercial is None and len(entries(main)) == total


async def test_trends_and_commercial_are_rebindable_and_listed_in_help_and_the_palette():
    from qwen_tui.tui.screens.help import help_table
    from qwen_tui.tui.screens.trends import TrendsScreen

    app = bundled_app(config=Config(keymap={"trends": "w", "commercial": "ctrl+k"}))
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        await press(pilot, "t")
        assert app.screen is main
        await press(pilot, "w")
        assert isinstance(app.screen, TrendsScreen)
        await press(pilot, "w")  # the rebound key closes the view too
        assert app.screen is main
        await press(pilot, "tab", "ctrl+k")
        assert main.commercial == "unrestricted"
        commands = [c.title for c in app.get_system_commands(main)]
        assert "Trends" in commands and "Cycle commercial use" in commands
    from rich.console import Console

    console = Console(width=160, record=True, file=io.StringIO())
    console.print(help_table({"trends": "w"}))
    text = console.export_text()
    assert "trends" in text and "commercial" in text and "cell-open" in text
    assert "quarter from 120" in text and "⇡ ⇣" in text


async def test_a_bad_flagship_file_is_one_message_not_a_crash(tmp_path):
    (tmp_path / "flagships.toml").write_text('[[flagship]]\nrelease = "nope"\nsource = "https://e.org"\n')
    cat = load_catalog([PIVOT], bundled=False)
    app = QwenTuiApp(Dataset(cat), default_paths(),
                     shift_source=flagship_shifts([PIVOT, tmp_path], bundled=False))
    async with app.run_test(size=(80, 24)) as pilot:
        main = await started(app, pilot)
        assert main.shifts == [] and isinstance(app.screen, MainScreen)
        found = [str(n.message) for n in app._notifications]
        assert any("flagships.toml" in m and "unknown release id" in m for m in found)
        await press(pilot, "t")  # the view still works, without marks
        assert "⇡" not in app.screen.query_one("#trends-chart").render().plain


def test_a_period_keeps_discovered_repos_out_unless_asked_for():
    from qwen_tui.tui.limits import Limits
    from qwen_tui.tui.rows import TimelineModel

    cat = load_catalog([Path(__file__).parent / "data" / "catalog"], bundled=False)
    ds = Dataset(cat)
    releases = ds.catalog_entries("acme")
    fake_repo = Entry(vendor="acme", id="acme/x", name="x", generation="", status=Status.DISCOVERED,
                      date=PartialDate(2025, 6, 1), license="mit", release=None)
    old_repo = Entry(vendor="acme", id="acme/y", name="y", generation="", status=Status.DISCOVERED,
                     date=PartialDate(2023, 1, 1), license="mit", release=None)
    model = TimelineModel(releases, 2)
    model.set_discovered(TimelineModel.prepare_discovered([fake_repo, old_repo]))
    in_2025 = [e for e in releases if e.date.year == 2025]
    rows = model.rows(limits=Limits("2025"))
    assert [r for r in rows if isinstance(r, Entry)] == in_2025 and model.shown == len(in_2025)
    rows = model.rows(statuses={Status.DISCOVERED}, limits=Limits("2025"))
    assert [r for r in rows if isinstance(r, Entry)] == [fake_repo]
    # Discovered repos have no catalog terms: `unknown` only.
    classes = {"acme-1": "unrestricted"}
    keep = Limits(commercial="unrestricted", classify=lambda e: classes.get(e.id, "conditional"))
    assert [r.id for r in model.rows(limits=keep) if isinstance(r, Entry)] == ["acme-1"]
    unknown = Limits(commercial="unknown", classify=lambda e: "conditional")
    assert [r.id for r in model.rows(limits=unknown) if isinstance(r, Entry)] == ["acme/x", "acme/y"]


async def test_resizing_switches_years_and_quarters_and_keeps_the_cell():
    app = bundled_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        await goto_cell(app, pilot, "openai", "2025-Q3")
        chart = app.screen.query_one("#trends-chart")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert chart.by == "year" and chart.current[1] == "2025" and chart.current[0].vendor == "openai"
        assert "OpenAI 2025:" in str(app.screen.query_one("#trends-info").render())
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        # Back to quarters: the year's last quarter with releases.
        assert chart.by == "quarter" and chart.current[1] == "2025-Q4"


async def test_a_short_terminal_scrolls_the_vendor_rows():
    app = bundled_app()
    async with app.run_test(size=(80, 14)) as pilot:
        await started(app, pilot)
        await press(pilot, "t")
        chart = app.screen.query_one("#trends-chart")
        last = chart.chart_rows[-1]
        assert last.name not in chart.render().plain
        await press(pilot, *["j"] * len(chart.chart_rows))
        text = chart.render().plain
        assert chart.current[0] is last and last.name.split(" /")[0] in text
        assert "▶ " + last.name[:8] in text
        assert "All vendors" not in text  # scrolled off the top
