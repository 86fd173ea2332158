"""`t`: the Trends view. Imported only when `t` is pressed, so the first paint does not grow.

`enter` on a cell closes the view with (vendor, period); the main screen then shows that vendor's
timeline limited to the period (limits.py), with exactly the releases the cell counted.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Static

from qwen_tui.model import PartialDate
from qwen_tui.pivot.trends import period_of, trend_grid
from qwen_tui.present.status import status_text
from qwen_tui.query import Dataset
from qwen_tui.text import clean
from qwen_tui.tui import keys
from qwen_tui.tui.shiftmarks import GLYPH as SHIFT_GLYPH
from qwen_tui.tui.shiftmarks import combine, mark
from qwen_tui.tui.widgets.footer import FittingFooter
from qwen_tui.tui.widgets.trendgrid import ORDER, QUARTERS_FROM, ChartRow, TrendChart, vendor_name


class TrendsScreen(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [*keys.TRENDS]
    DEFAULT_CSS = """
    TrendsScreen #trends-info, TrendsScreen #trends-legend { height: 1; padding: 0 1; }
    TrendsScreen #trends-legend { color: $text-muted; }
    """

    def __init__(self, dataset: Dataset, vendor: str | None, shifts=()) -> None:
        """`vendor`: the row the cursor starts on (None: All vendors); `shifts`: find_shifts()."""
        super().__init__()
        self.dataset = dataset
        self.start_vendor = vendor
        self.shifts = list(shifts)
        vendors = sorted(dataset.catalog.vendors.values(), key=lambda v: v.name.lower())
        ids = [v.id for v in vendors]
        self.grids = {by: trend_grid(dataset, ids, by=by) for by in ("year", "quarter")}
        self.rows = [ChartRow(None, "All vendors")] + [ChartRow(v.id, vendor_name(v.name)) for v in vendors]
        self.names = {v.id: clean(v.name) for v in vendors}
        marks: dict[tuple[str, str], str] = {}
        for s in self.shifts:
            for by in ("year", "quarter"):
                key = (s.vendor, period_of(PartialDate.parse(s.date), by))
                marks[key] = combine(marks.get(key, ""), s.direction)
        self.marks = marks

    def compose(self) -> ComposeResult:
        yield Static(id="page-title", markup=False)
        yield TrendChart(self.grids, self.rows, self.marks, id="trends-chart")
        yield Static(id="trends-info", markup=False)
        legend = Text()
        for s in ORDER:
            legend.append_text(status_text(s))
            legend.append(" ")
        arrows = SHIFT_GLYPH["opening"] + SHIFT_GLYPH["closing"]
        legend.append(f"· {arrows} shift, {SHIFT_GLYPH['both']} both · n releases")
        yield Static(legend, id="trends-legend", markup=False)
        yield FittingFooter(compact=True)

    @property
    def chart(self) -> TrendChart:
        return self.query_one(TrendChart)

    def on_mount(self) -> None:
        self.chart.place(self.start_vendor)
        self.update_info()

    def on_resize(self) -> None:
        self.update_info()  # the chart switches between years and quarters at QUARTERS_FROM

    def update_info(self) -> None:
        chart = self.chart
        by = chart.by
        title = (f"Trends · releases per {by}, by status · "
                 f"{'quarters from' if by == 'quarter' else 'years below'} {QUARTERS_FROM} columns")
        self.query_one("#page-title", Static).update(title)
        info = Text(no_wrap=True)
        here = chart.current
        if here is not None:
            row, period = here
            cell = chart.cell(row, period)
            info.append(f"{row.name} {period}: ", style="bold")
            parts = [(s, cell.count(s)) for s in ORDER if cell.count(s)]
            if not parts:
                info.append("no releases")
            for i, (s, n) in enumerate(parts):
                info.append((", " if i else "") + f"{n} ")
                info.append_text(status_text(s))
            if len(parts) > 1:
                info.append(f" ({cell.total})")
            for s in self.shifts:
                if (row.vendor in (None, s.vendor)
                        and period_of(PartialDate.parse(s.date), by) == period):
                    info.append(" · ")
                    if row.vendor is None:
                        info.append(self.names.get(s.vendor, s.vendor) + " ")
                    info.append_text(mark(s))
                    info.append(f" {s.date[:7]}")
        self.query_one("#trends-info", Static).update(info)

    def action_move(self, rows: int, cols: int) -> None:
        self.chart.move(rows, cols)
        self.update_info()

    def action_open_cell(self) -> None:
        here = self.chart.current
        if here is not None:
            self.dismiss((here[0].vendor, here[1]))

    def action_close(self) -> None:
        self.dismiss(None)

