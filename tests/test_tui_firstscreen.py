"""The first screen painted from its memo (tui/firstscreen.py): it is the screen the dataset
paints, the dataset loads behind it without changing a cell, keys pressed at once act on the
whole dataset, and the memo follows everything it is made of.

Real app, real catalog (bundled + the fixture one), a real cache written by the store.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from qwen_tui.tui import firstscreen
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.rows import Head
from qwen_tui.tui.start import build
from qwen_tui.tui.widgets.timeline import Timeline
from qwen_tui.tui.widgets.vendors import VendorList

FETCHED = "2026-04-03T10:00:00Z"
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def write_snapshot(n: int = 3) -> None:
    repos = [HubRepo(repo_id=f"acme/Acme-{i}-7B", org="acme", vendor="acme", fetched_at=FETCHED,
                     downloads=1000 * i, likes=i) for i in range(1, n + 1)]
    with Store.open(default_paths().cache_db) as store:
        store.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1", repos=repos,
                             results=[OrgResult("acme", "acme", True, len(repos), "", FETCHED)],
                             all_orgs=[("acme", "acme"), ("globex", "globex")])


def started(args: argparse.Namespace) -> QwenTuiApp:
    """The app `qwen-tui` would start, on a clock that stands still: the header's "Hub data 3 d
    old" is then the same in every app of a test."""
    app = build(args)
    app.clock = lambda: NOW
    return app


NOW = time.time() + 3 * 86400


def cli_args(catalog: Path, *, no_cache: bool = False) -> argparse.Namespace:
    return argparse.Namespace(catalog=[catalog], no_cache=no_cache)


def memo_of(args: argparse.Namespace) -> Path | None:
    return firstscreen.memo_path(default_paths(), args.catalog, use_cache=not args.no_cache)


async def paint(app: QwenTuiApp, size: tuple[int, int]) -> str:
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return app.export_screenshot()


async def start_once(args: argparse.Namespace) -> None:
    """A start that finds no memo: it loads the dataset first and writes the memo after its first frame."""
    app = started(args)
    assert app._first is None
    await paint(app, (80, 24))


async def with_memo(catalog: Path) -> tuple[argparse.Namespace, Path]:
    """A cache with one snapshot, and a start that found no memo and wrote one: the setup of most
    tests here. Returns the arguments and the memo's path."""
    write_snapshot()
    args = cli_args(catalog)
    await start_once(args)
    memo = memo_of(args)
    assert memo is not None and memo.exists()
    return args, memo


async def shots(app: QwenTuiApp, size: tuple[int, int]) -> tuple[str, str]:
    """The screen when the app's work after its first frame begins (a start from the memo loads
    the dataset then), and the screen once everything has settled."""
    early: list[str] = []
    finish = app.finish_loading

    def after_first_frame() -> None:
        if app.main_screen is not None and not early:
            early.append(app.export_screenshot())
        finish()

    app.finish_loading = after_first_frame  # type: ignore[method-assign]
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        return early[0], app.export_screenshot()


@pytest.mark.parametrize("size", [(80, 24), (120, 30), (170, 45), (90, 110)])
async def test_the_memo_paints_the_screen_the_dataset_paints(fixture_catalog_dir, size):
    args, memo = await with_memo(fixture_catalog_dir)

    app = started(args)
    assert app._first is not None and app.dataset.catalog.releases == ()  # the stand-in
    from_memo = await shots(app, size)
    assert len(app.dataset.catalog.releases) > firstscreen.HEAD  # the real one, loaded

    memo.unlink()
    reference = started(args)  # no memo: the dataset loads before the first frame, as before
    assert reference._first is None
    loaded_first = await shots(reference, size)
    # Same cells, same styles: first painted from the memo (or, taller than its rows, from the
    # dataset loaded at once), then with the dataset behind it.
    assert from_memo == loaded_first


async def test_the_timeline_from_the_memo_is_as_long_as_the_real_one(fixture_catalog_dir):
    args, _ = await with_memo(fixture_catalog_dir)
    app = started(args)
    lengths = []
    load = app.reload

    def reload():
        tl = app.screen.query_one(Timeline)
        assert isinstance(tl.rows, Head)
        lengths.append((len(tl.rows), tl.name_need, len(app.screen.query_one(VendorList).rows)))
        return load()

    app.reload = reload
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tl = app.screen.query_one(Timeline)
        assert not isinstance(tl.rows, Head)
        assert lengths == [(len(tl.rows), tl.name_need, len(app.screen.query_one(VendorList).rows))]
        assert len(tl.rows) > firstscreen.HEAD


