"""`r`: a refresh in a daemon thread that quitting never waits for.

Textual's thread workers run in asyncio's default executor, which `asyncio.run` joins when the
app ends: quitting during a refresh against a Hub that does not answer then waited for every
timeout and retry (minutes). This job runs in its own daemon thread instead; `q` abandons it
(nothing it finds is posted any more) and the app's `main` ends the process without waiting
(see start.main). What the refresh writes, it writes in one transaction, so an abandoned refresh
leaves the previous snapshot as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from textual.message import Message

from qwen_tui.errors import QwenTuiError
from qwen_tui.model import Catalog
from qwen_tui.query import Dataset
from qwen_tui.tui.messages import Refreshed, RefreshFailed, RefreshProgress


def failure_text(exc: BaseException | None) -> str:
    """One line for a job that failed: our own errors say what to do; others name their type."""
    if isinstance(exc, QwenTuiError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class RefreshJob:
    def __init__(self, catalog: Catalog, cache_db: Path, reload: Callable[[], Dataset],
                 post: Callable[[Message], object]) -> None:
        self._catalog, self._cache_db, self._reload, self._post_to_app = catalog, cache_db, reload, post
        self._abandoned = threading.Event()
        self._thread = threading.Thread(target=self._run, name="qwen-tui-refresh", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def abandon(self) -> None:
        self._abandoned.set()

    def _post(self, message: Message) -> None:
        if not self._abandoned.is_set():
            self._post_to_app(message)

    def _progress(self, p) -> None:
        self._post(RefreshProgress(p.orgs_done, p.orgs_total, p.repos_seen))

    def _run(self) -> None:
        try:
            from qwen_tui import sync  # lazy: heavy, and most sessions never refresh
            from qwen_tui.modelsdev.refresh import beside
            from qwen_tui.store import Store

            with Store.open(self._cache_db) as store:
                # models.dev is fetched beside the Hub, as `qwen-tui refresh` does; its failure
                # never stops the Hub's.
                report, hub_error, models_dev = beside(
                    store, self._catalog, lambda: sync.refresh(self._catalog, store, progress=self._progress))
            if hub_error is not None:
                raise hub_error
            if report is None:  # the Hub part always runs here: no report means it never finished
                raise RuntimeError("the Hub refresh gave no report")
            if self._abandoned.is_set():
                return
            # models.dev is not a vendor: its failure is a warning line of its own.
            notes = [w for w in (store.warning, models_dev.line() if models_dev.failed else "") if w]
            self._post(Refreshed(self._reload(), report.repos_seen, report.new, report.changed,
                                 dict(report.failed), "; ".join(notes), vendors_ok=len(report.ok),
                                 host=_host()))
        except Exception as exc:  # noqa: BLE001 - any failure becomes one line in the app
            self._post(RefreshFailed(failure_text(exc), host=_host()))


def _host() -> str:
    from qwen_tui.hub.client import endpoint_host  # lazy: the Hub client is heavy to import

    return endpoint_host()
