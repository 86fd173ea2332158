"""A virtual, keyboard-driven list on Textual's Line API.

Only visible lines are rendered (`render_line`), and a cursor move refreshes just the two lines
that changed: over SSH that is a few hundred bytes per keypress, and 100,000 rows cost nothing
until shown. Subclasses say which rows can hold the cursor and how a row looks.

The list scrolls itself (`top`, the first row shown) and draws its own one-column scroll
position, instead of being a ScrollView with Textual's ScrollBar: new rows or a scroll then cost a
repaint, never a layout pass, and no scrollbar appears a frame after the rows (which made the
first screen go out twice, ~10 KB over SSH).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import islice
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region
from textual.message import Message
from textual.reactive import var
from textual.strip import Strip
from textual.widget import Widget

from qwen_tui.tui import keys


class LineList(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [*keys.LIST]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "linelist--cursor", "linelist--heading", "linelist--thumb", "linelist--track",
    }
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
        self.rows: Sequence[Any] = []
        self.top = 0  # index of the first row in view
        self._style_memo: dict[str, Style] = {}  # one frame's styles (Textual's walk the DOM)

    # -- what subclasses provide -----------------------------------------------------------------

    def selectable(self, row: Any) -> bool:
        return True

    def render_row(self, row: Any, width: int, selected: bool) -> Text:
        return Text(str(row))

    def render_header(self, width: int) -> Text:
        return Text()

    # -- data ------------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[Any], keep: Any = None) -> None:
        """Replace the rows; the cursor stays on `keep` (by identity) if it is still there."""
        self.rows = rows
        index = -1
        if keep is not None:
            # Bounded: on 100k rows a full identity scan costs a keystroke's budget; the kept
            # row of a narrowing filter is near the top anyway.
            index = next((i for i, r in enumerate(islice(rows, 5000)) if r is keep), -1)
        if index < 0:
            index = self._next_selectable(0, 1)
        self._set_top(self.top)  # fewer rows may not fill the view from where it was
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
                    self.refresh_row(i)
        self._post_highlight()

    def refresh_row(self, index: int) -> None:
        """Repaint one row (if in view): a cursor move costs two lines, not the pane."""
        line = index - self.top
        if 0 <= line < self.view_height:
            self.refresh(Region(0, line + self.HEADER_LINES, self.size.width, 1))

    def _post_highlight(self) -> None:
        self.post_message(self.Highlighted(self, self.cursor, self.current))

    @property
    def view_height(self) -> int:
        return max(1, self.size.height - self.HEADER_LINES)

    def _scroll_to_cursor(self) -> bool:
        """Scroll so the cursor is visible; True if the view moved (and was repainted)."""
        if not self.size.height:
            return False  # not laid out yet (rows are set on mount): on_resize will do it
        height = self.view_height
        top = self.top
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
            if self._next_selectable(self.cursor + 1, 1) < 0:
                target = len(self.rows) - height  # the last row: show the headings after it too
        return self._set_top(target)

    def _set_top(self, top: int) -> bool:
        """Make row `top` the first in view (within bounds); True if the view moved."""
        top = max(0, min(top, len(self.rows) - self.view_height))
        if top == self.top:
            return False
        self.top = top
        self.refresh()
        return True

    def on_resize(self) -> None:
        # No refresh() of our own: Textual repaints a widget whose size changed.
        self._scroll_to_cursor()

    def on_mouse_scroll_down(self) -> None:
        self._set_top(self.top + 3)

    def on_mouse_scroll_up(self) -> None:
        self._set_top(self.top - 3)

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

    def refresh(self, *regions, **kwargs) -> LineList:
        self._style_memo.clear()  # a repaint may follow a style change (focus, theme)
        return super().refresh(*regions, **kwargs)

    def notify_style_update(self) -> None:
        self._style_memo.clear()
        super().notify_style_update()

    def style_of(self, component: str = "") -> Style:
        """The widget's style, or a component class's (partial) style, memoised for the frame."""
        style = self._style_memo.get(component)
        if style is None:
            style = (self.get_component_rich_style(component, partial=True) if component
                     else self.rich_style)
            self._style_memo[component] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = max(1, self.content_size.width - 1)  # the last column: position
        base = self.style_of()
        gutter = self._gutter(y - self.HEADER_LINES, base)
        if y < self.HEADER_LINES:
            return self._strip(self.render_header(width), width, base, gutter)
        index = self.top + y - self.HEADER_LINES
        if not 0 <= index < len(self.rows):
            return self._strip(Text(), width, base, gutter)
        row = self.rows[index]
        selected = index == self.cursor
        text = self.render_row(row, width, selected)
        if selected:
            text.stylize(self.style_of("linelist--cursor"))
        return self._strip(text, width, base, gutter)

    def _gutter(self, line: int, base: Style) -> Segment:
        """Line `line` of the view's scroll position column: a thumb where the view is."""
        view = self.view_height
        total = len(self.rows)
        if line < 0 or total <= view:
            return Segment(" ", base)
        thumb = max(1, view * view // total)
        top = round(self.top * (view - thumb) / (total - view))
        on = top <= line < top + thumb
        return Segment("▐" if on else " ", base + self.style_of(
            "linelist--thumb" if on else "linelist--track"))

    def _strip(self, text: Text, width: int, base: Style, gutter: Segment) -> Strip:
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = [Segment(s.text, base + s.style if s.style else base)
                    for s in text.render(self.app.console) if s.text != "\n"]
        segments.append(gutter)
        return Strip(segments).crop_extend(0, width + 1, base)
