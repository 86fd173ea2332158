"""How a status, a number or an openness bar looks, in the CLI and the explorer alike.

Every status is shown as glyph + word + colour: the word keeps it readable in monochrome
(NO_COLOR, a 16-colour console), the glyph keeps it scannable. Colours are the 16 ANSI names so a
16-colour terminal shows them as meant; glyphs are in the fonts of common consoles.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from qwen_tui.model import Status

GLYPH = {
    Status.OPEN_WEIGHT: "●",
    Status.GATED: "◐",
    Status.CLOUD_ONLY: "○",
    Status.WITHDRAWN: "×",
    Status.DISCOVERED: "+",
}
COLOUR = {
    Status.OPEN_WEIGHT: "green",
    Status.GATED: "yellow",
    Status.CLOUD_ONLY: "magenta",
    Status.WITHDRAWN: "red",
    Status.DISCOVERED: "cyan",
}
STYLE = {s: Style(color=c) for s, c in COLOUR.items()}
STATUS_WIDTH = 2 + max(len(s.value) for s in Status)  # glyph, space, longest word

# The openness bar: one shade per status, distinct by density alone (no colour needed).
BAR_CHARS = {Status.OPEN_WEIGHT: "█", Status.GATED: "▓", Status.CLOUD_ONLY: "░"}
BAR_EMPTY = "·"


def status_text(status: Status, *, width: int | None = None) -> Text:
    """'● open-weight' in the status colour, padded to `width` when given."""
    text = Text(f"{GLYPH[status]} {status.value}", style=STYLE[status], no_wrap=True)
    if width:
        text.truncate(width, pad=True)
    return text


def count(n: int | None) -> str:
    """Compact count for narrow columns: 950, 12.3k, 4.1M. '' when unknown."""
    if n is None:
        return ""
    if n < 1000:
        return str(n)
    for div, unit in ((1_000_000_000, "B"), (1_000_000, "M"), (1_000, "k")):
        if n >= div:
            v = n / div
            return f"{v:.1f}{unit}" if v < 100 else f"{v:.0f}{unit}"
    return str(n)


def full_count(n: int | None) -> str:
    return "unknown" if n is None else f"{n:,}"


def openness_bar(counts: dict[Status, int], width: int = 8) -> Text:
    """A bar split open / gated / cloud-only in proportion (largest remainder, so it sums to width)."""
    order = [Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY]
    values = [counts.get(s, 0) for s in order]
    total = sum(values)
    text = Text(no_wrap=True)
    if total == 0:
        text.append(BAR_EMPTY * width, style="dim")
        return text
    exact = [v * width / total for v in values]
    cells = [int(x) for x in exact]
    # Hand the leftover cells to the largest remainders; a non-zero count always gets a cell.
    for i in sorted(range(3), key=lambda i: exact[i] - cells[i], reverse=True)[: width - sum(cells)]:
        cells[i] += 1
    for i, v in enumerate(values):
        if v and not cells[i]:
            j = max(range(3), key=lambda j: cells[j])
            cells[j] -= 1
            cells[i] += 1
    for status, n in zip(order, cells):
        text.append(BAR_CHARS[status] * n, style=STYLE[status])
    return text
