"""The top line: app name, where you are, online/offline, the age of the data, refresh progress,
and a failed refresh (kept until the next try, not a toast that goes away)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class StatusHeader(Static):
    place = reactive("")
    online = reactive(True)
    age = reactive("")
    progress = reactive("")
    failure = reactive(("", ""))  # (the whole line, a shorter one for a narrow header), or empty

    def render(self) -> Text:
        t = Text(" qwen-tui", style="bold")
        if self.place:
            t.append("  " + self.place)
        width = self.size.width
        right = Text()
        if self.progress:
            right.append(self.progress + "  ", style="bold")
        if self.failure[0] and not self.progress:
            room = max(1, width - 10)  # " qwen-tui" and a space always stay
            line = next((f for f in self.failure if len(f) + 1 <= room), self.failure[-1])
            failure = Text(line, style="bold reverse", no_wrap=True)
            failure.truncate(room - 1, overflow="ellipsis")
            right.append_text(failure)
        else:
            right.append("online" if self.online else "offline",
                          style="bold" if self.online else "bold reverse")
            if self.age:
                right.append(" · " + self.age)
        right.append(" ")
        if t.cell_len + right.cell_len > width:
            # Narrow: the place gives way first; online/offline and the age always stay.
            t.truncate(max(9, width - right.cell_len), overflow="ellipsis")
        gap = max(1, width - t.cell_len - right.cell_len)
        return t + Text(" " * gap) + right
