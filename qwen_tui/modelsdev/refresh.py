"""The models.dev half of `qwen-tui refresh`: fetch beside the Hub, store after it.

The network part (fetch + parse) runs in its own thread while the Hub part runs, so neither waits
for the other; the cache write happens afterwards on the caller's thread, because the store has
one connection and the Hub part holds its transaction while it writes. A failure of either source
never stops the other: this module never raises for models.dev's sake, it reports.

Outcomes (one line each in the refresh summary):
* fetched      - a new snapshot is stored (entries kept, invalid ones dropped and counted);
* not modified - the source answered 304 to our ETag: the snapshot's `checked_at` moves, nothing else;
* failed       - network, HTTP, size cap, or a body that is not models.json: nothing is written and
                 the previous snapshot (or the bundled copy) stays in use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from qwen_tui.model import Catalog
from qwen_tui.modelsdev import snapshot
from qwen_tui.modelsdev.parse import ModelsDevError, Parsed, parse_models_json
from qwen_tui.modelsdev.releases import lab_vendors
from qwen_tui.text import clean

T = TypeVar("T")


@dataclass(frozen=True)
class SourceReport:
    outcome: str  # "fetched" | "not modified" | "failed"
    reason: str = ""  # why it failed
    kept: int = 0  # entries of our labs stored
    dropped: int = 0  # invalid entries dropped
    links_dropped: int = 0  # links / weights with unsafe URLs dropped
    snapshot_id: int | None = None  # the snapshot now in use (None: the bundled copy)
    fetched_at: str = ""  # when that snapshot was fetched

    @property
    def failed(self) -> bool:
        return self.outcome == "failed"

    def line(self) -> str:
        """'models.dev: fetched · 208 entries kept, 3 dropped · snapshot 2' and the like."""
        kept = f"snapshot {self.snapshot_id} of {self.fetched_at}" if self.snapshot_id else "the bundled copy"
        if self.outcome == "fetched":
            counts = f"{self.kept:,} entries kept, {self.dropped:,} invalid dropped"
            if self.links_dropped:
                counts += f", {self.links_dropped:,} unsafe links dropped"
            return f"models.dev: fetched · {counts} · snapshot {self.snapshot_id}"
        if self.outcome == "not modified":
            return f"models.dev: not modified · keeping {kept}"
        return f"models.dev: failed ({clean(self.reason, 300)}) · keeping {kept}"


@dataclass(frozen=True)
class _Fetch:
    result: object  # fetch.FetchResult
    parsed: Parsed | None = None
    error: str = ""  # the body was unusable


def fetch_and_parse(etag: str, labs: dict[str, str]) -> _Fetch:
    """The network part: never raises (an unexpected error is this source's failure, not the run's)."""
    from qwen_tui.modelsdev.fetch import Failed, Fetched, fetch_models_json

    try:
        result = fetch_models_json(etag=etag)
        if isinstance(result, Fetched):
            try:
                return _Fetch(result, parse_models_json(result.body, labs=labs))
            except ModelsDevError as exc:
                return _Fetch(result, error=str(exc))
        return _Fetch(result)
    except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the other
        return _Fetch(Failed(f"{type(exc).__name__}: {clean(exc, 120)}"))


def save(store, fetched: _Fetch) -> SourceReport:
    """Store what was fetched (one transaction). CacheError from the store is the caller's."""
    from qwen_tui.modelsdev.fetch import Fetched, NotModified

    prev = snapshot.latest(store.conn)
    prev_id, prev_at = (prev.id, prev.fetched_at) if prev else (None, "")
    result = fetched.result
    if isinstance(result, NotModified) and prev is not None:
        with store.atomic() as conn:
            snapshot.touch(conn, prev.id, checked_at=result.fetched_at, etag=result.etag)
        return SourceReport("not modified", snapshot_id=prev_id, fetched_at=prev_at)
    if isinstance(result, Fetched) and fetched.parsed is not None:
        parsed = fetched.parsed
        with store.atomic() as conn:
            sid = snapshot.save(conn, url=result.url, fetched_at=result.fetched_at, etag=result.etag,
                                parsed=parsed)
        return SourceReport("fetched", kept=len(parsed.entries), dropped=parsed.dropped_total,
                            links_dropped=parsed.links_dropped, snapshot_id=sid, fetched_at=result.fetched_at)
    reason = fetched.error or getattr(result, "reason", "") or "304 without a stored snapshot"
    return SourceReport("failed", reason, snapshot_id=prev_id, fetched_at=prev_at)


DEADLINE = 90.0  # seconds for the whole models.dev part (its retries included)


def beside(store, catalog: Catalog, hub_part: Callable[[], T] | None,
           *, deadline: float = DEADLINE) -> tuple[T | None, Exception | None, SourceReport]:
    """Run `hub_part` (or nothing) while models.dev is fetched in a thread; then store models.dev.

    Returns (what hub_part returned, what it raised, models.dev's report): a Hub failure never
    costs this source its snapshot, and this side only reports, so it never stops the Hub. A
    fetch still running `deadline` seconds after the start is reported as failed and left to
    die with the process (a daemon thread): the Hub's result is never held hostage by it."""
    import time

    start = time.monotonic()
    from qwen_tui.modelsdev.fetch import models_dev_url

    prev = snapshot.latest(store.conn)
    # An ETag is only worth sending to the URL it came from (QWEN_TUI_MODELS_DEV_URL may change).
    etag = prev.etag if prev and prev.url == clean(models_dev_url(), 120) else ""
    box: list[_Fetch] = []
    worker = threading.Thread(target=lambda: box.append(fetch_and_parse(etag, lab_vendors(catalog))),
                              name="models.dev", daemon=True)
    worker.start()
    hub_result, hub_error = None, None
    try:
        if hub_part is not None:
            hub_result = hub_part()
    except Exception as exc:  # noqa: BLE001 - the caller reports it, after models.dev is saved
        hub_error = exc
    worker.join(max(0.0, deadline - (time.monotonic() - start)))  # (Ctrl-C stops both: a daemon)
    from qwen_tui.errors import CacheError

    if not box:
        prev = snapshot.latest(store.conn)
        return hub_result, hub_error, SourceReport(
            "failed", f"no answer within {deadline:g} s", snapshot_id=prev.id if prev else None,
            fetched_at=prev.fetched_at if prev else "")
    try:
        report = save(store, box[0])
    except CacheError as exc:
        report = SourceReport("failed", str(exc))
    return hub_result, hub_error, report
