"""The top line: app name, where you are, online/offline, the age of the data, refresh progress."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class StatusHeader(Static):
    place = reactive("")
    online = reactive(True)
    age = reactive("")
    progress = reactive("")

    def render(self) -> Text:
        t = Text(" qwen-tui", style="bold")
        if self.place:
            t.append("  " + self.place)
        right = Text()
        if self.progress:
            right.append(self.progress + "  ", style="bold")
        right.append("online" if self.online else "offline", style="bold" if self.online else "bold reverse")
        if self.age:
            right.append(" · " + self.age)
        right.append(" ")
        width = self.size.width
        if t.cell_len + right.cell_len > width:
            # Narrow: the place gives way first; online/offline and the age always stay.
            t.truncate(max(9, width - right.cell_len), overflow="ellipsis")
        gap = max(1, width - t.cell_len - right.cell_len)
        return t + Text(" " * gap) + right
