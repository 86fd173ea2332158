"""Legibility measured on what the explorer renders (issue 14, items 4 and 5).

The screen is rendered by the real app under the pilot; every segment's foreground and background
are read from the compositor's output (after Textual's line filters, i.e. what reaches the
terminal) and measured: the WCAG contrast under NO_COLOR, and the colour a 16-colour terminal
shows (Rich's downgrade to ColorSystem.STANDARD, as Textual's console does for TERM=xterm).
"""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from test_tui_snapshots import build_app

from qwen_tui.model import Status
from qwen_tui.present.status import GLYPH, MONO_BOLD

pytestmark = pytest.mark.anyio

STATUS_CELLS = {f"{GLYPH[s]} {s.value}": s for s in Status}
NEUTRAL_16 = {0, 7, 8, 15}  # black, white, bright black (grey), bright white


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def luminance(rgb) -> float:
    def channel(v: int) -> float:
        v = v / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


async def screen_segments(app, size, keys) -> list[tuple[int, Segment]]:
    """(line, segment) for every visible non-blank segment of the whole screen, as rendered."""
    async with app.run_test(size=size) as pilot:
        for key in keys:
            await pilot.press(key)
        await pilot.pause()
        update = app.screen._compositor.render_update(full=True)  # Textual's own full frame
        return [(y, seg) for y, line in enumerate(update.strips)
                for strip in line for seg in strip if seg.text.strip() and seg.style is not None]


def shown_colours(style):
    fg, bg = style.color.triplet, style.bgcolor.triplet
    return (bg, fg) if style.reverse else (fg, bg)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("keys", [[], ["j", "tab"], ["j", "tab", "enter"], ["t"], ["question_mark"]],
                         ids=["vendors", "timeline", "detail", "trends", "help"])
async def test_no_color_everything_reads_at_4_5_to_1(fixture_catalog_dir, monkeypatch, size, keys):
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(fixture_catalog_dir)
    segments = await screen_segments(app, size, keys)
    low = [(y, seg.text, round(contrast(*shown_colours(seg.style)), 2)) for y, seg in segments
           if contrast(*shown_colours(seg.style)) < 4.5]
    assert segments and not low, low
    # A status is on screen (and so measured): as glyph and word, or as its glyph alone where the
    # layout shrinks the status column (the timeline preview beside the vendors at 80 columns).
    shown = {seg.text.strip() for _, seg in segments}
    assert shown & (set(STATUS_CELLS) | set(GLYPH.values())) or keys[-1:] == ["question_mark"]


async def test_no_color_statuses_differ_by_glyph_and_weight_not_dimness(fixture_catalog_dir, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(fixture_catalog_dir)
    # All vendors, timeline focused: every status of the fixture on screen, the cursor on one.
    segments = await screen_segments(app, (120, 40), ["tab"])
    cells = [(STATUS_CELLS[seg.text.strip()], seg.style) for _, seg in segments
             if seg.text.strip() in STATUS_CELLS]
    assert {s for s, _ in cells} == set(Status)
    for status, style in cells:
        assert bool(style.bold) is MONO_BOLD[status], status
        assert not style.dim
    # Off the cursor row, every status is drawn in one and the same colour: no status is dimmer.
    plain = {style.color.triplet for _, style in cells if style.bgcolor.triplet == (18, 18, 18)}
    assert len(plain) == 1


async def test_16_colours_each_status_its_own_colour(fixture_catalog_dir):
    app = build_app(fixture_catalog_dir)
    segments = await screen_segments(app, (120, 40), ["tab"])
    colours: dict[Status, set[int]] = {}
    for _, seg in segments:
        status = STATUS_CELLS.get(seg.text.strip())
        if status is not None:
            colours.setdefault(status, set()).add(seg.style.color.downgrade(ColorSystem.STANDARD).number)
    assert set(colours) == set(Status)
    assert all(len(c) == 1 for c in colours.values()), colours
    assert len({c for cs in colours.values() for c in cs}) == len(Status), colours


@pytest.mark.parametrize("keys", [[], ["tab"]], ids=["vendors", "timeline"])
async def test_16_colours_cursor_row_is_neutral(fixture_catalog_dir, keys):
    app = build_app(fixture_catalog_dir)
    segments = await screen_segments(app, (120, 40), keys)
    cursor = [seg for _, seg in segments if seg.text.startswith("▶")]
    assert cursor
    for seg in cursor:
        assert seg.style.bgcolor.downgrade(ColorSystem.STANDARD).number in NEUTRAL_16, seg
