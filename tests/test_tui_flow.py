"""Flow of the explorer (issue 14): the copy picker, the command palette, the footer and help at
60x15, the header after a failed refresh and as time passes, one number format in toasts.
Real app under the pilot, fixture catalog."""

from __future__ import annotations

import asyncio

import pytest

from qwen_tui.tui.screens.copy import CopyScreen
from qwen_tui.tui.screens.main import MainScreen
from test_tui_app import Notes, make_app, press

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
    import os

    from rich.console import Console

    from qwen_tui.tui import keys
    from qwen_tui.tui.screens.help import LEGEND, help_table

    console = Console(width=width, record=True, file=open(os.devnull, "w"))
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
