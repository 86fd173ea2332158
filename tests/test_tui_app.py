"""The explorer driven by the pilot like a person at 80x24: every key of issue 5, real app, real data.

Fixture catalog (vendors acme, globex) plus, where Hub facts matter, a real cache written with the
store's own `write_snapshot`.
"""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.model import Status
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.store import Store
from qwen_tui.tui.app import QwenTuiApp
from qwen_tui.tui.config import Config
from qwen_tui.tui.messages import RefreshProgress
from qwen_tui.tui.rows import Heading
from qwen_tui.tui.screens.changes import ChangesScreen
from qwen_tui.tui.screens.compare import CompareScreen
from qwen_tui.tui.screens.copy import CopyScreen
from qwen_tui.tui.screens.help import HelpScreen
from qwen_tui.tui.screens.main import MainScreen

FETCHED = "2026-04-03T10:00:00Z"

# The async tests run on anyio's pytest plugin (installed with httpx), on asyncio.
pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def hub_repo(repo_id: str, **kw) -> HubRepo:
    org = repo_id.split("/")[0]
    return HubRepo(repo_id=repo_id, org=org, vendor=org, fetched_at=FETCHED, **kw)


def write_snapshot(repos: list[HubRepo]) -> None:
    store = Store.open(default_paths().cache_db)
    orgs = sorted({r.org for r in repos}) or ["acme"]
    store.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                         results=[OrgResult(o, o, True, sum(r.org == o for r in repos), "", FETCHED)
                                  for o in orgs],
                         repos=repos, all_orgs=[("acme", "acme"), ("globex", "globex")])
    store.close()


def make_app(catalog_dir: Path, *, offline: bool = False, config: Config | None = None,
             warnings=(), with_cache: bool = False) -> QwenTuiApp:
    paths = default_paths()

    def load() -> Dataset:
        store = Store.open_readonly(paths.cache_db) if with_cache else None
        return Dataset(load_catalog([catalog_dir], bundled=False), store)

    return QwenTuiApp(load(), paths, reload=load, offline=offline, config=config, warnings=warnings)


