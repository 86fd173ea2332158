"""The timeline pane: one line per release (or discovered repo), year headings between them.

Columns adapt to the width with whole words: below ~60 cells the license and downloads columns
go (the detail pane has them, one key away); the name column takes what is left.
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message

from qwen_tui.model import Status
from qwen_tui.present.origin import origin_tag
from qwen_tui.present.status import STATUS_WIDTH, count, status_text
from qwen_tui.reconcile import Entry
from qwen_tui.text import clean
from qwen_tui.tui import keys
from qwen_tui.tui.rows import Heading
from qwen_tui.tui.widgets.linelist import LineList

DATE_W, LIC_W, DL_W, VENDOR_W = 10, 16, 9, 12


def entry_key(e: Entry) -> tuple[str, str]:
    return (e.vendor, e.id)


class Timeline(LineList):
    BINDINGS = keys.TIMELINE
    HEADER_LINES = 1

    class MarkToggled(Message):
        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

    class PendingShown(Message):
        """A not-yet-loaded section came into view: time to load it."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.marked: set[tuple[str, str]] = set()
        self.show_vendor = False
        self.vendor_names: dict[str, str] = {}
        self.shifts: dict = {}  # (vendor, release id) -> Shift: the row gets a mark (shiftmarks.py)

    def selectable(self, row) -> bool:
        return not isinstance(row, Heading)

    def columns(self, width: int) -> tuple[bool, bool, bool]:
        """(license, downloads, vendor) shown at this width."""
        lic = width >= 62
        dl = width >= 75
        vendor = self.show_vendor and width >= 100
        return lic, dl, vendor

    def _name_width(self, width: int) -> int:
        lic, dl, vendor = self.columns(width)
        used = 2 + DATE_W + 1 + 1 + STATUS_WIDTH
        used += (LIC_W + 1) if lic else 0
        used += (DL_W + 1) if dl else 0
        used += (VENDOR_W + 1) if vendor else 0
        return max(8, width - used)

    def render_header(self, width: int) -> Text:
        lic, dl, vendor = self.columns(width)
        t = Text("  " + "date".ljust(DATE_W) + " ", style="dim")
        if vendor:
            t.append("vendor".ljust(VENDOR_W) + " ")
        t.append("release".ljust(self._name_width(width)) + " ")
        t.append("status".ljust(STATUS_WIDTH))
        if lic:
            t.append(" " + "license".ljust(LIC_W))
        if dl:
            t.append(" " + "downloads".rjust(DL_W))
        return t

    def render_row(self, row, width: int, selected: bool) -> Text:
        if isinstance(row, Heading):
            if row.kind == "pending":
                self.post_message(self.PendingShown())
            style = self.style_of("linelist--heading")
            head = Text(f"── {row.label} ", style=style, no_wrap=True)
            return head + Text("─" * max(0, width - head.cell_len), style="dim")
        e: Entry = row
        lic, dl, vendor = self.columns(width)
        marked = entry_key(e) in self.marked
        t = Text(("▶" if selected else " ") + ("✓" if marked else " "), style="bold")
        t.append((str(e.date) if e.date else "").ljust(DATE_W) + " ")
        if vendor:
            v = Text(clean(self.vendor_names.get(e.vendor, e.vendor)))
            v.truncate(VENDOR_W, overflow="ellipsis", pad=True)
            t.append_text(v)
            t.append(" ")
        # clean(): Hub names are data; an escape sequence in one must never reach the terminal.
        name = Text(clean(e.name) + (" !" if e.flagged else ""), style="bold" if marked else "")
        name_w = self._name_width(width)
        shift = self.shifts.get(entry_key(e)) if self.shifts else None
        if shift is not None:  # the mark stays whole; the name gives way (to the arrow alone if narrow)
            from qwen_tui.tui.shiftmarks import mark

            tag = mark(shift, short=name_w < 20)
            name.truncate(max(1, name_w - tag.cell_len - 1), overflow="ellipsis")
            name.append(" ")
            name.append_text(tag)
        # Not from the catalog: say where from; the words only where they cost the name nothing.
        source = origin_tag(e, room=name_w - name.cell_len - 1)
        if source is not None:
            name.truncate(max(1, name_w - source.cell_len - 1), overflow="ellipsis")
            name.append(" ")
            name.append_text(source)
        name.truncate(name_w, overflow="ellipsis", pad=True)
        t.append_text(name)
        t.append(" ")
        t.append_text(status_text(e.status, width=STATUS_WIDTH))
        if lic:
            lt = Text(" " + clean(e.license))
            lt.truncate(LIC_W + 1, overflow="ellipsis", pad=True)
            t.append_text(lt)
        if dl:
            t.append(" " + count(e.downloads).rjust(DL_W))
        return t

    def action_mark(self) -> None:
        if isinstance(self.current, Entry):
            self.post_message(self.MarkToggled(self.current))


__all__ = ["Timeline", "entry_key", "Status"]