async def test_keys_pressed_at_once_act_on_the_whole_dataset(fixture_catalog_dir):
    args, _ = await with_memo(fixture_catalog_dir)
    keys = ("j", "enter", "G", "k", "slash", "a", "c", "m", "e")  # vendor 2, its last release, a filter

    async def after_keys(app: QwenTuiApp) -> tuple:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            tl = app.screen.query_one(Timeline)
            return (app.screen.vendor, app.screen.query_text, [str(r) for r in tl.rows], tl.cursor,
                    app.export_screenshot())

    reference = started(args)
    reference.finish_loading()  # loaded before it starts: no memo involved
    want = await after_keys(reference)
    assert want[0] is not None and want[1] == "acme"

    for sooner in (False, True):
        app = started(args)
        assert app._first is not None
        loads: list[bool] = []
        load = app.reload

        def reload(app=app, loads=loads, load=load):
            loads.append(app.screen.query_one(VendorList).cursor == 0)  # no key has moved it yet
            return load()

        app.reload = reload  # type: ignore[method-assign]
        if sooner:
            # The keys come before the app's own load after its first frame (a slow first frame),
            # so the first of them loads the dataset: what it and the keys after it act on.
            app.call_after_refresh = lambda *a, **k: True  # type: ignore[method-assign]
        assert await after_keys(app) == want
        assert loads == [True]  # once, before any key was handled


