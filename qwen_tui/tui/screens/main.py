"""The explorer: vendors | timeline | detail, with filter, status keys, sort, marks and compare.

The screen owns the view state (vendor, query, statuses, sort, marks) and hands rows to the
widgets; the widgets only render and post messages. Below 100 columns the panes collapse: the
focused pane gets the width (vendors keep the timeline beside them), the detail is one key away;
below 160 two panes show at a time (vendors + timeline, or timeline + detail) so names stay whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from qwen_tui.model import Status
from qwen_tui.query import Dataset
from qwen_tui.reconcile import Entry
from qwen_tui.tui import keys
from qwen_tui.tui.filterbar import filterbar, nothing_matches
from qwen_tui.tui.rows import SORT_LABEL, SORTS, Heading, Section, TimelineModel, vendor_rows
from qwen_tui.tui.screens.copying import CopyMixin
from qwen_tui.tui.screens.pivot import PivotMixin
from qwen_tui.tui.widgets.detail import Detail
from qwen_tui.tui.widgets.footer import FittingFooter
from qwen_tui.tui.widgets.header import StatusHeader
from qwen_tui.tui.widgets.linelist import LineList
from qwen_tui.tui.widgets.timeline import Timeline, entry_key, short_vendor
from qwen_tui.tui.widgets.vendors import LEGEND as VENDORS_LEGEND
from qwen_tui.tui.widgets.vendors import TITLE as VENDORS_TITLE
from qwen_tui.tui.widgets.vendors import VendorList

NARROW = 100  # below this many columns the focused pane takes the width
WIDE = 160  # from this many columns all three panes show; between the two, two at a time
MAX_COMPARE = 4
PANES = ("vendors", "timeline", "detail")


if TYPE_CHECKING:
    from qwen_tui.tui.app import QwenTuiApp
    from qwen_tui.tui.firstscreen import FirstScreen


class MainScreen(PivotMixin, CopyMixin, Screen):
    BINDINGS: ClassVar[list[BindingType]] = [*keys.MAIN]
    AUTO_FOCUS = "#vendors"  # focused while mounting: a later focus change repaints the footer

    def __init__(self, dataset: Dataset, first: FirstScreen | None = None) -> None:
        """`first`: the first screen's memo, painted from while the app loads `dataset`."""
        super().__init__()
        self.dataset = dataset
        self._first = first
        self._shown = False  # on_mount has shown a dataset (or the first screen's memo)
        self.vendor: str | None = None
        self.query_text = ""
        self.statuses: set[Status] = set()
        self.sort = "date"
        self.marks: dict[tuple[str, str], Entry] = {}  # insertion order = mark order
        self._models: dict[str | None, TimelineModel] = {}
        self._loading: set[str | None] = set()
        self._pane = "vendors"
        # Issue 15: a period (from a Trends cell), a commercial class (`m`), policy shifts.
        self.period: str | None = None
        self.commercial: str | None = None
        self._commercial_of: dict[tuple[str, str], str] | None = None  # per dataset, built on first `m`
        self.shifts: list = []  # qwen_tui.pivot.shifts.Shift, computed once per dataset load

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # Layout classes and the header's text are set before the first frame, so the first
        # screen is final: every later restyle is a full repaint, i.e. kilobytes over SSH.
        self._set_layout_classes(self.app.size.width)
        header = StatusHeader(id="header")
        app = self.app
        if hasattr(app, "age_text"):  # QwenTuiApp (a bare App in some widget tests has no header data)
            explorer = cast("QwenTuiApp", app)
            header.set_reactive(StatusHeader.online, not explorer.offline)
            header.set_reactive(StatusHeader.age, explorer.age_text())
        yield header
        with Horizontal(id="panes"):
            vendors = VendorList(id="vendors")
            vendors.border_title = VENDORS_TITLE
            vendors.border_subtitle = VENDORS_LEGEND
            yield vendors
            with Vertical(id="middle"):
                filt = Input(placeholder="filter: name, repo or license", id="filter", compact=True)
                filt.cursor_blink = False  # a blinking cursor writes to the terminal twice a second
                filt.display = False  # hidden before the first frame, shown by `/`
                yield filt
                timeline = Timeline(id="timeline")
                timeline.border_title = "Releases"
                yield timeline
                yield Static(id="filterbar", markup=False)
            detail = Detail(id="detail")
            detail.border_title = "Detail"
            yield detail
        yield FittingFooter(compact=True)

    def on_mount(self) -> None:
        self.load_dataset(self.dataset, self._first)
        self._first, self._shown = None, True
        self._apply_layout()
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)

    def on_resize(self) -> None:
        self._apply_layout()

    def _set_layout_classes(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.set_class(NARROW <= width < WIDE, "-medium")
        for pane in PANES:
            self.set_class(pane == self._pane, f"-focus-{pane}")

    def _apply_layout(self) -> None:
        self._set_layout_classes(self.size.width)
        detail = self.query_one(Detail)
        if detail.display:
            self.call_after_refresh(detail.paint)

    def on_descendant_focus(self, event) -> None:
        # Follow the focus as it is now: DescendantFocus messages bubble through different depths
        # and can arrive out of order when focus moves twice in a burst of keys.
        widget = self.focused
        if widget is None:
            return
        pane = {"vendors": "vendors", "timeline": "timeline", "filter": "timeline",
                "detail": "detail"}.get(widget.id or "")
        if pane is None and widget.id == "detail-body":
            pane = "detail"
        if pane:
            self._enter_pane(pane)

    def _enter_pane(self, pane: str) -> None:
        if pane != self._pane:
            self._pane = pane
            self._apply_layout()
            self.query_one(Detail).paint()

    def focus_pane(self, pane: str) -> None:
        # The layout first, then the focus, in the same handler: one frame goes out with both.
        # (Focus first and the layout on DescendantFocus drew the panes twice: 11 KB for a tab.)
        self._enter_pane(pane)
        # set_focus now, not Widget.focus() (which defers): keys typed right after must land here.
        self.set_focus(self.query_one(f"#{pane}"))

    # -- data ------------------------------------------------------------------------------------

    def loaded(self, dataset: Dataset) -> None:
        """The dataset behind the first screen's memo (app.finish_loading): shown now, or by
        on_mount when it comes sooner (a key typed before the screen was up)."""
        if self._shown:
            self.load_dataset(dataset)
        else:
            self.dataset, self._first = dataset, None

    def load_dataset(self, dataset: Dataset, first: FirstScreen | None = None) -> None:
        """Show `dataset` (at start, or after a refresh), keeping vendor, cursor and marks. At
        start, `first` gives the rows (firstscreen.py) while the app loads the data behind them."""
        self.dataset = dataset
        self._models.clear()
        self._loading.clear()
        self._commercial_of = None
        if first is not None:
            self._summaries = {}
            self._models[None] = first.model()
            rows = list(first.vendor_rows)
        else:
            self.call_after_refresh(self._request_shifts, dataset)  # after the first frame
            warning = dataset.warning
            summaries = dataset.vendor_summaries()
            if dataset.warning and dataset.warning != warning:  # a damaged cache found just now
                self.notify(dataset.warning, severity="warning", markup=False, timeout=8)
            self._summaries = {s.vendor.id: s for s in summaries}
            rows = vendor_rows(summaries)
        vendors = self.query_one(VendorList)
        keep = next((r for r in rows if r.id == self.vendor), rows[0])
        vendors.set_rows(rows, keep=keep)
        tl = self.query_one(Timeline)
        tl.vendor_names = {v.id: short_vendor(v.name) for v in dataset.catalog.vendors.values()}
        tl.has_downloads = dataset.snapshot is not None
        self.show_vendor(keep.id, force=True)

    def model(self, vendor: str | None) -> TimelineModel:
        if vendor not in self._models:
            entries = self.dataset.catalog_entries(vendor)
            if vendor is None:
                n = sum(s.count(Status.DISCOVERED) for s in self._summaries.values())
            else:
                s = self._summaries.get(vendor)
                n = s.count(Status.DISCOVERED) if s else 0
            self._models[vendor] = TimelineModel(entries, n)
        return self._models[vendor]

    def show_vendor(self, vendor: str | None, force: bool = False) -> None:
        if vendor == self.vendor and not force:
            return
        self.vendor = vendor
        tl = self.query_one(Timeline)
        tl.show_vendor = vendor is None
        name = "All vendors" if vendor is None else self.dataset.catalog.vendors[vendor].name
        tl.border_title = self.vendor_heading(vendor)
        self.query_one(StatusHeader).place = name
        self.refilter(keep_cursor=False)

    def refilter(self, keep_cursor: bool = True) -> None:
        model = self.model(self.vendor)
        if (self.query_text or Status.DISCOVERED in self.statuses) and not model.discovered_loaded:
            self.request_discovered()
        tl = self.query_one(Timeline)
        keep = tl.current if keep_cursor else None
        tl.marked = set(self.marks)
        rows = model.rows(self.query_text, self.statuses, self.sort, self.limits())
        if not rows and self.filtered():  # say why it is empty, and the way out
            name = "All vendors" if self.vendor is None else self.dataset.catalog.vendors[self.vendor].name
            rows = [Heading(nothing_matches(self.query_text, self.period, name), "empty")]
        tl.set_rows(rows, keep=keep)
        self.update_filterbar()

    def update_filterbar(self) -> None:
        t = filterbar(self.model(self.vendor), query=self.query_text, statuses=self.statuses,
                      period=self.period, commercial=self.commercial, sort_label=SORT_LABEL[self.sort],
                      marks=len(self.marks))
        # No layout pass: the bar is one line of fixed size (CSS), so a keystroke only repaints.
        self.query_one("#filterbar", Static).update(t, layout=False)

    def filtered(self) -> bool:
        return bool(self.query_text or self.statuses or self.period or self.commercial)

    def request_discovered(self) -> None:
        vendor = self.vendor
        model = self.model(vendor)
        if model.discovered_loaded or vendor in self._loading or not model.discovered_count:
            return
        self._loading.add(vendor)
        self._load_discovered(self.dataset, vendor)

    @work(thread=True, group="discovered")
    def _load_discovered(self, dataset: Dataset, vendor: str | None) -> None:
        # Thousands of Hub repos: read them off the UI thread, only once they are wanted.
        section = TimelineModel.prepare_discovered(dataset.discovered_entries(vendor), self.sort)
        self.app.call_from_thread(self._discovered_loaded, dataset, vendor, section)

    def _discovered_loaded(self, dataset: Dataset, vendor: str | None, section: Section) -> None:
        if dataset is not self.dataset:
            return  # a refresh replaced the data meanwhile
        self._loading.discard(vendor)
        self.model(vendor).set_discovered(section)
        if vendor == self.vendor:
            self.refilter()

    # -- messages from the widgets ---------------------------------------------------------------

    # Highlighted messages arrive after the keys that caused them; each handler reads the list's
    # cursor as it is now (not the message's row), so a late message can never undo a newer move.

    @on(LineList.Highlighted, "#vendors")
    def _vendor_highlighted(self) -> None:
        self._follow_vendor_cursor()

    @on(LineList.Highlighted, "#timeline")
    def _entry_highlighted(self) -> None:
        self._follow_timeline_cursor()

    def _follow_vendor_cursor(self) -> None:
        row = self.query_one(VendorList).current
        if row is not None:
            self.show_vendor(row.id)

    def _follow_timeline_cursor(self) -> None:
        current = self.query_one(Timeline).current
        self.query_one(Detail).show(current if isinstance(current, Entry) else None, self.dataset.catalog)

    def action_open(self) -> None:
        """enter: vendor -> its timeline, release -> its detail, filter -> keep it."""
        focused = self.focused
        if focused is self.query_one("#filter"):
            self._filter_submitted()
        elif isinstance(focused, VendorList):
            self._follow_vendor_cursor()
            self.focus_pane("timeline")
        elif isinstance(focused, Timeline) and isinstance(focused.current, Entry):
            self._follow_timeline_cursor()
            self.focus_pane("detail")

    @on(Timeline.PendingShown)
    def _pending_shown(self) -> None:
        self.request_discovered()

    @on(Timeline.MarkToggled)
    def _mark_toggled(self, event: Timeline.MarkToggled) -> None:
        key = entry_key(event.entry)
        if key in self.marks:
            del self.marks[key]
        elif len(self.marks) >= MAX_COMPARE:
            self.notify(f"Compare takes up to {MAX_COMPARE} releases: unmark one first (space).",
                        severity="warning")
            return
        else:
            self.marks[key] = event.entry
        tl = self.query_one(Timeline)
        tl.marked = set(self.marks)
        tl.refresh_row(tl.cursor)
        self.update_filterbar()

    def _filter_changed(self, value: str) -> None:
        # Watched, not an Input.Changed handler: the watcher runs inside the keystroke, so the
        # new rows go out in the same frame as the typed character (one frame, not two).
        if value.strip() != self.query_text:
            self.query_text = value.strip()
            self.refilter()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        # The rows already match the box: its value watcher refilters on every change.
        if not self.query_text:
            self.query_one("#filter", Input).display = False
        self.focus_pane("timeline")

    # -- actions ---------------------------------------------------------------------------------

    def action_next_pane(self) -> None:
        self.focus_pane(PANES[(PANES.index(self._pane) + 1) % len(PANES)])

    def action_prev_pane(self) -> None:
        self.focus_pane(PANES[(PANES.index(self._pane) - 1) % len(PANES)])

    def action_filter(self) -> None:
        filt = self.query_one("#filter", Input)
        filt.display = True
        if self._pane == "vendors":
            self._pane = "timeline"
            self._apply_layout()
        self.set_focus(filt)  # at once: "/qwen" typed fast must not send "q" (quit) to the screen

    def action_back(self) -> None:
        filt = self.query_one("#filter", Input)
        if self.focused is filt:
            filt.value = ""  # Input.Changed refilters
            filt.display = False
            self.focus_pane("timeline")
        elif self._pane == "detail":
            self.focus_pane("timeline")
        elif self.filtered():  # from the timeline or the vendor list: one key clears them all
            self.statuses.clear()
            self.period = self.commercial = None
            filt.display = False
            if self.query_text:
                filt.value = ""  # its watcher refilters
            else:
                self.refilter()
        elif self._pane == "timeline":
            self.focus_pane("vendors")

    def action_status(self, value: str) -> None:
        if not value:
            self.statuses.clear()
        else:
            status = Status(value)
            self.statuses ^= {status}
        self.refilter()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refilter()
        self.notify(f"Sorted {SORT_LABEL[self.sort]}", timeout=2)

    def compare_entries(self) -> list[Entry]:
        entries = list(self.marks.values())
        current = self.query_one(Timeline).current
        if len(entries) < 2 and isinstance(current, Entry) and entry_key(current) not in self.marks:
            entries.append(current)
        return entries[:MAX_COMPARE]

    def action_compare(self) -> None:
        entries = self.compare_entries()
        if len(entries) < 2:
            self.notify("Mark two to four releases with space, then press c.", severity="warning")
            return
        from qwen_tui.tui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(entries, self.dataset.catalog))

    def select_vendor(self, vendor: str | None) -> None:
        """Jump to a vendor (command palette)."""
        vl = self.query_one(VendorList)
        index = next((i for i, r in enumerate(vl.rows) if r.id == vendor), 0)
        vl.move_to(index)
        self.focus_pane("timeline")
