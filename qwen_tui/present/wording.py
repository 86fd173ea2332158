"""The words both the CLI and the explorer use for a license's commercial use and the data's age."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qwen_tui.query import human_age, seconds_since

if TYPE_CHECKING:
    from qwen_tui.evidence import Snapshot
    from qwen_tui.model import License
    from qwen_tui.modelsdev.releases import TrackerSource

NO_HUB_DATA = "catalog only, no Hub data yet"


def commercial_text(lic: License) -> str:
    """'yes', 'no' or 'conditional (over 700M monthly users needs a license)': the catalog's own
    three words, so a user who reads `commercial_use` in `--json` finds the same word on screen."""
    return lic.commercial_use + (f" ({lic.commercial_condition})" if lic.commercial_condition else "")


def data_age(snapshot: Snapshot | None, now: float | None = None, *, with_time: bool = False,
             tracker: TrackerSource | None = None) -> str:
    """'Hub data 3 h old' (with its UTC time when `with_time`), or that there is none yet; then,
    given where the models.dev releases come from, their age too."""
    hub = _hub_age(snapshot, now, with_time)
    return f"{hub} · {tracker_age(tracker, now)}" if tracker is not None and tracker.kind != "none" else hub


def _hub_age(snapshot: Snapshot | None, now: float | None, with_time: bool) -> str:
    if snapshot is None:
        return NO_HUB_DATA
    secs = seconds_since(snapshot.finished_at, now)
    if secs is None:
        return f"Hub data from {snapshot.finished_at}"
    return f"Hub data {human_age(secs)} old" + (f" ({snapshot.finished_at})" if with_time else "")


def tracker_age(tracker: TrackerSource, now: float | None = None) -> str:
    """'models.dev 2 h old' (since the source last confirmed the snapshot, a 304 included), or
    'models.dev bundled copy of 2026-07-01' before the first refresh of that source."""
    if tracker.kind == "bundled":
        from qwen_tui.modelsdev.releases import utc_day

        return f"models.dev bundled copy of {utc_day(tracker.date)}"
    secs = seconds_since(tracker.checked_at or tracker.date, now)
    return f"models.dev {human_age(secs)} old" if secs is not None else f"models.dev from {tracker.date}"
