"""Issue 14, what a new user trips over: whole names at 120x40, whose release a row is, the active
filter, rows that stay put, years in the filter. Driven by the pilot, measured on what the
timeline renders (its lines as the terminal would show them).
"""

from __future__ import annotations

import asyncio
import os

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.store import Store
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.rows import Heading
from qwen_tui.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio
FETCHED = "2026-04-03T10:00:00Z"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def bundled_app() -> QwenTuiApp:
    paths = default_paths()
    return QwenTuiApp(Dataset.load(paths, use_cache=False), paths, reload=lambda: None)


def fixture_app(catalog_dir, repos: list[HubRepo] = ()) -> QwenTuiApp:
    paths = default_paths()
    store = None
    if repos:
        writer = Store.open(paths.cache_db)
        orgs = sorted({r.org for r in repos})
        writer.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                              results=[OrgResult(o, o, True, sum(r.org == o for r in repos), "", FETCHED)
                                       for o in orgs],
                              repos=list(repos), all_orgs=[("acme", "acme"), ("globex", "globex")])
        writer.close()
        store = Store.open_readonly(paths.cache_db)
    return QwenTuiApp(Dataset(load_catalog([catalog_dir], bundled=False), store), paths,
                      reload=lambda: None)


def hub_repo(repo_id: str, **kw) -> HubRepo:
    org = repo_id.split("/")[0]
    return HubRepo(repo_id=repo_id, org=org, vendor=org, fetched_at=FETCHED, **kw)


def screen(app: QwenTuiApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def visible(app: QwenTuiApp) -> list[tuple[object, str]]:
    """(row, the text of its line) for every timeline row on screen."""
    tl = screen(app).query_one("#timeline")
    out = []
    for y in range(tl.HEADER_LINES, tl.size.height):
        i = tl.top + y - tl.HEADER_LINES
        if i < len(tl.rows):
            out.append((tl.rows[i], tl.render_line(y).text))
    return out


def whole(e: Entry, line: str) -> bool:
    """The whole name is on the line, and its `!` right after it when sources disagree."""
    return (e.name + " !" if e.flagged else e.name) in line


async def until(condition, timeout: float = 20) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


# -- 1. names whole at 120x40 ------------------------------------------------------------------------


async def test_at_120x40_nine_names_in_ten_are_whole_in_every_vendor_and_pane_focus():
    app = bundled_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = screen(app)
        vendors = main.query_one("#vendors")
        totals = {"vendors": [0, 0], "timeline": [0, 0]}
        for i, row in enumerate(vendors.rows):
            for focus in ("vendors", "timeline"):
                main.focus_pane("vendors")
                vendors.move_to(i)
                await pilot.pause()
                if focus == "timeline":
                    await pilot.press("tab")
                    await pilot.pause()
                rows = [(r, line) for r, line in visible(app) if isinstance(r, Entry)]
                ok = sum(whole(r, line) for r, line in rows)
                totals[focus][0] += ok
                totals[focus][1] += len(rows)
                if row.id in (None, "alibaba"):  # All vendors, and the vendor the app is named for
                    assert ok >= 0.9 * len(rows), (focus, row.name, ok, len(rows))
                # The `!` of a disagreement is never cut off, however long the name.
                assert all(line.count("!") for r, line in rows if r.flagged), (focus, row.name)
        for focus, (ok, n) in totals.items():
            assert n > 250 and ok >= 0.9 * n, (focus, ok, n)


# -- 2. whose release a row is ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_row_of_all_vendors_names_its_vendor(size):
    app = bundled_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        main = screen(app)
        assert main.vendor is None
        vendors = app.screen.dataset.catalog.vendors
        rows = [(r, line) for r, line in visible(app) if isinstance(r, Entry)]
        assert len(rows) > 10
        owners = {r.vendor for r, _ in rows}
        assert len(owners) > 3
        assert "vendor" in main.query_one("#timeline").render_line(0).text
        for r, line in rows:
            # The name people use: "Alibaba Cloud (Qwen)" -> "Alibaba".
            assert f" {vendors[r.vendor].name.split()[0]} " in line, line
        # A one-vendor list does not repeat it on every row.
        main.select_vendor("meta")
        await pilot.pause()
        assert "vendor" not in main.query_one("#timeline").render_line(0).text


async def test_a_discovered_row_shows_its_org(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir, [hub_repo("acme/acme-embed-v1", created_at="2025-06-01T00:00:00Z")])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "5")
        main = screen(app)
        await until(lambda: main.model(main.vendor).discovered_loaded)
        await pilot.pause()
        lines = [line for r, line in visible(app) if isinstance(r, Entry) and r.release is None]
        assert lines and "acme/acme-embed-v1" in lines[0]


# -- 7. the vendor pane's counts ---------------------------------------------------------------------


async def test_vendor_counts_include_withdrawn_add_up_to_the_releases_and_say_what_they_count(fixture_catalog_dir):
    app = fixture_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = screen(app)
        vendors = main.query_one("#vendors")
        header = vendors.render_line(0).text
        assert "×" in header  # the withdrawn column, beside ● ◐ ○
        for i, row in enumerate(vendors.rows):
            numbers = [int(n) for n in vendors.render_line(1 + i).text.split()[-5:-1]]
            total = len(main.dataset.catalog_entries(row.id))
            assert sum(numbers) == total, (row.name, numbers, total)
        globex = next(i for i, r in enumerate(vendors.rows) if r.id == "globex")
        assert vendors.render_line(1 + globex).text.split()[-2] == "1"  # its withdrawn release
        legend = str(vendors.border_subtitle) + str(vendors.border_title)
        for word in ("releases", "open", "gated", "cloud-only", "withdrawn"):
            assert word in legend
