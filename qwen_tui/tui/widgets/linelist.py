"""A virtual, keyboard-driven list on Textual's Line API.

Only visible lines are rendered (`render_line`), and a cursor move refreshes just the two lines
that changed: over SSH that is a few hundred bytes per keypress, and 100,000 rows cost nothing
until shown. Subclasses say which rows can hold the cursor and how a row looks.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

from qwen_tui.tui import keys


class LineList(ScrollView, can_focus=True):
    BINDINGS = keys.LIST
    COMPONENT_CLASSES = {"linelist--cursor", "linelist--heading"}
    HEADER_LINES = 0  # lines pinned at the top (column titles), not scrolled

    class Highlighted(Message):
        """The cursor is on a new row."""

        def __init__(self, widget: LineList, index: int, row: Any) -> None:
            super().__init__()
            self.widget, self.index, self.row = widget, index, row

        @property
        def control(self) -> LineList:
            return self.widget

    cursor: var[int] = var(-1, always_update=False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[Any] = []

    # -- what subclasses provide -----------------------------------------------------------------

    def selectable(self, row: Any) -> bool:
        return True

    def render_row(self, row: Any, width: int, selected: bool) -> Text:
        return Text(str(row))

    def render_header(self, width: int) -> Text:
        return Text()

    # -- data ------------------------------------------------------------------------------------

    def set_rows(self, rows: list[Any], keep: Any = None) -> None:
        """Replace the rows; the cursor stays on `keep` (by identity) if it is still there."""
        self.rows = rows
        index = -1
        if keep is not None:
            # Bounded: on 100k rows a full identity scan costs a keystroke's budget; the kept
            # row of a narrowing filter is near the top anyway.
            index = next((i for i, r in enumerate(rows[:5000]) if r is keep), -1)
        if index < 0:
            index = self._next_selectable(0, 1)
        self.virtual_size = Size(self.size.width, len(rows) + self.HEADER_LINES)
        self.set_reactive(LineList.cursor, index)
        self._scroll_to_cursor()
        self.refresh()
        self._post_highlight()

    @property
    def current(self) -> Any:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _next_selectable(self, start: int, step: int) -> int:
        i = start
        while 0 <= i < len(self.rows):
            if self.selectable(self.rows[i]):
                return i
            i += step
        return -1

    def move_to(self, index: int, step: int = 1) -> None:
        index = max(0, min(index, len(self.rows) - 1))
        found = self._next_selectable(index, step)
        if found < 0:
            found = self._next_selectable(index, -step)
        if found >= 0 and found != self.cursor:
            self.cursor = found

    def watch_cursor(self, old: int, new: int) -> None:
        # Only the two changed lines are repainted (unless the view has to scroll).
        if not self._scroll_to_cursor():
            for i in (old, new):
                if 0 <= i < len(self.rows):
                    self.refresh_line(i + self.HEADER_LINES)
        self._post_highlight()

    def _post_highlight(self) -> None:
        self.post_message(self.Highlighted(self, self.cursor, self.current))

    def _scroll_to_cursor(self) -> bool:
        """Scroll so the cursor is visible; True if the view moved."""
        height = max(1, self.size.height - self.HEADER_LINES)
        top = round(self.scroll_y)
        target = top
        if self.cursor < 0:
            target = 0
        elif self.cursor < top:
            target = self.cursor
            # Show the heading right above the cursor too, so a year is never cut off.
            if self.cursor > 0 and not self.selectable(self.rows[self.cursor - 1]):
                target -= 1
        elif self.cursor >= top + height:
            target = self.cursor - height + 1
        if target != top:
            self.scroll_to(y=target, animate=False, immediate=True)
            return True
        return False

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows) + self.HEADER_LINES)
        self._scroll_to_cursor()
        self.refresh()

    # -- actions ---------------------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        if self.cursor < 0:
            self.move_to(0)
            return
        nxt = self._next_selectable(self.cursor + step, step)
        if nxt >= 0:
            self.cursor = nxt

    def action_page(self, step: int) -> None:
        height = max(1, self.size.height - self.HEADER_LINES - 1)
        self.move_to(self.cursor + step * height, step)

    def action_first(self) -> None:
        self.move_to(0, 1)

    def action_last(self) -> None:
        self.move_to(len(self.rows) - 1, -1)

    # -- rendering -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # without the scrollbar
        base = self.rich_style
        if y < self.HEADER_LINES:
            return self._strip(self.render_header(width), width, base)
        index = round(self.scroll_y) + y - self.HEADER_LINES
        if not 0 <= index < len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        selected = index == self.cursor
        text = self.render_row(row, width, selected)
        if selected:
            text.stylize(self.get_component_rich_style("linelist--cursor", partial=True))
        return self._strip(text, width, base)

    def _strip(self, text: Text, width: int, base: Style) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in text.render(self.app.console) if s.text != "\n"]
        return Strip(segments).crop_extend(0, width, base)
