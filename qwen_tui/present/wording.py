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


# What a failed request's text says, in the words the user needs (first match wins).
_REASONS = [
    ("refused", "connection refused"),
    ("timed out", "timed out"),
    ("timeout", "timed out"),
    ("name resolution", "host not found"),
    ("not known", "host not found"),
    ("nodename", "host not found"),
    ("getaddrinfo", "host not found"),
    ("unreachable", "network unreachable"),
    ("certificate", "TLS certificate rejected"),
    ("ssl", "TLS error"),
    ("cannot connect", "cannot connect"),
    ("connection dropped", "connection dropped"),
    ("reset by peer", "connection dropped"),
]


def network_reason(text: str) -> str | None:
    """'connection refused', 'timed out', 'HTTP 503' … when a failure's text says the Hub could
    not be reached or answered with an error; None when it is about something else."""
    import re

    low = text.lower()
    for needle, reason in _REASONS:
        if needle in low:
            return reason
    http = re.search(r"\bHTTP (\d{3})\b", text) or re.search(r"\b(\d{3}) (?:Client|Server) Error\b", text)
    return f"HTTP {http.group(1)}" if http else None


def short_reason(text: str) -> str:
    """network_reason(), else the text's first line, cut to 40 cells."""
    reason = network_reason(text)
    if reason:
        return reason
    first = text.strip().splitlines()[0] if text.strip() else "unknown error"
    return first if len(first) <= 40 else first[:39] + "…"


def utc_minute(iso: str) -> str:
    """'2026-04-03T10:00:00Z' -> '2026-04-03 10:00 UTC' (other text is returned as it is)."""
    if len(iso) >= 16 and iso[10] == "T" and iso.endswith("Z"):
        return f"{iso[:10]} {iso[11:16]} UTC"
    return iso


def refresh_failure(host: str, reason: str, snapshot: Snapshot | None, now: float | None = None,
                    *, short: bool = False) -> str:
    """'cannot reach huggingface.co (connection refused) — showing Hub data from 2026-04-03
    10:00 UTC'; `short`: '… — Hub data 3 h old', for a narrow header."""
    if not host:
        what = f"refresh failed ({reason})"
    elif reason.startswith("HTTP "):  # it answered, with an error
        what = f"{host} refused the refresh ({reason})"
    else:
        what = f"cannot reach {host} ({reason})"
    if snapshot is None:
        return what + (" — catalog only" if short else " — showing the catalog only")
    if short:
        return f"{what} — {data_age(snapshot, now)}"
    return f"{what} — showing Hub data from {utc_minute(snapshot.finished_at)}"
