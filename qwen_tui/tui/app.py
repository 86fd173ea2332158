"""The explorer app: wiring only. Screens and widgets do the showing; workers do the I/O.

It paints at once: from the first screen's memo when there is one (firstscreen.py), loading the
dataset right after that first frame; else from the dataset, loaded before the app starts. `r`
refreshes in a background thread (refresh_job.py) and swaps in the reloaded dataset.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.color import Color
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qwen_tui.evidence import Snapshot
from qwen_tui.hub.offline import offline_mode
from qwen_tui.paths import Paths
from qwen_tui.present.status import full_count
from qwen_tui.present.wording import data_age, network_reason, refresh_failure, short_reason
from qwen_tui.query import Dataset, seconds_since
from qwen_tui.tui import keys
from qwen_tui.tui.config import Config
from qwen_tui.tui.screens.main import MainScreen
from qwen_tui.tui.textual_private import TerminalWriteHook
from qwen_tui.tui.typeahead import OrderedKeys
from qwen_tui.tui.widgets.header import StatusHeader
from qwen_tui.tui.wire import WireCache

if TYPE_CHECKING:  # (what a refresh or `d` needs is imported when it starts, not before the first frame)
    from qwen_tui.tui.firstscreen import FirstScreen
    from qwen_tui.tui.messages import ChangesReady, Refreshed, RefreshFailed, RefreshProgress
    from qwen_tui.tui.refresh_job import RefreshJob


class QwenTuiApp(OrderedKeys, TerminalWriteHook, App):
    TITLE = "qwen-tui"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [*keys.APP]
    AGE_TICK = 30.0  # seconds between repaints of the data's age in the header (only the header)

    def __init__(self, dataset: Dataset, paths: Paths, *, reload: Callable[[], Dataset] | None = None,
                 offline: bool | None = None, config: Config | None = None,
                 warnings: Iterable[str] = (), clock: Callable[[], float] = time.time,
                 shift_source: Callable | None = None, first: FirstScreen | None = None,
                 first_memo: Path | None = None) -> None:
        """`reload` reads the dataset again after a refresh (in the refresh thread). `offline`
        defaults to the Hub client's own rule (hub.offline.offline_mode).
        `shift_source(catalog) -> [Shift]`: policy shifts to mark (tui/shiftmarks.py); None: none.
        `first`: the first screen's memo, painted from; then `dataset` is its stand-in and
        `reload` loads the real one after the first frame (finish_loading). `first_memo`: the
        memo's path: without `first`, written after the first frame for the next start."""
        super().__init__()
        self.dataset = dataset
        self._first = first
        self._memo = first_memo
        # The dataset a start with no memo writes one for (a refresh may replace it before).
        self._memo_for = dataset if first is None else None
        self.paths = paths
        self.reload = reload or (lambda: dataset)
        self.offline = offline_mode() if offline is None else offline
        self.config = config or Config()
        self.clock = clock
        self._warnings = [w for w in [*warnings, dataset.warning] if w]
        self._wire = WireCache()
        self._refresh: RefreshJob | None = None
        # The last refresh, if it failed: (host, reason, the snapshot whose Hub data is shown).
        self._failure: tuple[str, str, Snapshot | None] | None = None
        self.shift_source = shift_source
        self._legible: tuple[str, object] | None = None  # (theme name, its NO_COLOR filter)

    # -- start -----------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        from qwen_tui.tui.firstscreen import HEAD

        if self._first is not None and self.size.height > HEAD:
            self.finish_loading()  # taller than the memo's rows: the rest is needed at once
        return MainScreen(self.dataset, self._first)

    def finish_loading(self) -> None:
        """Load the dataset behind the first screen painted from its memo, and show it: the same
        rows, so nothing on screen changes. Runs right after the first frame, or before the first
        key, click or paste if one comes sooner: no input ever meets the stand-in."""
        if self._first is None:
            return
        self._first = None
        self.dataset = self.reload()
        main = self.main_screen
        if main is not None:
            main.loaded(self.dataset)
        if self.dataset.warning:  # (a cache found damaged or busy just now)
            if self._memo is not None:  # it showed what this load did not find: not again
                self._memo.unlink(missing_ok=True)
            self.notify(self.dataset.warning, severity="warning", markup=False, timeout=8)

    async def on_event(self, event: events.Event) -> None:
        if self._first is not None and isinstance(event, (events.InputEvent, events.Paste)):
            self.finish_loading()
        await super().on_event(event)

    def remember_first_screen(self) -> None:
        """A start that found no memo writes it for the next start: after its first frame, or
        at exit if a key quit sooner (start.main). Once, and only for the dataset it started with."""
        memo, dataset, self._memo_for = self._memo, self._memo_for, None
        if memo is not None and dataset is self.dataset and not dataset.warning:
            from qwen_tui.tui import firstscreen

            firstscreen.write(memo, firstscreen.build(dataset))

    def get_line_filters(self):
        """Under NO_COLOR, Textual's Monochrome gives way to one that keeps every word legible
        and draws statuses by weight (legible.py)."""
        filters = super().get_line_filters()
        if not self.no_color:
            return filters
        from textual.filter import Monochrome

        from qwen_tui.tui.legible import LegibleMonochrome

        theme = self.current_theme
        if self._legible is None or self._legible[0] != theme.name:
            self._legible = (theme.name, LegibleMonochrome(Color.parse(theme.foreground or "#e0e0e0")))
        return [self._legible[1] if isinstance(f, Monochrome) else f for f in filters]

    def on_resize(self, event) -> None:
        self._wire.resized(event.size)

    def on_mount(self) -> None:
        # In this order, after the first frame: the dataset loads with the GC still off, and
        # the GC then freezes it with the rest of the start-up's objects.
        self.call_after_refresh(self.finish_loading)
        self.call_after_refresh(self.remember_first_screen)
        self.call_after_refresh(self._resume_gc)
        # After a suspend (ctrl+z, an editor) the terminal shows something else: write it all.
        self.app_resume_signal.subscribe(self, lambda _app: self.action_redraw())
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for w in self._warnings:
            self.notify(w, severity="warning", markup=False, timeout=8)
        if self.should_auto_refresh():
            self.call_after_refresh(self.action_refresh)
        # "Hub data 3 min old" grows older while the app runs; setting the same text again
        # repaints nothing, so over SSH this costs a few bytes a minute at most.
        self.set_interval(self.AGE_TICK, self.update_header_age)

    @staticmethod
    def _resume_gc() -> None:
        """After the first frame: see cli/explore.py (the GC is paused only when run from there)."""
        import gc

        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def should_auto_refresh(self) -> bool:
        hours = self.config.auto_after_hours
        if not hours or self.offline:
            return False
        age = self.snapshot_age()
        return age is None or age > hours * 3600

    def snapshot_age(self) -> int | None:
        snap = self.dataset.snapshot
        if not snap:
            return None
        return seconds_since(snap.finished_at, self.clock())

    def age_text(self) -> str:
        return data_age(self.dataset.snapshot, self.clock(), tracker=self.dataset.tracker)

    def header(self) -> StatusHeader | None:
        """The main screen's header; None before it is up or once the app is closing (the age's
        interval can fire then, after the screen's widgets are gone)."""
        main = self.main_screen
        if main is None or not main.is_mounted:
            return None
        return next(iter(main.query(StatusHeader)), None)

    def update_header(self, progress: str = "") -> None:
        header = self.header()
        if header is None:
            return
        header.online = not self.offline
        header.progress = progress
        self.update_header_age()

    def update_header_age(self) -> None:
        """The age of the data, and a failed refresh's line (its age part grows older too)."""
        header = self.header()
        if header is None:
            return
        header.age = self.age_text()
        header.failure = self.failure_lines() if self._failure else ("", "")

    def failure_lines(self) -> tuple[str, str]:
        host, reason, snap = self._failure or ("", "", None)
        now = self.clock()
        return (refresh_failure(host, reason, snap, now), refresh_failure(host, reason, snap, now, short=True))

    @property
    def main_screen(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    # -- output ----------------------------------------------------------------------------------

    def filter_update(self, kind: str, update):
        """Every update on its way to the terminal (TerminalWriteHook) goes through the wire
        cache, which drops the pieces of lines the terminal already shows (see wire.py)."""
        if kind == "full":
            return self._wire.full(update, self.console)
        return self._wire.partial(update, self.console)

    def action_redraw(self) -> None:
        """ctrl+l: write every line again, for a terminal garbled by something else."""
        self._wire.forget()
        self.screen.refresh()

    # -- actions ---------------------------------------------------------------------------------

    def action_help(self) -> None:
        from qwen_tui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.config.keymap))

    def action_refresh(self) -> None:
        if self.offline:
            from qwen_tui.hub.settings import OFFLINE_REFRESH_MESSAGE

            self.notify(OFFLINE_REFRESH_MESSAGE, severity="warning", markup=False)
            return
        if self.refreshing:
            self.notify("A refresh is already running.", markup=False)
            return
        self.finish_loading()  # (an automatic refresh, before any key: the catalog it reads)
        from qwen_tui.tui.refresh_job import RefreshJob

        self._failure = None  # the next try: the last failure is no longer news
        self.update_header("refreshing…")
        self._refresh = RefreshJob(self.dataset.catalog, self.paths.cache_db, self.reload, self.post_message)
        self._refresh.start()

    @property
    def refreshing(self) -> bool:
        return self._refresh is not None and self._refresh.is_alive()

    async def action_quit(self) -> None:
        if self._refresh is not None:
            self._refresh.abandon()  # its result, if it ever comes, is not wanted
        self.exit()

    def action_diff(self) -> None:
        self.diff_worker()

    # -- workers ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="diff")
    def diff_worker(self) -> None:
        from qwen_tui.diff import diff_snapshots, resolve_base
        from qwen_tui.store import Store
        from qwen_tui.tui.messages import ChangesReady

        store = Store.open_readonly(self.paths.cache_db)  # a CacheError is shown by on_worker_state_changed
        if store is None:
            self.post_message(ChangesReady("no snapshots yet", [], enough_snapshots=False))
            return
        with store:
            base = resolve_base(store, None)  # the same pair as `qwen-tui diff`
            if base.old is None or base.new is None:
                why = "no snapshots yet" if not store.snapshots() else \
                    "only one snapshot so far: refresh again later"
                self.post_message(ChangesReady(why, [], enough_snapshots=False))
                return
            changes = diff_snapshots(store, base.old.id, base.new.id)
        self.post_message(ChangesReady(
            f"Changes on the Hub: {base.old.finished_at} → {base.new.finished_at} ({full_count(len(changes))})",
            changes))

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        self.update_header(f"refreshing {full_count(message.orgs_done)}/{full_count(message.orgs_total)} "
                           f"orgs · {full_count(message.repos_seen)} repos")

    def on_refreshed(self, message: Refreshed) -> None:
        # A refresh where every vendor failed still saves a snapshot, but the Hub data shown is
        # what the one before it fetched: the failure line names that one's time.
        shown = self.dataset.snapshot
        self.dataset = message.dataset
        main = self.main_screen
        if main is not None:
            main.load_dataset(message.dataset)
        if message.failed and not message.vendors_ok:
            # Nothing came back: one line says what failed, where, why and what is shown instead.
            self._note_failure(message.host, next(iter(message.failed.values())), shown)
            self.update_header()
            self.notify(self.failure_lines()[0], severity="error", markup=False, timeout=10)
        else:
            self.update_header()
            text = (f"Refreshed: {full_count(message.repos_seen)} repos, {full_count(message.new)} new, "
                    f"{full_count(message.changed)} changed")
            if message.failed:
                attempted = len(message.failed) + message.vendors_ok
                text += (f"; {full_count(len(message.failed))} of {full_count(attempted)}"
                         " vendors failed: " + "; ".join(f"{v}: {why}" for v, why in list(message.failed.items())[:3]))
            self.notify(text, severity="warning" if message.failed else "information", markup=False, timeout=8)
        if message.warning:
            self.notify(message.warning, severity="warning", markup=False)

    def _note_failure(self, host: str, text: str, shown) -> None:
        """Remember a failed refresh for the header. Not every failure is the Hub's (a locked
        cache, a malformed answer): only a network one says "cannot reach <host>"."""
        reason = network_reason(text)
        self._failure = (host, reason, shown) if reason else ("", short_reason(text), shown)

    def on_refresh_failed(self, message: RefreshFailed) -> None:
        self._note_failure(message.host, message.reason, self.dataset.snapshot)
        self.update_header()
        self.notify(self.failure_lines()[0], severity="error", markup=False, timeout=10)

    def on_changes_ready(self, message: ChangesReady) -> None:
        if not message.enough_snapshots:
            self.notify(message.title[:1].upper() + message.title[1:], markup=False)
            return
        from qwen_tui.tui.screens.changes import ChangesScreen

        self.push_screen(ChangesScreen(message.title, message.changes))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # One place turns a failed worker into a visible one-line message instead of a crash.
        if event.state is not WorkerState.ERROR:
            return
        from qwen_tui.tui.refresh_job import failure_text

        self.notify(failure_text(event.worker.error), severity="error", markup=False, timeout=10)

    # -- command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Not Textual's own list: its "Keys" panel duplicates ours, and Theme, Maximize and
        # Screenshot do nothing useful here (a theme would undo the NO_COLOR and 16-colour care).
        main = self.main_screen
        yield SystemCommand("Quit", "Quit qwen-tui (q)", self.action_quit)
        yield SystemCommand("Refresh from the Hub", "Fetch new Hub data in the background (r)",
                            self.action_refresh)
        yield SystemCommand("What changed", "Changes between the two newest snapshots (d)",
                            self.action_diff)
        yield SystemCommand("Keys", "Every key binding (?)", self.action_help)
        if main is None:
            return
        yield SystemCommand("Compare marked releases", "Side by side (c)", main.action_compare)
        yield SystemCommand("Cycle sort", "date, name, downloads, status (s)", main.action_sort)
        yield SystemCommand("Trends", "Vendors x years: open, gated, cloud-only, withdrawn (t)",
                            main.action_trends)
        yield SystemCommand("Cycle commercial use",
                            "all, unrestricted, conditional, non-commercial, none, unknown (m)",
                            main.action_commercial)
        for status in ("open-weight", "gated", "cloud-only", "withdrawn", "discovered"):
            yield SystemCommand(f"Toggle status {status}", f"Show only {status} (toggle)",
                                lambda s=status: main.action_status(s), discover=False)
        yield SystemCommand("Vendor: All vendors", "Every timeline interleaved",
                            lambda: main.select_vendor(None), discover=False)
        for v in sorted(self.dataset.catalog.vendors.values(), key=lambda v: v.name.lower()):
            yield SystemCommand(f"Vendor: {v.name}", f"{v.country} · Hub: {', '.join(v.hub_orgs) or '-'}",
                                lambda vid=v.id: main.select_vendor(vid), discover=False)
