"""What changed on the Hub between two snapshots: repos added and removed, gating, licenses and
large download moves. Pure reading of the store; no network.

Only orgs present in both snapshots are compared: an org fetched for the first time is not "1,000
repos added", and an org whose fetch failed was carried over unchanged by the store.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from qwen_tui.errors import UsageError
from qwen_tui.evidence import HubRepo, Snapshot
from qwen_tui.store import Store

KINDS = ("added", "removed", "gated-on", "gated-off", "license", "downloads")
# A "large" move of the 30-day downloads: at least this share of the old value ...
DOWNLOADS_RATIO = 0.5
# ... and at least this many downloads (small repos jump around without meaning much).
DOWNLOADS_MIN = 1000


@dataclass(frozen=True)
class Change:
    kind: str  # 'added' | 'removed' | 'gated-on' | 'gated-off' | 'license' | 'downloads'
    vendor: str
    repo_id: str
    before: str
    after: str


def diff_snapshots(store: Store, old_id: int, new_id: int, *, downloads_ratio: float = DOWNLOADS_RATIO,
                   downloads_min: int = DOWNLOADS_MIN) -> list[Change]:
    """Changes from snapshot `old_id` to `new_id`, sorted by kind, vendor and repo."""
    old_orgs = {o.lower() for o in store.org_states(old_id)}
    new_orgs = {o.lower() for o in store.org_states(new_id)}
    both = old_orgs & new_orgs
    old = {r.repo_id.lower(): r for r in store.repos(old_id) if r.org.lower() in both}
    new = {r.repo_id.lower(): r for r in store.repos(new_id) if r.org.lower() in both}
    renamed = {k: c.renamed_to for k, c in store.checks(new_id).items() if c.state == "renamed"}
    renamed_from = {v.lower(): k for k, v in renamed.items()}
    changes: list[Change] = []
    for key, r in new.items():
        if key not in old:
            src = renamed_from.get(key)
            before = f"renamed from {old[src].repo_id}" if src in old else ""
            changes.append(Change("added", r.vendor, r.repo_id, before, _describe(r)))
    for key, r in old.items():
        if key not in new:
            after = f"renamed to {renamed[key]}" if key in renamed else ""
            changes.append(Change("removed", r.vendor, r.repo_id, _describe(r), after))
    for key in old.keys() & new.keys():
        a, b = old[key], new[key]
        if not a.gated and b.gated:
            changes.append(Change("gated-on", b.vendor, b.repo_id, "open", b.gated))
        elif a.gated and not b.gated:
            changes.append(Change("gated-off", b.vendor, b.repo_id, a.gated, "open"))
        if _license(a) != _license(b):
            changes.append(Change("license", b.vendor, b.repo_id, _license(a), _license(b)))
        if a.downloads is not None and b.downloads is not None:
            move = abs(b.downloads - a.downloads)
            if move >= downloads_min and move >= downloads_ratio * max(a.downloads, 1):
                changes.append(Change("downloads", b.vendor, b.repo_id, str(a.downloads), str(b.downloads)))
    order = {k: i for i, k in enumerate(KINDS)}
    changes.sort(key=lambda c: (order[c.kind], c.vendor, c.repo_id.lower()))
    return changes


def _license(r: HubRepo) -> str:
    return f"{r.license} ({r.license_name})" if r.license_name else r.license


def _describe(r: HubRepo) -> str:
    parts = [_license(r) or "no license tag"]
    if r.gated:
        parts.append(f"gated ({r.gated})")
    return ", ".join(parts)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?Z?)?$")


def resolve_base(store: Store, since: str | None) -> tuple[Snapshot, Snapshot] | None:
    """(old, new) snapshots to compare: the newest against `since` (a snapshot id, or a date:
    the newest snapshot finished by then), or against the one before it. None: fewer than two."""
    snaps = store.snapshots()
    if len(snaps) < 2:
        return None
    latest = snaps[-1]
    if since is None:
        return snaps[-2], latest
    since = since.strip()
    if since.isdigit():
        match = [s for s in snaps if s.id == int(since)]
        if not match:
            kept = ", ".join(str(s.id) for s in snaps)
            raise UsageError(f"--since: no snapshot {since} (kept: {kept})")
        return match[0], latest
    if not _DATE_RE.match(since):
        raise UsageError(f"--since: {since!r} is neither a snapshot id nor a date (YYYY-MM-DD)")
    when = since.replace(" ", "T").removesuffix("Z")
    if len(when) == 10:
        when += "T23:59:59"  # a day means "as of the end of that day"
    elif len(when) == 16:
        when += ":00"
    when += "Z"  # now the store's own form, so strings compare as times
    try:
        time.strptime(when[:10], "%Y-%m-%d")
    except ValueError:
        raise UsageError(f"--since: {since!r} is not a calendar date") from None
    before = [s for s in snaps[:-1] if s.finished_at <= when]
    # Nothing that old is kept: compare with the oldest snapshot we have (the caller says so).
    return (before[-1] if before else snaps[0]), latest