async def test_the_memo_follows_the_catalog_the_cache_and_the_code(fixture_catalog_dir, tmp_path, monkeypatch):
    catalog = tmp_path / "catalog"
    (catalog / "vendors").mkdir(parents=True)
    for f in (fixture_catalog_dir / "vendors").iterdir():
        (catalog / "vendors" / f.name).write_bytes(f.read_bytes())
    if (fixture_catalog_dir / "licenses").is_dir():
        (catalog / "licenses").mkdir()
        for f in (fixture_catalog_dir / "licenses").iterdir():
            (catalog / "licenses" / f.name).write_bytes(f.read_bytes())
    write_snapshot(3)
    args = cli_args(catalog)
    await start_once(args)
    first = memo_of(args)
    assert first is not None and first.exists()
    assert build(args)._first is not None

    # A catalog file edited: another memo; the next start loads first and writes it.
    acme = catalog / "vendors" / "acme.toml"
    acme.write_text(acme.read_text("utf-8").replace('name = "Acme', 'name = "Acme Renamed', 1), "utf-8")
    edited = memo_of(args)
    assert edited is not None and edited != first and not edited.exists()
    assert build(args)._first is None
    await start_once(args)
    assert edited.exists() and not first.exists()  # the old one is gone
    assert any(r.name.startswith("Acme Renamed") for r in firstscreen.read(edited).vendor_rows)

    # A refresh (a new snapshot in the cache): another memo.
    write_snapshot(5)
    refreshed = memo_of(args)
    assert refreshed is not None and refreshed != edited and build(args)._first is None
    await start_once(args)
    assert build(args)._first is not None
    # --no-cache is another first screen too.
    assert memo_of(cli_args(catalog, no_cache=True)) != refreshed

    # Any module of the package changed: another memo.
    code = tmp_path / "code"
    code.mkdir()
    module = code / "some_module.py"
    module.write_text("x = 1\n", "utf-8")
    monkeypatch.setattr(firstscreen, "PACKAGE", code)
    before = memo_of(args)
    st = module.stat()
    os.utime(module, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert memo_of(args) != before


async def test_a_memo_not_written_by_us_is_ignored(fixture_catalog_dir):
    args, memo = await with_memo(fixture_catalog_dir)
    text = memo.read_text("utf-8")
    for bad in (text.replace('"acme"', '"\\u001b[2Jacme"', 1), text[: len(text) // 2], "[]", "garbage"):
        memo.write_text(bad, "utf-8")
        assert firstscreen.read(memo) is None
        assert build(args)._first is None  # the dataset, loaded first


async def test_the_first_frame_imports_neither_the_store_nor_the_merge(fixture_catalog_dir, tmp_path):
    """What a start from the memo imports before its first frame: not the cache's store (nor
    sqlite3), not the models.dev parser and merge, not the Hub client, the grouping of discovered
    repos or the pivot; they load with the dataset, after it."""
    await with_memo(fixture_catalog_dir)
    script = tmp_path / "first_frame.py"
    script.write_text(textwrap.dedent(f"""
        import argparse, sys
        from qwen_tui.tui.app import QwenTuiApp
        from qwen_tui.tui.start import build

        real = QwenTuiApp.finish_loading
        def finish(self):  # first called after the first frame
            if self._first is not None:
                print("MODULES", " ".join(sorted(sys.modules)))
                self.exit()
            return real(self)
        QwenTuiApp.finish_loading = finish
        app = build(argparse.Namespace(catalog=[{str(fixture_catalog_dir)!r}], no_cache=False))
        app.run(headless=True, size=(80, 24))
    """), "utf-8")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert "MODULES " in proc.stdout, proc.stderr
    modules = set(proc.stdout.split("MODULES ", 1)[1].split("\n", 1)[0].split())
    assert "qwen_tui.tui.firstscreen" in modules and "textual.app" in modules  # (it did paint)
    heavy = {"qwen_tui.store", "sqlite3", "qwen_tui.modelsdev.merge", "qwen_tui.modelsdev.parse",
             "qwen_tui.catalog.loader", "qwen_tui.grouping", "qwen_tui.discovered", "qwen_tui.pivot",
             "qwen_tui.hub.client", "huggingface_hub", "httpx", "qwen_tui.sync"}
    assert sorted(heavy & modules) == []


def test_a_start_quit_before_its_first_frame_ends_still_writes_the_memo(fixture_catalog_dir, monkeypatch):
    """`q` at once (a benchmark, a user who changed their mind): the work the app does after its
    first frame never runs, so the memo is written at exit instead (start.main)."""
    from textual.app import App

    from qwen_tui.tui import start

    write_snapshot()
    args = cli_args(fixture_catalog_dir)

    async def quit_at_once(pilot) -> None:
        await pilot.press("q")

    def run(self: QwenTuiApp) -> None:
        self.call_after_refresh = lambda *a, **k: True  # the key comes before any of it
        App.run(self, headless=True, size=(80, 24), auto_pilot=quit_at_once)

    monkeypatch.setattr(QwenTuiApp, "run", run)
    assert start.main(args) == 0
    memo = memo_of(args)
    assert memo is not None and memo.exists()
    assert start.build(args)._first is not None


async def test_a_load_that_meets_a_warning_forgets_the_memo(fixture_catalog_dir):
    """The cache found busy or damaged only by the load behind the memo's screen: the warning
    shows, the screen becomes what the load found, and the memo goes (it would show it again)."""
    from qwen_tui.query import Dataset

    args, memo = await with_memo(fixture_catalog_dir)
    app = started(args)
    assert app._first is not None
    catalog_only = Dataset(app.reload().catalog, warning="cache /x is busy: another qwen-tui is writing it")
    app.reload = lambda: catalog_only  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.dataset is catalog_only
        assert [n.message for n in app._notifications] == [catalog_only.warning]
        assert not app.screen.query_one(Timeline).has_downloads  # no Hub data shown any more
    assert not memo.exists()
    assert build(args)._first is None


async def test_keys_typed_before_the_screen_is_up_act_on_the_whole_dataset(fixture_catalog_dir):
    """`qwen-tui` then `j` at once: the key is in the terminal's input before the app has
    mounted its screen. It loads the dataset, which the screen then shows, and acts on it."""
    from textual import events

    args, _ = await with_memo(fixture_catalog_dir)

    async def typed_ahead(app: QwenTuiApp) -> tuple:
        for key in ("j", "j"):  # queued before the app runs: read before its screen is mounted
            app.post_message(events.Key(key, key))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            tl = app.screen.query_one(Timeline)
            return app.screen.vendor, [str(r) for r in tl.rows], app.export_screenshot()

    reference = started(args)
    reference.finish_loading()
    want = await typed_ahead(reference)
    assert want[0] is not None

    app = started(args)
    assert app._first is not None
    assert await typed_ahead(app) == want