def main(app: QwenTuiApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def names(app: QwenTuiApp) -> list[str]:
    return [r.name for r in main(app).query_one("#timeline").rows if isinstance(r, Entry)]


def current(app: QwenTuiApp) -> Entry:
    row = main(app).query_one("#timeline").current
    assert isinstance(row, Entry)
    return row


async def until(condition, timeout: float = 20) -> None:
    """Let the app run until `condition()` holds (a job in another thread posts its result)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def press(pilot, *keys: str) -> None:
    for k in keys:
        await pilot.press(k)
    await pilot.pause()


def plain(renderable, width: int = 100) -> str:
    """A Rich renderable as the plain text a person would read."""
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def detail_text(app: QwenTuiApp) -> str:
    return plain(main(app).query_one("#detail-body").content)


def header_text(app: QwenTuiApp) -> str:
    return plain(main(app).query_one("#header").render(), 200)


class Notes(list):
    """What the app notified, as seen through Textual's public message hook (`run_test`)."""

    def __call__(self, message) -> None:
        from textual.notifications import Notify

        if isinstance(message, Notify):
            self.append(message.notification)

    @property
    def texts(self) -> list[str]:
        return [str(n.message) for n in self]


async def test_opens_on_all_vendors_newest_first_grouped_by_year(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await pilot.pause()
        rows = main(app).query_one("#timeline").rows
        assert isinstance(rows[0], Heading) and rows[0].label == "2026"
        assert names(app)[0] == "Acme-3-Plus" and names(app)[-1] == "Acme-1"
        assert [r.label for r in rows if isinstance(r, Heading)] == ["2026", "2025", "2024", "2023"]
        vendors = main(app).query_one("#vendors").rows
        assert [v.name for v in vendors] == ["All vendors", "Acme AI", "Globex"]
        assert vendors[1].counts == {Status.OPEN_WEIGHT: 2, Status.GATED: 1, Status.CLOUD_ONLY: 2}
        assert app.focused.id == "vendors"


async def test_arrows_jk_gG_pick_vendor_and_enter_tab_esc_move_between_panes(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "j")
        assert main(app).vendor == "acme" and "Globex Large" not in names(app)
        await press(pilot, "down")
        assert main(app).vendor == "globex"
        await press(pilot, "k", "up")
        assert main(app).vendor is None
        await press(pilot, "G")
        assert main(app).vendor == "globex"
        await press(pilot, "g", "j", "enter")
        assert app.focused.id == "timeline" and main(app).vendor == "acme"
        # 80 columns: the focused timeline takes the width, vendors and detail collapse.
        assert not main(app).query_one("#vendors").display
        await press(pilot, "j", "down")
        assert current(app).name == "Acme-2-Max"  # the 2024 heading is skipped over
        await press(pilot, "k", "up")
        assert current(app).name == "Acme-3-Plus"
        await press(pilot, "G")
        assert current(app).name == "Acme-1"
        await press(pilot, "g")
        assert current(app).name == "Acme-3-Plus"
        await press(pilot, "enter")
        assert app.focused.id == "detail" and main(app).query_one("#detail").display
        assert "Acme-3-Plus" in detail_text(app)
        await press(pilot, "escape")
        assert app.focused.id == "timeline"
        await press(pilot, "escape")
        assert app.focused.id == "vendors"
        await press(pilot, "tab")
        assert app.focused.id == "timeline"
        await press(pilot, "tab")
        assert app.focused.id == "detail"
        await press(pilot, "shift+tab", "shift+tab")
        assert app.focused.id == "vendors"


async def test_filter_as_you_type_matches_name_repo_and_license(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "slash", "m", "a", "x")
        assert names(app) == ["Acme-2-Max"]
        assert app.focused.id == "filter"
        await press(pilot, "backspace", "backspace", "backspace", *"acme-1-7b")  # a repo id
        assert names(app) == ["Acme-1"]
        await press(pilot, *["backspace"] * 9, *"cc-by-nc")  # a license
        assert names(app) == ["Globex Small"]
        await press(pilot, "enter")
        assert app.focused.id == "timeline" and main(app).query_text == "cc-by-nc"
        await press(pilot, "escape")  # esc clears the filter
        assert len(names(app)) == 8 and main(app).query_text == ""


async def test_status_keys_toggle_and_combine(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "3")
        assert {e for e in names(app)} == {"Acme-3-Plus", "Acme-2-Max", "Globex Ultra", "Globex Large"}
        await press(pilot, "1")
        assert set(names(app)) >= {"Acme-1", "Acme-2-Max"} and "Acme-3" not in names(app)
        await press(pilot, "3")
        assert set(names(app)) == {"Acme-1", "Acme-2"}
        await press(pilot, "2")
        assert "Acme-3" in names(app)
        await press(pilot, "4")
        assert "Globex Small" in names(app)
        await press(pilot, "0")
        assert len(names(app)) == 8
        await press(pilot, "5")  # discovered only: nothing without a cache
        assert names(app) == []
        bar = str(main(app).query_one("#filterbar").render())
        assert "0 shown" in bar and "discovered" in bar


async def test_s_cycles_the_sort(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "s")
        assert main(app).sort == "name"
        assert names(app) == sorted(names(app), key=str.casefold)
        await press(pilot, "s", "s")
        assert main(app).sort == "status"
        assert names(app)[0] in {"Acme-1", "Acme-2"}  # open-weight first
        await press(pilot, "s")
        assert main(app).sort == "date" and names(app)[0] == "Acme-3-Plus"


async def test_space_marks_and_c_compares_up_to_four(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    notes = Notes()
    async with app.run_test(notifications=True, message_hook=notes) as pilot:
        await press(pilot, "tab", "c")
        assert "Mark two to four" in notes.texts[-1]
        await press(pilot, "space", "j", "space", "j", "space", "j", "space", "j", "space")
        assert len(main(app).marks) == 4  # the fifth was refused
        assert "up to 4" in notes.texts[-1]
        await press(pilot, "c")
        assert isinstance(app.screen, CompareScreen)
        assert [e.name for e in app.screen.entries] == ["Acme-3-Plus", "Globex Ultra", "Acme-3", "Acme-2-Max"]
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)
        await press(pilot, "g", "space")  # unmark
        assert len(main(app).marks) == 3


async def test_y_copies_repo_id_or_source_url(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "tab", "y")  # Acme-3-Plus: cloud-only, one source, copied at once
        assert app.clipboard == "https://example.org/acme/blog/acme-3-plus"
        await press(pilot, "G", "y")  # Acme-1: two repos and a source: pick one
        assert isinstance(app.screen, CopyScreen)
        await press(pilot, "down", "enter")
        assert app.clipboard == "acme/Acme-1-7B-Chat"
        await press(pilot, "y", "y")  # y in the picker copies the highlighted one
        assert app.clipboard == "acme/Acme-1-7B"
        await press(pilot, "y", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_question_mark_lists_every_binding_with_rebound_keys(fixture_catalog_dir):
    from qwen_tui.tui import keys

    app = make_app(fixture_catalog_dir, config=Config(keymap={"refresh": "ctrl+r"}))
    async with app.run_test(size=(120, 60)) as pilot:
        await press(pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)

        text = plain(app.screen.body, 120)
        for _, group in keys.GROUPS:
            for b in group:
                assert b.id in text and b.description in text
        assert "ctrl+r" in text
        await press(pilot, "escape")
        assert isinstance(app.screen, MainScreen)


async def test_keymap_from_config_rebinds_by_id(fixture_catalog_dir, tmp_path):
    app = make_app(fixture_catalog_dir, config=Config(keymap={"sort": "o", "down": "n"}))
    async with app.run_test() as pilot:
        await press(pilot, "o")
        assert main(app).sort == "name"
        await press(pilot, "n")
        assert main(app).vendor == "acme"


async def test_q_quits(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        assert app.return_code is None
        await press(pilot, "q")
        assert app.return_code == 0


async def test_ctrl_p_palette_jumps_to_a_vendor(fixture_catalog_dir):
    from textual.command import CommandPalette

    app = make_app(fixture_catalog_dir)
    async with app.run_test() as pilot:
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press(pilot, *"vendor globex")
        await asyncio.sleep(0.3)
        await press(pilot, "enter")
        await asyncio.sleep(0.1)
        await pilot.pause()
        assert main(app).vendor == "globex" and app.focused.id == "timeline"


async def test_offline_header_and_r_says_it_cannot_refresh(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir, offline=True)
    notes = Notes()
    async with app.run_test(notifications=True, message_hook=notes) as pilot:
        await pilot.pause()
        header = main(app).query_one("#header")
        assert not header.online and "offline" in header_text(app)
        assert "catalog only" in header_text(app)
        await press(pilot, "r")
        assert "cannot refresh" in notes.texts[-1]


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])
async def test_offline_from_the_environment_is_the_hub_clients_rule(fixture_catalog_dir, monkeypatch,
                                                                    variable):
    # huggingface_hub honours TRANSFORMERS_OFFLINE too; the explorer used to read only
    # HF_HUB_OFFLINE, said "online" and let `r` fail with an OfflineError.
    monkeypatch.setenv(variable, "1")
    app = QwenTuiApp(Dataset(load_catalog([fixture_catalog_dir], bundled=False)), default_paths())
    notes = Notes()
    async with app.run_test(notifications=True, message_hook=notes) as pilot:
        await pilot.pause()
        assert not main(app).query_one("#header").online and "offline" in header_text(app)
        await press(pilot, "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [(n.severity, "cannot refresh" in str(n.message)) for n in notes] == [("warning", True)]


async def test_d_without_snapshots_says_so(fixture_catalog_dir):
    app = make_app(fixture_catalog_dir)
    notes = Notes()
    async with app.run_test(notifications=True, message_hook=notes) as pilot:
        await press(pilot, "d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No snapshots yet" in notes.texts


async def test_d_shows_changes_between_the_two_newest_snapshots(fixture_catalog_dir):
    write_snapshot([hub_repo("acme/Acme-1-7B", downloads=10)])
    write_snapshot([hub_repo("acme/Acme-1-7B", downloads=10, gated="manual"), hub_repo("acme/new-thing")])
    app = make_app(fixture_catalog_dir, with_cache=True)
    async with app.run_test() as pilot:
        await press(pilot, "d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ChangesScreen)
        text = plain(app.screen.body, 120)
        assert "acme/new-thing" in text and "acme/Acme-1-7B" in text


async def test_hub_data_shows_downloads_discovered_and_disagreements(fixture_catalog_dir):
    write_snapshot([
        hub_repo("acme/Acme-1-7B", downloads=1234, likes=5, license="apache-2.0"),
        hub_repo("acme/Acme-1-7B-Chat", downloads=1000, likes=1, gated="auto", license="apache-2.0"),
        hub_repo("acme/[bold]x\x1b]52;c;aGk=\x07", downloads=3, created_at="2025-01-02T00:00:00Z"),
    ])
    app = make_app(fixture_catalog_dir, with_cache=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "j", "tab", "G")
        await pilot.pause()
        row = current(app)
        # Discovered rows load lazily (on view); the hostile repo id is shown as inert text.
        assert row.status is Status.DISCOVERED
        svg = app.export_screenshot()
        assert "[bold]x" in svg and "\x1b" not in svg
        await press(pilot, "g")
        await press(pilot, "slash", *"acme-1")
        acme1 = next(r for r in main(app).query_one("#timeline").rows if isinstance(r, Entry))
        assert acme1.status is Status.GATED and acme1.downloads == 2234 and acme1.flagged
        await press(pilot, "enter", "enter")
        body = detail_text(app)
        for text in ("1,234 downloads", "gated (auto)", "Sources disagree"):
            assert text in body
        assert "Hub data" in header_text(app)


async def test_r_refreshes_in_a_worker_with_progress_and_repaints(fixture_catalog_dir, monkeypatch):
    import fakehub

    hub = fakehub.FakeHub()
    hub.add("acme/Acme-1-7B", downloads=4321)
    hub.add("acme/brand-new", downloads=7)
    url = hub.start()
    monkeypatch.setenv("HF_ENDPOINT", url)
    progress: list = []
    notes = Notes()

    def hook(message) -> None:
        notes(message)
        if isinstance(message, RefreshProgress):
            progress.append(message)

    app = make_app(fixture_catalog_dir, with_cache=True)
    try:
        async with app.run_test(notifications=True, message_hook=hook) as pilot:
            await press(pilot, "r")
            await until(lambda: "Refreshed" in " ".join(notes.texts))
            assert progress, "progress was reported"
            assert "Refreshed" in notes.texts[-1]
            assert app.dataset.snapshot is not None
            assert "Hub data" in header_text(app)
            assert main(app).dataset is app.dataset
    finally:
        hub.stop()


async def test_bad_config_is_one_warning_not_a_crash(fixture_catalog_dir, isolated_dirs):
    from qwen_tui.tui import keys
    from qwen_tui.tui.config import load_config

    cfg = isolated_dirs["config"] / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_text("[keys\nrefresh = ")
    config, warning = load_config(cfg, keys.KNOWN_IDS)
    assert warning.startswith(f"config {cfg}") and "\n" not in warning
    app = make_app(fixture_catalog_dir, config=config, warnings=[warning])
    notes = Notes()
    async with app.run_test(notifications=True, message_hook=notes) as pilot:
        await pilot.pause()
        assert any("config" in m for m in notes.texts)
        assert isinstance(app.screen, MainScreen)


def test_config_reads_keys_and_auto_refresh(tmp_path):
    from qwen_tui.tui import keys
    from qwen_tui.tui.config import load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text('[keys]\nrefresh = "ctrl+r"\nnope = "x"\n[refresh]\nauto_after_hours = 6\n')
    config, warning = load_config(cfg, keys.KNOWN_IDS)
    assert config.keymap == {"refresh": "ctrl+r"} and config.auto_after_hours == 6
    assert "unknown key id 'nope'" in warning
    cfg.write_text('[refresh]\nauto_after_hours = "soon"\n')
    assert "auto_after_hours" in load_config(cfg, keys.KNOWN_IDS)[1]
    assert load_config(tmp_path / "missing.toml", keys.KNOWN_IDS) == (Config(), "")


async def test_the_issue_walkthrough_at_80x24(fixture_catalog_dir):
    """Pick a vendor, filter to cloud-only, open the detail, mark it and an open model, compare."""
    app = make_app(fixture_catalog_dir, offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "j", "enter", "3")
        assert names(app) == ["Acme-3-Plus", "Acme-2-Max"]
        await press(pilot, "enter")
        assert "Acme-3-Plus" in detail_text(app)
        await press(pilot, "escape", "space", "0", "slash", *"acme-1", "enter", "space", "c")
        assert isinstance(app.screen, CompareScreen)
        assert [e.name for e in app.screen.entries] == ["Acme-3-Plus", "Acme-1"]


def burst(app, *keys: str) -> None:
    """Queue key events the way the terminal driver does, all at once (no waiting between)."""
    from textual import events

    chars = {"enter": "\r", "escape": "\x1b", "slash": "/", "minus": "-"}
    for key in keys:
        app.post_message(events.Key(key, chars.get(key, key)))


async def test_keys_typed_ahead_land_where_enter_went(tmp_path, fixture_catalog_dir) -> None:
    """A burst (a paste, or keys bunched by a slow SSH link) after enter goes to the opened pane."""
    from qwen_tui.catalog.loader import load_catalog
    from qwen_tui.paths import Paths
    from qwen_tui.query import Dataset
    from qwen_tui.tui.app import QwenTuiApp
    from qwen_tui.tui.widgets.timeline import Timeline
    from qwen_tui.tui.widgets.vendors import VendorList

    paths = Paths(cache_dir=tmp_path / "c", config_dir=tmp_path / "k")
    app = QwenTuiApp(Dataset(load_catalog([fixture_catalog_dir], bundled=False)), paths, offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        # All keys queued before any is handled: j (to Acme AI), enter, 3 (cloud-only), j, enter.
        burst(app, "j", "enter", "3", "j", "enter")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(VendorList).current.id == "acme"
        timeline = screen.query_one(Timeline)
        assert [e.id for e in timeline.rows if hasattr(e, "id")] == ["acme-3-plus", "acme-2-max"]
        assert timeline.current.id == "acme-2-max"
        assert screen.focused.id in ("detail", "detail-body")
        assert screen.has_class("-focus-detail")  # the pane shown is the pane focused
        # The filter too: "/acme-3⏎" then "j" must filter first, then move.
        burst(app, "escape", "escape", "0", "slash", "a", "c", "m", "e", "minus", "3", "enter")
        await pilot.pause()
        await pilot.pause()
        assert [e.id for e in timeline.rows if hasattr(e, "id")] == ["acme-3-plus", "acme-3"]
        assert screen.focused is timeline


def shown_lines(widget) -> list[str]:
    """The widget's lines as the terminal gets them (render_line, the Line API's output)."""
    return ["".join(seg.text for seg in widget.render_line(y)) for y in range(widget.size.height)]


async def test_the_cursor_row_stays_in_view_with_a_position_column() -> None:
    # The bundled catalog: 246 releases under "All vendors", far more than 24 lines.
    from qwen_tui.catalog import load_catalog as load_bundled

    app = QwenTuiApp(Dataset(load_bundled(), None, ""), default_paths(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "tab")
        tl = main(app).query_one("#timeline")
        view = tl.size.height - tl.HEADER_LINES
        assert len(tl.rows) > 3 * view

        def cursor_is_shown() -> bool:
            lines = shown_lines(tl)
            return any(line.startswith("▶") and tl.current.name[:10] in line for line in lines)

        # Rows are set before the first layout: the view must not scroll for a zero-height list.
        assert tl.top == 0 and "── 2026 " in shown_lines(tl)[tl.HEADER_LINES]
        top_gutter = [line[-1] for line in shown_lines(tl)[tl.HEADER_LINES:]]
        assert top_gutter[0] == "▐" and top_gutter[-1] == " "  # at the top: the thumb is too
        for keys in (["G"], ["pageup"], ["pageup", "pageup"], ["g"], ["pagedown"], ["j"] * 30):
            await press(pilot, *keys)
            assert cursor_is_shown(), keys
        await press(pilot, "G")
        gutter = [line[-1] for line in shown_lines(tl)[tl.HEADER_LINES:]]
        assert gutter[-1] == "▐" and gutter[0] == " "  # at the end: the thumb is too
        assert tl.top == len(tl.rows) - view


async def test_ctrl_l_redraws_everything() -> None:
    from qwen_tui.catalog import load_catalog as load_bundled

    app = QwenTuiApp(Dataset(load_bundled(), None, ""), default_paths(), offline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app._wire._lines[0] = {0: (80, "stale")}  # as if the terminal had been written to
        await press(pilot, "ctrl+l")
        assert app._wire._lines == {}


async def test_the_gc_paused_for_start_up_resumes_after_the_first_frame() -> None:
    import gc

    from qwen_tui.catalog import load_catalog as load_bundled

    gc.disable()  # as `qwen-tui` (cli/explore.py) does before importing Textual
    try:
        app = QwenTuiApp(Dataset(load_bundled(), None, ""), default_paths(), offline=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up objects are never scanned again
    finally:
        gc.enable()
        gc.unfreeze()


async def test_G_shows_the_headings_after_the_last_release_so_discovered_rows_load(fixture_catalog_dir):
    # A short terminal: the timeline holds fewer rows than "All vendors" has, and the pending
    # "Discovered ..." heading comes after the last release. Before, G stopped the view at the
    # last release, the heading was never drawn, and the discovered repos never loaded.
    write_snapshot([hub_repo("acme/not-in-the-catalog", created_at="2020-01-02T00:00:00Z")])
    app = make_app(fixture_catalog_dir, with_cache=True)
    async with app.run_test(size=(80, 10)) as pilot:
        await press(pilot, "tab", "G")
        tl = main(app).query_one("#timeline")
        assert len(tl.rows) > tl.view_height  # the list really scrolls at this size
        await app.workers.wait_for_complete()
        await press(pilot, "G")
        assert current(app).id == "hub/acme/not-in-the-catalog"  # one discovered group: its id
        assert current(app).status is Status.DISCOVERED


@pytest.mark.parametrize("key", ["\u001b", "ctrl+\u001b[31m", "a\u0007", "x\u009b", "\u202ex"])
def test_a_rebind_with_control_characters_is_refused_naming_the_key(tmp_path, key):
    # A raw ESC in a rebind used to reach the footer and the help screen as a live escape.
    import json

    from qwen_tui.tui import keys
    from qwen_tui.tui.config import load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[keys]\nfilter = {json.dumps(key)}\nsort = \"o\"\n")
    config, warning = load_config(cfg, keys.KNOWN_IDS)
    assert config.keymap == {"sort": "o"}  # the bad one dropped, the default kept, the rest used
    assert "keys.filter" in warning and "\n" not in warning
    assert not any(ord(ch) < 32 or 0x7f <= ord(ch) < 0xa0 or ch == "\u202e" for ch in warning)


@pytest.mark.parametrize(("value", "named"), [("nan", "nan"), ("inf", "inf"), ("-inf", "-inf"), ("-1", "-1"),
                                              ("1e400", "inf"), ('"soon"', "'soon'")])
def test_auto_after_hours_must_be_a_finite_number_of_hours(tmp_path, value, named):
    from qwen_tui.tui import keys
    from qwen_tui.tui.config import load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text(f"[refresh]\nauto_after_hours = {value}\n")
    config, warning = load_config(cfg, keys.KNOWN_IDS)
    assert config.auto_after_hours == Config().auto_after_hours
    assert f"refresh.auto_after_hours = {named} " in warning and "\n" not in warning


def test_a_deeply_nested_config_is_one_warning_not_a_recursion_error(tmp_path):
    from qwen_tui.tui import keys
    from qwen_tui.tui.config import load_config

    cfg = tmp_path / "config.toml"
    cfg.write_text("x = " + "[" * 3000 + "]" * 3000 + "\n")
    config, warning = load_config(cfg, keys.KNOWN_IDS)
    assert config == Config() and warning.startswith(f"config {cfg}:") and "nested" in warning


async def test_the_cli_and_the_explorer_use_the_same_words(fixture_catalog_dir, capsys):
    """One vocabulary (present/): a license's commercial use and the data's age read the same in
    `qwen-tui license` / `qwen-tui list` as in the explorer's detail and header."""
    from qwen_tui.cli import main as cli

    def flat(text: str) -> str:
        return " ".join(text.split())

    assert cli(["license", "proprietary", "--catalog", str(fixture_catalog_dir)]) == 0
    license_out = flat(capsys.readouterr().out)
    assert cli(["list", "--catalog", str(fixture_catalog_dir)]) == 0
    list_title = capsys.readouterr().out.splitlines()[0]
    app = make_app(fixture_catalog_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "enter", "enter")
        assert current(app).name == "Acme-3-Plus" and current(app).license == "proprietary"
        detail = flat(detail_text(app))
        words = detail.split("commercial use ", 1)[1].split(" user cap")[0].split(" OSI-approved")[0]
        assert words.startswith("conditional (") and f"commercial use: {words}" in license_out
        # The Hub's age; then the models.dev data's (this app's Dataset is built without it:
        # tests/test_living_tui.py checks the header's models.dev part).
        age, tracker = list_title.split(" · ")[1:]
        assert age == "catalog only, no Hub data yet" and age in header_text(app)
        assert tracker == "models.dev bundled copy of 2026-07-01"
