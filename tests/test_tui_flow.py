"""Flow of the explorer (issue 14): the copy picker, the command palette, the footer and help at
60x15, the header after a failed refresh and as time passes, one number format in toasts.
Real app under the pilot, fixture catalog."""

from __future__ import annotations

import asyncio
import io

import pytest
from test_tui_app import Notes, make_app, press

from qwen_tui.tui.screens.copy import CopyScreen
from qwen_tui.tui.screens.main import MainScreen

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def screen_lines(app) -> list[str]:
    """The screen as a person reads it: Textual's own full frame, as text."""
    update = app.screen._compositor.render_update(full=True)
    return ["".join(seg.text for strip in line for seg in strip) for line in update.strips]


async def test_copy_picker_moves_with_j_k_marks_the_selection_and_y_confirms(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    notes = Notes()
    async with app.run_test(size=(80, 24), notifications=True, message_hook=notes) as pilot:
        await press(pilot, "tab", "G", "y")  # Acme-1: two repos and a source
        assert isinstance(app.screen, CopyScreen)
        marked = [line for line in screen_lines(app) if "› " in line]
        assert len(marked) == 1 and "acme/Acme-1-7B " in marked[0] + " "
        await press(pilot, "j")
        marked = [line for line in screen_lines(app) if "› " in line]
        assert len(marked) == 1 and "acme/Acme-1-7B-Chat" in marked[0]
        await press(pilot, "j", "k")
        assert "acme/Acme-1-7B-Chat" in next(line for line in screen_lines(app) if "› " in line)
        await press(pilot, "y")
        assert isinstance(app.screen, MainScreen)
        assert app.clipboard == "acme/Acme-1-7B-Chat"
        assert notes.texts[-1] == "Copied to the clipboard: acme/Acme-1-7B-Chat"
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert any("Copied to the clipboard" in line for line in screen_lines(app))


async def test_palette_lists_keys_once_and_only_commands_that_work_here(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1
        assert not {"Theme", "Maximize", "Minimize", "Screenshot"} & set(titles)
        assert "Quit" in titles and "Refresh from the Hub" in titles
        # And what the palette shows when searched: one "Keys", which opens our help.
        from textual.command import CommandPalette

        await press(pilot, "ctrl+p", *"keys")
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        shown = [line for line in screen_lines(app) if "Keys" in line]
        assert len(shown) == 1, shown


@pytest.mark.parametrize("keys", [[], ["tab"], ["question_mark"]], ids=["vendors", "timeline", "help"])
async def test_footer_at_60x15_ends_with_the_palette_key_not_a_stray_letter(fixture_catalog_dir, keys):
    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(60, 15)) as pilot:
        await press(pilot, *keys)
        footer = screen_lines(app)[-1]
        assert len(footer) == 60 and footer.rstrip().endswith("^p commands"), footer


@pytest.mark.parametrize("width", [40, 57, 80, 120])
def test_help_never_cuts_a_description_and_its_key_column_stays_narrow(width):

    from rich.console import Console

    from qwen_tui.tui import keys
    from qwen_tui.tui.screens.help import LEGEND, help_table

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(help_table({}))
    text = console.export_text()
    assert "…" not in text
    words = text.split()
    for _, group in keys.GROUPS:
        for b in group:
            assert all(w in words for w in b.description.split()), b.description
            assert width < 60 or f"({b.id})" in words or b.id in words
    for _, rows in LEGEND:
        for _, desc in rows:
            assert all(w in words for w in desc.split()), desc
    # The key column is as wide as the longest keys, not as the longest section title.
    first_desc = min(line.index("help") for line in text.splitlines() if line.lstrip().startswith("?"))
    assert first_desc <= 2 + len("pagedown, ctrl+f") + 2


async def test_help_at_60x15_shows_whole_descriptions(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(60, 15)) as pilot:
        await press(pilot, "question_mark")
        lines = screen_lines(app)
        assert lines[0].strip().endswith("(qwen-tui paths)")
        assert not any("…" in line for line in lines[1:-1])
        assert any("redraw the screen" in line for line in lines)


def header_line(app) -> str:
    return screen_lines(app)[0]


async def test_a_failed_refresh_stays_in_the_header_naming_host_and_reason_until_the_next_try(
        fixture_catalog_dir, monkeypatch):
    import fakehub
    from test_tui_app import until, write_snapshot

    from qwen_tui.evidence import HubRepo

    write_snapshot([HubRepo(repo_id="acme/Acme-1-7B", org="acme", vendor="acme",
                            fetched_at="2026-04-03T10:00:00Z", downloads=5)])
    hub = fakehub.FakeHub()
    hub.add("acme/Acme-1-7B", downloads=4321)
    for org in ("acme", "globex"):  # every vendor fails, at once (a 403 is not retried)
        hub.fault(f"list:{org}", status=403)
    url = hub.start()
    host = url.split("//")[1].rstrip("/")
    monkeypatch.setenv("HF_ENDPOINT", url)
    app = make_app(fixture_catalog_dir, with_cache=True)
    notes = Notes()
    try:
        async with app.run_test(size=(120, 30), notifications=True, message_hook=notes) as pilot:
            before = app.dataset.snapshot.finished_at  # e.g. 2026-04-03T10:00:00Z
            await press(pilot, "r")
            await until(lambda: not app.refreshing and notes)
            await pilot.pause()
            # The failed refresh saved a snapshot too; the data shown is still the one before.
            assert app.dataset.snapshot.finished_at >= before
            when = f"{before[:10]} {before[11:16]} UTC"
            line = f"{host} refused the refresh (HTTP 403) — showing Hub data from {when}"
            assert notes.texts[-1] == line
            assert line in header_line(app)
            # The toast goes; the header keeps it.
            app.clear_notifications()
            await pilot.pause()
            assert line in header_line(app) and "refused" not in "".join(screen_lines(app)[1:])
            # The next try clears it: first "refreshing…", then the fresh age.
            hub.clear_faults()
            await press(pilot, "r")
            assert "refused" not in header_line(app)
            await until(lambda: not app.refreshing)
            await pilot.pause()
            assert "refused" not in header_line(app) and "online · Hub data" in header_line(app)
    finally:
        hub.stop()


async def test_a_failed_refresh_fits_an_80_column_header(fixture_catalog_dir):
    from qwen_tui.tui.messages import RefreshFailed

    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        app.post_message(RefreshFailed("cannot connect on /api/models?author=acme after 5 tries",
                                       host="huggingface.co"))
        await pilot.pause()
        header = header_line(app)
        assert "cannot reach huggingface.co (cannot connect) — catalog only" in header, header
        assert len(header) == 80
        # Not every failure is the Hub's: a locked cache is not "cannot reach".
        app.post_message(RefreshFailed("cache /x/cache.db is busy (another qwen-tui is writing it)",
                                       host="huggingface.co"))
        await pilot.pause()
        assert "cannot reach" not in header_line(app) and "refresh failed (cache" in header_line(app)


async def test_the_header_age_grows_while_the_app_runs(fixture_catalog_dir, monkeypatch):
    import calendar
    import time

    from test_tui_app import write_snapshot

    from qwen_tui.evidence import HubRepo

    write_snapshot([HubRepo(repo_id="acme/Acme-1-7B", org="acme", vendor="acme",
                            fetched_at="2026-04-03T10:00:00Z", downloads=5)])
    app = make_app(fixture_catalog_dir, with_cache=True)
    t0 = calendar.timegm(time.strptime(app.dataset.snapshot.finished_at, "%Y-%m-%dT%H:%M:%SZ"))
    now = [t0 + 30]
    app.clock = lambda: now[0]
    monkeypatch.setattr(type(app), "AGE_TICK", 0.05)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Hub data 30 s old" in header_line(app)
        now[0] = t0 + 5 * 60
        await asyncio.sleep(0.2)
        await pilot.pause()
        assert "Hub data 5 min old" in header_line(app)


async def test_the_age_tick_while_the_app_closes_is_a_no_op(fixture_catalog_dir):
    """The header's age is repainted by an interval, which can fire once more while the app
    closes and the screen's widgets are already gone: nothing to repaint, no crash."""
    from qwen_tui.tui.widgets.header import StatusHeader

    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.query_one(StatusHeader).remove()  # as when closing
        app.update_header_age()
        app.update_header("refreshing…")


def test_hub_host_is_the_endpoint_the_client_uses(monkeypatch):
    from qwen_tui.hub.client import endpoint_host as hub_host

    monkeypatch.delenv("HF_ENDPOINT", raising=False)
    assert hub_host() == "huggingface.co"
    monkeypatch.setenv("HF_ENDPOINT", "http://user:pw@127.0.0.1:9/")
    assert hub_host() == "127.0.0.1:9"
    assert hub_host("https://hub.example.org") == "hub.example.org"
    monkeypatch.setenv("HF_ENDPOINT", "not a url")
    assert hub_host() == ""


async def test_toasts_write_numbers_one_way(fixture_catalog_dir):
    from qwen_tui.tui.messages import Refreshed

    app = make_app(fixture_catalog_dir)
    notes = Notes()
    async with app.run_test(size=(80, 24), notifications=True, message_hook=notes) as pilot:
        app.post_message(Refreshed(app.dataset, 12_345, 1970, 1001, {}, vendors_ok=2))
        await pilot.pause()
        assert notes.texts[-1] == "Refreshed: 12,345 repos, 1,970 new, 1,001 changed"


@pytest.mark.parametrize("width", range(60, 101, 4))
async def test_footer_shows_whole_keys_only_and_help_first(fixture_catalog_dir, width):
    from qwen_tui.tui import keys

    descriptions = {b.description for _, group in keys.GROUPS for b in group}
    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(width, 15)) as pilot:
        for step in ([], ["tab"], ["t"]):
            await press(pilot, *step)
            await asyncio.sleep(0.05)
            await pilot.pause()
            footer = screen_lines(app)[-1]
            left = footer.split("▏")[0].rstrip()
            assert left.startswith("? help"), footer
            assert any(left.endswith(" " + d) for d in descriptions), footer
