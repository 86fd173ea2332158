"""How a status, a number or an openness bar looks, in the CLI and the explorer alike.

Every status is shown as glyph + word + colour: the word keeps it readable in monochrome, the
glyph keeps it scannable. The colours are exact (not ANSI names, which Textual maps through its own
palette, where red and magenta are one colour and yellow becomes bright red): each is chosen so
that a 16-colour terminal, to which it is downgraded, shows it as a colour of its own (the number
in the comment), and so that it reads at 4.5:1 or more on a dark background. Under NO_COLOR a
status has no colour at all: glyph, word and weight tell it (`MONO_BOLD`). Glyphs are in the fonts
of common consoles.
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
    Status.OPEN_WEIGHT: "#3fb950",  # 16 colours: 10, bright green
    Status.GATED: "#d7af00",  # 3, yellow
    Status.CLOUD_ONLY: "#d787ff",  # 13, bright magenta
    Status.WITHDRAWN: "#ff5f5f",  # 9, bright red
    Status.DISCOVERED: "#56b6c2",  # 6, cyan
}
STYLE = {s: Style(color=c) for s, c in COLOUR.items()}
# Without colour: bold for the statuses whose weights are on the Hub, regular for those whose are
# not; both at full contrast (never dim), so the glyph and the weight tell them apart.
MONO_BOLD = {
    Status.OPEN_WEIGHT: True,
    Status.GATED: True,
    Status.CLOUD_ONLY: False,
    Status.WITHDRAWN: False,
    Status.DISCOVERED: True,
}
MONO_STYLE = {s: Style(bold=b) for s, b in MONO_BOLD.items()}


def status_of_colour(style: Style) -> Status | None:
    """The status a rendered style's colour stands for (the NO_COLOR filter swaps it for a weight)."""
    triplet = style.color.triplet if style.color is not None else None
    return _BY_TRIPLET.get(tuple(triplet)) if triplet is not None else None


_BY_TRIPLET = {tuple(s.color.triplet): status for status, s in STYLE.items() if s.color and s.color.triplet}
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
    for status, n in zip(order, cells, strict=True):
        text.append(BAR_CHARS[status] * n, style=STYLE[status])
    return text
