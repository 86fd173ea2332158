"""The explorer's part of issue 15 (the pivot), mixed into MainScreen: the Trends view (`t`), a
period limit from a Trends cell, the commercial-use filter (`m`) and policy-shift marks.

Kept apart from main.py so the screen's own logic stays one job; the state it adds (period,
commercial, shifts) is read by MainScreen.refilter / update_filterbar / action_back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.widgets import Input

from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.tui.limits import COMMERCIAL_CYCLE, Limits
from qwen_tui.tui.widgets.timeline import Timeline, entry_key
from qwen_tui.tui.widgets.vendors import VendorList

if TYPE_CHECKING:  # the mixin is only ever a base of MainScreen, a Screen
    from textual.screen import Screen as _Screen

    from qwen_tui.model import Status
else:
    _Screen = object


class PivotMixin(_Screen):
    """Needs the MainScreen's dataset, vendor, statuses, query_text, refilter, show_vendor."""

    if TYPE_CHECKING:  # MainScreen's, which this mixin reads and calls
        dataset: Dataset
        vendor: str | None
        statuses: set[Status]

        def refilter(self, keep_cursor: bool = True) -> None: ...
        def show_vendor(self, vendor: str | None, force: bool = False) -> None: ...
        def focus_pane(self, pane: str) -> None: ...

    # Set in MainScreen.__init__:
    period: str | None
    commercial: str | None
    _commercial_of: dict[tuple[str, str], str] | None  # per dataset, built on the first `m`
    shifts: list  # qwen_tui.pivot.shifts.Shift, computed once per dataset load

    def limits(self) -> Limits | None:
        if not (self.period or self.commercial):
            return None
        return Limits(self.period, self.commercial, self._commercial_class if self.commercial else None)

    def _commercial_class(self, entry: Entry) -> str:
        if self._commercial_of is None:
            from qwen_tui.pivot.commercial import classify_entry

            licenses = self.dataset.catalog.licenses
            self._commercial_of = {entry_key(e): classify_entry(e, licenses).cls.value
                                   for e in self.dataset.catalog_entries()}
        return self._commercial_of.get(entry_key(entry), "unknown")

    def action_commercial(self) -> None:
        """m: all -> unrestricted -> conditional -> non-commercial -> none -> unknown -> all."""
        i = COMMERCIAL_CYCLE.index(self.commercial)
        self.commercial = COMMERCIAL_CYCLE[(i + 1) % len(COMMERCIAL_CYCLE)]
        self.refilter()

    def action_period(self) -> None:
        """p: every year -> the newest year with releases -> the year before -> ... -> every year.
        The Trends view's period limit, one key away: `p` `3` shows the cloud-only releases of
        the newest year."""
        years = sorted({str(e.date.year) for e in self.dataset.catalog_entries() if e.date}, reverse=True)
        cycle: list[str | None] = [None, *years]
        at = cycle.index(self.period) if self.period in cycle else 0  # a quarter from Trends: restart
        self.period = cycle[(at + 1) % len(cycle)]
        self.refilter()

    def action_trends(self) -> None:
        from qwen_tui.tui.screens.trends import TrendsScreen  # lazy: not part of the first paint

        if isinstance(self.app.screen, TrendsScreen):  # from the palette, over the view itself
            return
        self.app.push_screen(TrendsScreen(self.dataset, self.vendor, self.shifts),
                             callback=self.show_trend_cell)

    def show_trend_cell(self, chosen: tuple[str | None, str] | None) -> None:
        """The releases a Trends cell counted: that vendor, that period, no other filter."""
        if not chosen:
            return
        vendor, period = chosen
        self.statuses.clear()
        self.commercial = None
        self.period = period
        self.query_text = ""  # first: the box's value watcher then has nothing to refilter
        filt = self.query_one("#filter", Input)
        filt.value = ""
        filt.display = False
        vl = self.query_one(VendorList)
        vl.move_to(next((i for i, r in enumerate(vl.rows) if r.id == vendor), 0))
        self.show_vendor(vendor, force=True)
        self.focus_pane("timeline")

    def _request_shifts(self, dataset: Dataset) -> None:
        source = getattr(self.app, "shift_source", None)
        if source is not None and dataset is self.dataset:
            self._load_shifts(dataset, source)

    @work(thread=True, exclusive=True, group="shifts")
    def _load_shifts(self, dataset: Dataset, source) -> None:
        from qwen_tui.errors import QwenTuiError

        try:
            shifts = source(dataset.catalog)  # reads flagships.toml: off the UI thread
        except QwenTuiError as exc:  # a bad flagships.toml: one line, no marks, no crash
            self.app.call_from_thread(self.notify, f"No policy-shift marks: {exc}",
                                      severity="warning", markup=False, timeout=10)
            return
        self.app.call_from_thread(self._shifts_loaded, dataset, shifts)

    def _shifts_loaded(self, dataset: Dataset, shifts: list) -> None:
        if dataset is not self.dataset:
            return  # a refresh replaced the data meanwhile
        from qwen_tui.tui.shiftmarks import by_release

        self.shifts = shifts
        tl = self.query_one(Timeline)
        tl.shifts = by_release(shifts)
        tl.border_title = self.vendor_heading(self.vendor)
        tl.refresh()

    def vendor_heading(self, vendor: str | None) -> Text | str:
        """The timeline's title: the vendor's name, and its policy shifts when it has any
        ("OpenAI · ⇡ opening 2025-08: gpt-oss")."""
        if vendor is None:
            return "All vendors"
        name = self.dataset.catalog.vendors[vendor].name
        mine = [s for s in self.shifts if s.vendor == vendor]
        if not mine:
            return name
        from qwen_tui.tui.shiftmarks import heading

        names = {r.id: r.name for r in self.dataset.catalog.releases}
        return heading(name, mine, names)
