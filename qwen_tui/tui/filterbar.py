"""The line under the timeline: how many rows show, every limit in force, the sort and the marks.

An active limit (text filter, status keys, period, commercial class) must be impossible to miss,
above all after a change of vendor, which keeps it: then the counts, the limits and the way out
("esc clears") are drawn in reverse video, which stands out in colour and in monochrome alike.
The discovered repos are counted apart from the releases, from the vendor's summary until they
load, so the numbers never jump when they arrive in the background.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from qwen_tui.model import Status
from qwen_tui.present.status import status_text
from qwen_tui.tui.rows import TimelineModel

ACTIVE = "reverse"


def filterbar(model: TimelineModel, *, query: str, statuses: Iterable[Status], period: str | None,
              commercial: str | None, sort_label: str, marks: int) -> Text:
    statuses = sorted(statuses, key=list(Status).index)
    active = bool(query or statuses or period or commercial)
    t = Text(f" {model.shown:,} shown", style="bold")
    if active:
        t.append(f" of {model.total:,}")
    found = model.discovered_shown
    if found is None:
        t.append(" · discovered loading…")
    elif found:
        t.append(f" · {found:,}" + (f" of {model.discovered_count:,}" if query else "") + " discovered")
    if query:
        t.append(" · filter ")
        t.append(query, style="bold")  # Text: typed brackets stay brackets
    if period:
        t.append(" · in ")
        t.append(period, style="bold")
    if statuses:
        t.append(" · only ")
        for i, s in enumerate(statuses):
            if i:
                t.append(" ")
            t.append_text(status_text(s))
    if commercial:
        t.append(" · commercial ")
        t.append(commercial, style="bold")
    if active:
        t.append(" · esc clears ")
        t.stylize(ACTIVE, 0, len(t))
    t.append(("" if active else " ") + f"· {sort_label}")
    if marks:
        t.append(f" · {marks} marked (c compares)")
    return t


def nothing_matches(query: str, period: str | None, vendor_name: str) -> str:
    """The timeline's one line when the limits leave nothing: what was asked, and the way out."""
    asked = f"filter {query!r}" if query else "the limits"
    if period:
        asked += f" in {period}"
    # The way out early: a narrow pane cuts the end of the line.
    return f"{asked}: nothing in {vendor_name} · esc clears · filters stay on across vendors"
