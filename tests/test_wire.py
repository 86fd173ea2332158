"""The wire cache writes less and never leaves the terminal showing something else.

Every step replays Textual's own bytes for an update (`render_segments`) into one emulated
terminal and the wire cache's bytes into another: after each step the two must match cell for
cell, whatever mix of full and partial updates came before.
"""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip
from vt import Screen

from qwen_tui.tui.wire import WireCache

W, H = 12, 4
STYLES = [Style(), Style(bold=True), Style(color="red"), Style(bgcolor="blue", color="white")]
CONSOLE = Console(force_terminal=True, color_system="256", width=W)

chars = st.sampled_from("ab─│▐ x")


@st.composite
def strip_of(draw, width: int) -> Strip:
    """A strip exactly `width` cells wide, in one to three styled pieces."""
    cuts = sorted(draw(st.sets(st.integers(1, width - 1), max_size=2))) if width > 1 else []
    bounds = [0, *cuts, width]
    segments = [Segment("".join(draw(st.lists(chars, min_size=b - a, max_size=b - a))),
                        draw(st.sampled_from(STYLES)))
                for a, b in itertools.pairwise(bounds)]
    return Strip(segments, width)


@st.composite
def line_chops(draw) -> list[tuple[int, int, Strip]]:
    """One line cut into chops (x, end, strip), as the compositor cuts it at widget edges."""
    cuts = sorted(draw(st.sets(st.integers(1, W - 1), max_size=3)))
    bounds = [0, *cuts, W]
    return [(a, b, draw(strip_of(b - a))) for a, b in itertools.pairwise(bounds)]


@st.composite
def full_update(draw) -> LayoutUpdate:
    lines = [draw(line_chops()) for _ in range(H)]
    return LayoutUpdate([[strip for _, _, strip in line] for line in lines], Region(0, 0, W, H))


@st.composite
def partial_update(draw) -> ChopsUpdate:
    lines = [draw(line_chops()) for _ in range(H)]
    chops = [{x: strip for x, _, strip in line} for line in lines]
    ends = [[end for _, end, _ in line] for line in lines]
    ys = sorted(draw(st.sets(st.integers(0, H - 1), min_size=1)))
    spans = []
    for y in ys:
        x1 = draw(st.integers(0, W - 1))
        spans.append((y, x1, draw(st.integers(x1 + 1, W))))
    return ChopsUpdate(chops, spans, ends)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(full_update(), partial_update()), min_size=1, max_size=8),
       st.lists(st.booleans(), min_size=8, max_size=8))
def test_the_terminal_shows_what_textual_would_have_written(updates, repeat) -> None:
    textual_view, our_view = Screen(W, H), Screen(W, H)
    wire = WireCache()
    for update, twice in zip(updates, repeat, strict=False):  # repeat may be longer: its tail is unused
        for _ in range(2 if twice else 1):  # the same update again: nothing new to write
            textual_view.feed(update.render_segments(CONSOLE))
            if isinstance(update, LayoutUpdate):
                ours = wire.full(update, CONSOLE)
            else:
                ours = wire.partial(update, CONSOLE)
            our_view.feed(ours.render_segments(CONSOLE))
            assert our_view == textual_view, (textual_view.text(), our_view.text())


PLAIN = Style()


def line(text: str, style: Style = PLAIN) -> list[Strip]:
    return [Strip([Segment(text.ljust(W), style)], W)]


def test_a_repeated_full_frame_writes_nothing_and_a_changed_line_only_that_line() -> None:
    wire = WireCache()
    frame = LayoutUpdate([line(f"row {i}") for i in range(H)], Region(0, 0, W, H))
    first = wire.full(frame, CONSOLE).render_segments(CONSOLE)
    assert all(f"row {i}" in first for i in range(H))
    assert wire.full(frame, CONSOLE).render_segments(CONSOLE) == ""
    changed = LayoutUpdate([line("row 0"), line("ROW 1"), line("row 2"), line("row 3")],
                           Region(0, 0, W, H))
    out = wire.full(changed, CONSOLE).render_segments(CONSOLE)
    assert "ROW 1" in out and "row 0" not in out and "row 2" not in out


def test_forget_and_a_new_size_write_everything_again() -> None:
    wire = WireCache()
    frame = LayoutUpdate([line(f"row {i}") for i in range(H)], Region(0, 0, W, H))
    wire.full(frame, CONSOLE)
    wire.forget()
    assert "row 3" in wire.full(frame, CONSOLE).render_segments(CONSOLE)
    wire.resized(frame.region.size)  # the same size: nothing to forget
    assert wire.full(frame, CONSOLE).render_segments(CONSOLE) == ""
    wire.resized((*frame.region.size, 1, 0))
    assert "row 3" in wire.full(frame, CONSOLE).render_segments(CONSOLE)
