"""The Trends chart: one row per vendor, one column per year (per quarter from 120 columns), each
cell a little stacked bar of status glyphs and the number of releases.

A cell shows one glyph per release (● open-weight, ◐ gated, ○ cloud-only, × withdrawn, in that
order) while they fit, else the same shares scaled to the bar (every status present keeps at
least one glyph), then the total. Glyphs, not colours, tell the statuses apart, so a cell reads
the same under NO_COLOR. A ⇡ / ⇣ between the bar and the number marks a policy shift (opening /
closing) in that period. Block characters, no charting library: a chart of ~20 x 15 small cells
needs none, and nothing is imported before `t` is pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

from rich.text import Text
from textual.widget import Widget

from qwen_tui.model import Status
from qwen_tui.pivot.trends import TrendCell, TrendGrid
from qwen_tui.present.status import GLYPH, STYLE
from qwen_tui.text import clean
from qwen_tui.tui.shiftmarks import GLYPH as SHIFT_GLYPH
from qwen_tui.tui.shiftmarks import combine

QUARTERS_FROM = 120  # columns: from this terminal width the chart is per quarter, below per year
ORDER = (Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY, Status.WITHDRAWN)
MIN_BAR, MAX_BAR = 3, 14


@dataclass(frozen=True)
class ChartRow:
    vendor: str | None  # None: every vendor summed
    name: str


def apportion(values: list[int], width: int) -> list[int]:
    """Split `width` glyphs in proportion to `values` (largest remainder); a non-zero value keeps
    at least one glyph, taken from the largest share."""
    total = sum(values)
    exact = [v * width / total for v in values]
    cells = [int(x) for x in exact]
    for i in sorted(range(len(values)), key=lambda i: exact[i] - cells[i], reverse=True)[: width - sum(cells)]:
        cells[i] += 1
    for i, v in enumerate(values):
        if v and not cells[i]:
            j = max(range(len(values)), key=lambda j: cells[j])
            cells[j] -= 1
            cells[i] += 1
    return cells


def cell_bar(cell: TrendCell, width: int) -> Text:
    """The stacked glyph bar of one cell, `width` cells wide."""
    values = [cell.count(s) for s in ORDER]
    if not cell.total:
        return Text("·".ljust(width), style="dim")
    glyphs = values if cell.total <= width else apportion(values, width)
    text = Text(no_wrap=True)
    for status, n in zip(ORDER, glyphs, strict=True):
        text.append(GLYPH[status] * n, style=STYLE[status])
    text.append(" " * (width - sum(glyphs)))
    return text


def cell_text(cell: TrendCell, bar_w: int, count_w: int, mark: str = " ") -> Text:
    """The bar, the shift mark (or a space), the number, padded to the cell: '●●○○⇡4    '."""
    width = bar_w + 1 + count_w
    if not cell.total:
        return Text("·".ljust(width), style="dim")
    bar = cell_bar(cell, bar_w)
    bar.rstrip()
    bar.append(mark, style="bold")
    bar.append(str(cell.total))
    bar.pad_right(width - bar.cell_len)
    return bar


def sum_cells(cells: list[TrendCell]) -> TrendCell:
    return TrendCell(*(sum(c.count(s) for c in cells) for s in ORDER))


def short_period(period: str) -> str:
    """'2025' stays; '2025-Q3' -> '25Q3' (a quarter column is narrow)."""
    return period[2:4] + period[5:] if "-Q" in period else period


class TrendChart(Widget):
    """Renders the grid and holds the cursor (row, period); the screen owns the keys."""

    DEFAULT_CSS = "TrendChart { height: 1fr; padding: 0 1; }"

    def __init__(self, grids: dict[str, TrendGrid], rows: list[ChartRow],
                 shifts: dict[tuple[str, str], str], *, id: str | None = None) -> None:
        """`grids` by "year" and "quarter"; `shifts`: (vendor, period) -> "opening" | "closing" | "both"."""
        super().__init__(id=id)
        self.grids = grids
        self.chart_rows = rows
        self.shifts = shifts
        self.row = 0
        self.period = ""
        self.top = 0
        self.left = 0

    # -- what is shown -------------------------------------------------------------------------

    @property
    def by(self) -> str:
        return "quarter" if self.app.size.width >= QUARTERS_FROM else "year"

    @property
    def periods(self) -> tuple[str, ...]:
        return self.grids[self.by].periods

    def cell(self, row: ChartRow, period: str) -> TrendCell:
        grid = self.grids[self.by]
        if row.vendor is None:
            return sum_cells([grid.cell(v, period) for v in grid.vendors])
        return grid.cell(row.vendor, period)

    def shift_at(self, row: ChartRow, period: str) -> str:
        if row.vendor is None:
            return reduce(combine, (d for (_, p), d in self.shifts.items() if p == period), "")
        return self.shifts.get((row.vendor, period), "")

    @property
    def current(self) -> tuple[ChartRow, str] | None:
        if not self.chart_rows or not self.periods:
            return None
        self._fit_period()
        return self.chart_rows[self.row], self.period

    def _fit_period(self) -> None:
        """Keep the cursor's period one of the shown periods (the kind follows the width)."""
        periods = self.periods
        if self.period in periods or not periods:
            return
        if not self.period:
            self.period = periods[-1]
        elif "-Q" in self.period:  # quarters -> its year
            self.period = self.period[:4] if self.period[:4] in periods else periods[-1]
        else:  # a year -> its last quarter with releases, else its first
            mine = [p for p in periods if p.startswith(self.period)]
            busy = [p for p in mine if self.cell(self.chart_rows[self.row], p).total]
            self.period = (busy or mine or [periods[-1]])[-1 if busy else 0]

    # -- moving ------------------------------------------------------------------------------------

    def move(self, rows: int, cols: int) -> None:
        if self.current is None:
            return
        self.row = max(0, min(len(self.chart_rows) - 1, self.row + rows))
        periods = self.periods
        i = max(0, min(len(periods) - 1, periods.index(self.period) + cols))
        self.period = periods[i]
        self.refresh()

    def place(self, vendor: str | None) -> None:
        self.row = next((i for i, r in enumerate(self.chart_rows) if r.vendor == vendor), 0)

    # -- layout ----------------------------------------------------------------------------------

    def _geometry(self, width: int) -> tuple[int, int, int, int]:
        """(name width, bar width, count width, periods that fit)."""
        periods = self.periods
        name_w = 13 if self.by == "quarter" else 16
        count_w = max(1, max((len(str(self.cell(r, p).total)) for r in self.chart_rows for p in periods),
                             default=1))
        avail = max(1, width - name_w)
        n = max(1, len(periods))
        bar_w = max(MIN_BAR, min(MAX_BAR, avail // n - 2 - count_w))
        fit = max(1, avail // (bar_w + 2 + count_w))
        return name_w, bar_w, count_w, fit

    def _scroll(self, height: int, fit: int) -> None:
        view = max(1, height - 1)
        if self.row < self.top:
            self.top = self.row
        elif self.row >= self.top + view:
            self.top = self.row - view + 1
        self.top = max(0, min(self.top, max(0, len(self.chart_rows) - view)))
        col = self.periods.index(self.period)
        if col < self.left:
            self.left = col
        elif col >= self.left + fit:
            self.left = col - fit + 1
        self.left = max(0, min(self.left, max(0, len(self.periods) - fit)))

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        if self.current is None:
            return Text("No dated releases to chart.")
        name_w, bar_w, count_w, fit = self._geometry(width)
        self._scroll(height, fit)
        shown = self.periods[self.left:self.left + fit]
        col_w = bar_w + 2 + count_w
        head = Text(("‹ " if self.left else "  ") + "vendor", style="dim")
        head.truncate(name_w, pad=True)
        for p in shown:
            head.append(" " + short_period(p).center(col_w - 1), style="bold" if p == self.period else "dim")
        if self.left + fit < len(self.periods):
            head.append(" ›", style="dim")
        lines = [head]
        for i in range(self.top, min(len(self.chart_rows), self.top + max(1, height - 1))):
            row = self.chart_rows[i]
            here = i == self.row
            line = Text(("▶" if here else " ") + " ", style="bold")
            label = Text(row.name, style="bold" if row.vendor is None or here else "")
            label.truncate(name_w - 2, overflow="ellipsis", pad=True)
            line.append_text(label)
            for p in shown:
                cell = self.cell(row, p)
                shift = self.shift_at(row, p)
                piece = Text(" ")
                body = cell_text(cell, bar_w, count_w, SHIFT_GLYPH.get(shift, " "))
                if here and p == self.period:
                    # One even block, glyph colours dropped: the shapes still tell the statuses,
                    # and the cursor reads the same in colour, in 16 colours and under NO_COLOR.
                    body = Text(body.plain, style="reverse bold")
                piece.append_text(body)
                line.append_text(piece)
            lines.append(line)
        return Text("\n").join(lines)


def vendor_name(name: str, width: int = 16) -> str:
    """'Alibaba Cloud (Qwen)' -> 'Alibaba Cloud' when the full name does not fit."""
    name = clean(name)
    return name.split(" (")[0] if len(name) > width - 2 and " (" in name else name
