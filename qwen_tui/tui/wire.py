"""Only what changed crosses the wire.

Textual writes far more than the picture changes. At start it draws the whole screen when the
screen resumes, again for its own `refresh()` right after, then repaints every widget whose
Update message was queued during mount, and again for each Resize the terminal reports. Each full
80x24 frame of the explorer is ~10 KB; over SSH that is latency and, on a metered link, money.

`WireCache` sits at Textual's one exit to the terminal (`App._display`). It remembers, for each
terminal line, which bytes it last wrote at which columns (one entry per compositor "chop", the
piece of a line between two widget edges) and lets through only the chops whose bytes differ.

The invariant: an entry `(y, x) -> (end, text)` means cells x..end-1 of line y show exactly what
writing `text` at x would show. Writing anywhere on a line drops the entries it overlaps. The
cache must be forgotten whenever the terminal may have changed without us: a new size, the app
resuming after a suspend, or the user asking for a redraw (ctrl+l).

The Textual internals it relies on are fenced in textual_private.py.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from textual.geometry import Region

from qwen_tui.tui.textual_private import UpdateBase

if TYPE_CHECKING:
    from qwen_tui.tui.textual_private import ChopsUpdate, LayoutUpdate


class WireBytes(UpdateBase):  # Textual's CompositorUpdate (textual_private.UpdateBase)
    """Terminal bytes for the chops of an update that the terminal does not show yet."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console: Console) -> str:
        return self.text

    def __rich_console__(self, console, options):  # Textual uses this only for inline apps
        yield Segment(self.text)


# Rich ends every styled segment with a reset and starts the next with a new SGR: `ESC[0m ESC[1;35m`.
# `ESC[0;1;35m` means the same (SGR parameters apply in order) in three bytes fewer; at ~6
# segments a line that is a tenth of what a line costs.
_RESET_THEN_SGR = re.compile("\x1b\\[0m\x1b\\[([0-9;]*)m")


def _tighten(text: str) -> str:
    return _RESET_THEN_SGR.sub("\x1b[0;\\1m", text)


class WireCache:
    def __init__(self) -> None:
        self._region: Region | None = None
        self._lines: dict[int, dict[int, tuple[int, str]]] = {}  # y -> {x: (end, text)}
        self._out: list[str] = []

    def forget(self) -> None:
        self._region = None
        self._lines.clear()

    def resized(self, size) -> None:
        """A terminal may rewrap or clear its cells when its size changes: trust none of them."""
        if self._region is None or self._region.size != size:
            self.forget()

    def _write(self, y: int, x: int, end: int, text: str) -> None:
        line = self._lines.setdefault(y, {})
        if line.get(x) == (end, text):
            return  # the terminal shows exactly this already
        for other in [o for o, (o_end, _) in line.items() if o < end and o_end > x]:
            del line[other]
        line[x] = (end, text)
        self._out.append(Control.move_to(x, y).segment.text)
        self._out.append(text)

    def _flush(self) -> WireBytes:
        text = "".join(self._out)
        self._out.clear()
        return WireBytes(text)

    def full(self, update: LayoutUpdate, console: Console) -> WireBytes:
        """The whole screen, as Textual's LayoutUpdate would write it, minus what is shown."""
        if update.region != self._region:
            self.forget()
            self._region = update.region
        for y, strips in enumerate(update.strips, update.region.y):
            x = update.region.x
            for strip in strips:
                end = x + strip.cell_length
                if end > x:
                    self._write(y, x, end, _tighten(strip.render(console)))
                x = end
        return self._flush()

    def partial(self, update: ChopsUpdate, console: Console) -> WireBytes:
        """Spans of some lines, cropped exactly as ChopsUpdate.render_segments crops them."""
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    end = min(end, x2)
                    strip = strip.crop(0, end - x)
                if end > x:
                    self._write(y, x, end, _tighten(strip.render(console)))
        return self._flush()
