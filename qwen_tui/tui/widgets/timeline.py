"""The timeline pane: one line per release (or discovered repo), year headings between them.

The name comes first: the license and downloads columns show only while the name column keeps
room for nine names in ten of the list (at most NAME_MIN cells; the detail pane has those columns,
one key away), and in a tight preview the status is its glyph alone. A list of several vendors
(All vendors) always says whose each row is, in a short vendor column; a discovered repo is shown
by its full repo id, org included.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.message import Message

from qwen_tui.model import Status
from qwen_tui.present.origin import origin_tag, row_name
from qwen_tui.present.status import STATUS_WIDTH, count, status_text
from qwen_tui.reconcile import Entry
from qwen_tui.text import clean
from qwen_tui.tui import keys
from qwen_tui.tui.rows import FLAG, NAME_MIN, Heading, name_need
from qwen_tui.tui.widgets.linelist import LineList

DATE_W, LIC_W, DL_W, VENDOR_W = 10, 14, 9, 9
NAME_TIGHT = 30  # below this the status shrinks to its glyph (the word is in the detail)


def entry_key(e: Entry) -> tuple[str, str]:
    return (e.vendor, e.id)


def short_vendor(name: str) -> str:
    """'Alibaba Cloud (Qwen)' -> 'Alibaba', 'Zhipu AI (Z.ai)' -> 'Zhipu': the first word is
    what people call each vendor, and it fits a narrow column."""
    return name.split(" (")[0].split()[0] if name.strip() else name


class Columns:
    """Which columns a row of `width` cells shows, and how wide the name and status are."""

    __slots__ = ("dl", "lic", "name_w", "status_w", "vendor")

    def __init__(self, width: int, show_vendor: bool, downloads: bool = True, name_min: int = NAME_MIN) -> None:
        used = 2 + DATE_W + 1 + 1
        self.vendor = show_vendor
        used += (VENDOR_W + 1) if show_vendor else 0
        self.status_w = STATUS_WIDTH if width - used - STATUS_WIDTH >= min(NAME_TIGHT, name_min) else 1
        used += self.status_w
        self.lic = width - used - (LIC_W + 1) >= name_min
        used += (LIC_W + 1) if self.lic else 0
        self.dl = downloads and width - used - (DL_W + 1) >= name_min
        used += (DL_W + 1) if self.dl else 0
        self.name_w = max(8, width - used)


class Timeline(LineList):
    BINDINGS: ClassVar[list[BindingType]] = [*keys.TIMELINE]
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
        self.vendor_names: dict[str, str] = {}  # vendor id -> short name (short_vendor)
        self.has_downloads = True  # False before any Hub data: the column would be empty
        self.name_need = NAME_MIN  # what nine names in ten of the rows need (set_rows)
        self.shifts: dict = {}  # (vendor, release id) -> Shift: the row gets a mark (shiftmarks.py)
        self._columns: tuple[tuple, Columns] | None = None

    def selectable(self, row) -> bool:
        return not isinstance(row, Heading)

    def set_rows(self, rows, keep=None) -> None:
        self.name_need = name_need(rows)
        super().set_rows(rows, keep)

    def columns(self, width: int) -> Columns:
        key = (width, self.show_vendor, self.has_downloads, self.name_need)
        memo = self._columns
        if memo is None or memo[0] != key:
            memo = self._columns = (key, Columns(*key))
        return memo[1]

    def render_header(self, width: int) -> Text:
        c = self.columns(width)
        t = Text("  " + "date".ljust(DATE_W) + " ", style="dim")
        if c.vendor:
            t.append("vendor".ljust(VENDOR_W) + " ")
        t.append("release".ljust(c.name_w) + " ")
        t.append("status".ljust(c.status_w) if c.status_w > 1 else " ")
        if c.lic:
            t.append(" " + "license".ljust(LIC_W))
        if c.dl:
            t.append(" " + "downloads".rjust(DL_W))
        return t

    def render_row(self, row, width: int, selected: bool) -> Text:
        if isinstance(row, Heading):
            if row.kind == "pending":
                self.post_message(self.PendingShown())
            if row.kind == "empty":  # why the list is empty, and the way out
                return Text(" " + row.label, style="bold", no_wrap=True)
            style = self.style_of("linelist--heading")
            head = Text(f"── {row.label} ", style=style, no_wrap=True)
            return head + Text("─" * max(0, width - head.cell_len), style="dim")
        e: Entry = row
        c = self.columns(width)
        marked = entry_key(e) in self.marked
        t = Text(("▶" if selected else " ") + ("✓" if marked else " "), style="bold")
        t.append((str(e.date) if e.date else "").ljust(DATE_W) + " ")
        if c.vendor:
            v = Text(clean(self.vendor_names.get(e.vendor, e.vendor)))
            v.truncate(VENDOR_W, overflow="ellipsis", pad=True)
            t.append_text(v)
            t.append(" ")
        t.append_text(self.name_cell(e, c.name_w, marked))
        t.append(" ")
        t.append_text(status_text(e.status, width=c.status_w))
        if c.lic:
            t.append_text(self.license_cell(e))
        if c.dl:
            t.append(" " + count(e.downloads).rjust(DL_W))
        return t

    def name_cell(self, e: Entry, name_w: int, marked: bool) -> Text:
        """The name cut to `name_w` cells, keeping the `!` flag and the shift mark whole."""
        # clean(): Hub names are data; an escape sequence in one must never reach the terminal.
        # A discovered repo shows its repo id: the org says whose it is (Qwen, Alibaba-NLP, ...).
        name = Text(clean(row_name(e)), style="bold" if marked else "")
        tail = Text()
        shift = self.shifts.get(entry_key(e)) if self.shifts else None
        if shift is not None:  # the mark stays whole; the name gives way (to the arrow alone if narrow)
            from qwen_tui.tui.shiftmarks import mark

            tail.append(" ")
            tail.append_text(mark(shift, short=name_w < 20))
        if e.flagged:
            tail.append(FLAG)
        # Not from the catalog: say where from; the words only where they cost the name nothing.
        source = origin_tag(e, room=name_w - name.cell_len - tail.cell_len - 1)
        if source is not None:
            tail.append(" ")
            tail.append_text(source)
        if tail:
            name.truncate(max(1, name_w - tail.cell_len), overflow="ellipsis")
            name.append_text(tail)
        name.truncate(name_w, overflow="ellipsis", pad=True)
        return name

    @staticmethod
    def license_cell(e: Entry) -> Text:
        """' apache-2.0 +2': the release's license, and how many others some of its sizes carry
        (the detail lists which); the '+2' is never cut."""
        others = len(e.release.license_ids) - 1 if e.release else 0
        more = f" +{others}" if others else ""
        lt = Text(" " + clean(e.license))
        lt.truncate(LIC_W + 1 - len(more), overflow="ellipsis")
        lt.append(more, style="bold")
        lt.truncate(LIC_W + 1, pad=True)
        return lt

    def action_mark(self) -> None:
        if isinstance(self.current, Entry):
            self.post_message(self.MarkToggled(self.current))


__all__ = ["Status", "Timeline", "entry_key", "short_vendor"]
