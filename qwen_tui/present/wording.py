"""The words both the CLI and the explorer use for a license's commercial use and the data's age."""

from __future__ import annotations

from typing import TYPE_CHECKING

from qwen_tui.query import human_age, seconds_since

if TYPE_CHECKING:
    from qwen_tui.evidence import Snapshot
    from qwen_tui.model import License

NO_HUB_DATA = "catalog only, no Hub data yet"


def commercial_text(lic: License) -> str:
    """'yes', 'no' or 'conditional (over 700M monthly users needs a license)': the catalog's own
    three words, so a user who reads `commercial_use` in `--json` finds the same word on screen."""
    return lic.commercial_use + (f" ({lic.commercial_condition})" if lic.commercial_condition else "")


def data_age(snapshot: Snapshot | None, now: float | None = None, *, with_time: bool = False) -> str:
    """'Hub data 3 h old' (with its UTC time when `with_time`), or that there is none yet."""
    if snapshot is None:
        return NO_HUB_DATA
    secs = seconds_since(snapshot.finished_at, now)
    if secs is None:
        return f"Hub data from {snapshot.finished_at}"
    return f"Hub data {human_age(secs)} old" + (f" ({snapshot.finished_at})" if with_time else "")
