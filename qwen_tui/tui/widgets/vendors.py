"""The vendor pane: every vendor with its releases counted by status (open / gated / cloud-only /
withdrawn: they add up to the vendor's releases) and an openness bar."""

from __future__ import annotations

from rich.text import Text

from qwen_tui.model import Status
from qwen_tui.present.status import GLYPH, STYLE, openness_bar
from qwen_tui.text import clean
from qwen_tui.tui.rows import VendorRow
from qwen_tui.tui.widgets.linelist import LineList
from qwen_tui.tui.widgets.timeline import short_vendor

BAR = 8
COUNTS = (Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY, Status.WITHDRAWN)
TITLE = "Vendors: releases by status"
LEGEND = "●open ◐gated ○cloud-only ×withdrawn"  # fits the pane's bottom border at 40 columns


class VendorList(LineList):
    HEADER_LINES = 1

    def render_header(self, width: int) -> Text:
        t = Text(" vendor".ljust(max(0, width - self._stats_width())), style="dim")
        for s in COUNTS:
            t.append(f"{GLYPH[s]:>4}", style=STYLE[s])
        if width >= 30:
            t.append(" " + "openness".ljust(BAR), style="dim")
        return t

    @staticmethod
    def _stats_width() -> int:
        return 4 * len(COUNTS) + 1 + BAR

    def render_row(self, row: VendorRow, width: int, selected: bool) -> Text:
        stats = Text(no_wrap=True)
        for s in COUNTS:
            stats.append(f"{row.counts.get(s, 0):>4}", style=STYLE[s])
        if width >= 30:
            stats.append(" ")
            stats.append_text(openness_bar(row.counts, BAR))
        name_w = max(4, width - stats.cell_len - 2)
        name = Text(("▶" if selected else " ") + " ", style="bold")
        name_text = clean(row.name)
        if len(name_text) > name_w and " (" in name_text:
            name_text = name_text.split(" (")[0]  # "Alibaba Cloud (Qwen)" -> "Alibaba Cloud"
        if len(name_text) > name_w and row.id is not None:
            name_text = short_vendor(name_text)  # -> "Alibaba": a word, not "Alibaba C…"
        label = Text(name_text, style="bold" if row.id is None else "")
        label.truncate(name_w, overflow="ellipsis", pad=True)
        return name + label + stats


__all__ = ["VendorList", "VendorRow"]
