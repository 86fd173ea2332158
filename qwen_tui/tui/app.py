"""The explorer app: wiring only. Screens and widgets do the showing; workers do the I/O.

It paints at once from the catalog and the cache (loaded before the app starts, ~10 ms with the
catalog pickle); `r` refreshes in a thread worker and swaps in the reloaded dataset.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from textual import work
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App, SystemCommand
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from qwen_tui.errors import QwenTuiError
from qwen_tui.paths import Paths
from qwen_tui.query import Dataset, human_age, seconds_since
from qwen_tui.tui import keys
from qwen_tui.tui.config import Config
from qwen_tui.tui.messages import ChangesReady, RefreshProgress, Refreshed
from qwen_tui.tui.screens.main import MainScreen
from qwen_tui.tui.typeahead import OrderedKeys
from qwen_tui.tui.wire import WireCache
from qwen_tui.tui.widgets.header import StatusHeader


def env_offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on")


class QwenTuiApp(OrderedKeys, App):
    TITLE = "qwen-tui"
    CSS_PATH = "app.tcss"
    BINDINGS = keys.APP

    def __init__(self, dataset: Dataset, paths: Paths, *, reload: Callable[[], Dataset] | None = None,
                 offline: bool = False, config: Config | None = None,
                 warnings: Iterable[str] = (), clock: Callable[[], float] = time.time,
                 shift_source: Callable | None = None) -> None:
        """`reload` reads the dataset again after a refresh (in the worker thread).
        `shift_source(catalog) -> [Shift]`: policy shifts to mark (tui/shiftmarks.py); None: none."""
        super().__init__()
        self.dataset = dataset
        self.paths = paths
        self.reload = reload or (lambda: dataset)
        self.offline = offline
        self.config = config or Config()
        self.clock = clock
        self._warnings = [w for w in [*warnings, dataset.warning] if w]
        self._wire = WireCache()
        self.shift_source = shift_source

    # -- start -----------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return MainScreen(self.dataset)

    def on_resize(self, event) -> None:
        self._wire.resized(event.size)

    def on_mount(self) -> None:
        self.call_after_refresh(self._resume_gc)
        # After a suspend (ctrl+z, an editor) the terminal shows something else: write it all.
        self.app_resume_signal.subscribe(self, lambda _app: self._wire.forget())
        if self.config.keymap:
            self.set_keymap(self.config.keymap)
        for w in self._warnings:
            self.notify(w, severity="warning", markup=False, timeout=8)
        if self.should_auto_refresh():
            self.call_after_refresh(self.action_refresh)

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
        age = self.snapshot_age()
        if self.dataset.snapshot is None:
            return "catalog only, no Hub data yet"
        return "Hub data " + (human_age(int(age)) + " old" if age is not None
                              else "from " + self.dataset.snapshot.finished_at)

    def update_header(self, progress: str = "") -> None:
        main = self.main_screen
        if main is None or not main.is_mounted:
            return
        header = main.query_one(StatusHeader)
        header.online = not self.offline
        header.age = self.age_text()
        header.progress = progress

    @property
    def main_screen(self) -> MainScreen | None:
        return next((s for s in self.screen_stack if isinstance(s, MainScreen)), None)

    # -- output ----------------------------------------------------------------------------------

    def _display(self, screen: Screen, renderable) -> None:
        # Textual's one exit to the terminal: every update goes through the wire cache, which
        # drops the pieces of lines the terminal already shows (see wire.py).
        if not self.is_inline and not self.is_headless:
            if isinstance(renderable, LayoutUpdate):
                renderable = self._wire.full(renderable, self.console)
            elif isinstance(renderable, ChopsUpdate):
                renderable = self._wire.partial(renderable, self.console)
        super()._display(screen, renderable)

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
            self.notify("Offline (--offline or HF_HUB_OFFLINE): cannot refresh. "
                        "Showing the catalog and the cache.", severity="warning")
            return
        self.update_header("refreshing…")
        self.refresh_worker()

    def action_diff(self) -> None:
        self.diff_worker()

    # -- workers ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="refresh")
    def refresh_worker(self) -> None:
        from qwen_tui import sync  # lazy: heavy, and the app must work without it
        from qwen_tui.store import Store

        store, warning = Store.open(self.paths.cache_db)
        try:
            report = sync.refresh(self.dataset.catalog, store,
                                  progress=lambda p: self.post_message(RefreshProgress(p)))
        finally:
            store.close()
        dataset = self.reload()
        self.post_message(Refreshed(report, dataset, warning))

    @work(thread=True, exclusive=True, group="diff")
    def diff_worker(self) -> None:
        from qwen_tui.store import Store

        store, warning = Store.open_readonly(self.paths.cache_db)
        if store is None:
            self.post_message(ChangesReady(warning or "no snapshots yet", []))
            return
        try:
            snaps = store.snapshots()
            if len(snaps) < 2:
                self.post_message(ChangesReady(
                    "no snapshots yet" if not snaps else "only one snapshot so far: refresh again later", []))
                return
            from qwen_tui.diff import diff_snapshots

            old, new = snaps[-2], snaps[-1]
            changes = diff_snapshots(store, old.id, new.id)
            self.post_message(ChangesReady(
                f"Changes on the Hub: {old.finished_at} → {new.finished_at} ({len(changes)})", changes))
        finally:
            store.close()

    def on_refresh_progress(self, message: RefreshProgress) -> None:
        p = message.progress
        text = (f"refreshing {getattr(p, 'orgs_done', 0)}/{getattr(p, 'orgs_total', 0)} orgs · "
                f"{getattr(p, 'repos_seen', 0):,} repos")
        self.update_header(text)

    def on_refreshed(self, message: Refreshed) -> None:
        r = message.report
        self.dataset = message.dataset
        main = self.main_screen
        if main is not None:
            main.load_dataset(message.dataset)
        self.update_header()
        failed = getattr(r, "failed", {}) or {}
        text = (f"Refreshed: {getattr(r, 'repos_seen', 0):,} repos, {getattr(r, 'new', 0)} new, "
                f"{getattr(r, 'changed', 0)} changed")
        if failed:
            text += f"; failed: " + "; ".join(f"{v}: {why}" for v, why in list(failed.items())[:3])
        self.notify(text, severity="warning" if failed else "information", markup=False, timeout=8)
        if message.warning:
            self.notify(message.warning, severity="warning", markup=False)

    def on_changes_ready(self, message: ChangesReady) -> None:
        if not message.changes and message.title.startswith(("no snapshots", "only one")):
            self.notify(message.title.capitalize(), markup=False)
            return
        from qwen_tui.tui.screens.changes import ChangesScreen

        self.push_screen(ChangesScreen(message.title, message.changes))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # One place turns a failed worker into a visible one-line message instead of a crash.
        if event.state is not WorkerState.ERROR:
            return
        exc = event.worker.error
        if event.worker.group == "refresh":
            self.update_header()
        if isinstance(exc, QwenTuiError):
            text = str(exc)
        elif isinstance(exc, ImportError) and event.worker.group in ("refresh", "diff"):
            text = f"{'Refresh' if event.worker.group == 'refresh' else 'Changes'} is not available yet ({exc})"
        else:
            text = f"{type(exc).__name__}: {exc}"
        self.notify(text, severity="error", markup=False, timeout=10)

    # -- command palette -------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        main = self.main_screen
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


def main(args) -> int:
    """Build the app from CLI args and run it; the dataset loads before the first frame."""
    from qwen_tui.paths import default_paths
    from qwen_tui.tui.config import load_config

    paths = default_paths()
    use_cache = not getattr(args, "no_cache", False)
    catalog_dirs = list(getattr(args, "catalog", []) or [])
    dataset = Dataset.load(paths, catalog_dirs, use_cache=use_cache)
    config, warning = load_config(paths.config_file, keys.KNOWN_IDS)
    from qwen_tui.tui.shiftmarks import flagship_shifts

    # The flagship facts of the folders the catalog was read from (as Dataset.load reads them).
    flagship_dirs = ([paths.user_catalog_dir] if paths.user_catalog_dir.is_dir() else []) + catalog_dirs
    app = QwenTuiApp(dataset, paths,
                     reload=lambda: Dataset.load(paths, catalog_dirs, use_cache=use_cache),
                     offline=bool(getattr(args, "offline", False)) or env_offline(),
                     config=config, warnings=[warning], shift_source=flagship_shifts(flagship_dirs))
    app.run()
    return app.return_code or 0
