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
from qwen_tui.text import clean

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


@dataclass(frozen=True)
class Base:
    """Which two snapshots `diff` compares. `old` is None when there is nothing to compare (fewer
    than two snapshots, or none older than `--since`); `note` then says why, in one line. With a
    comparison, `note` says when the base is not the one asked for ('' otherwise)."""

    old: Snapshot | None
    new: Snapshot | None
    note: str = ""


_ID_RE = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also says yes to '²'
_DATE_RE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)Z?)?", re.ASCII)


def resolve_base(store: Store, since: str | None) -> Base:
    """The snapshots to compare: the newest against `since`, or against the one before it.

    `since` is a snapshot id, or a date (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] in UTC): the base is
    the newest snapshot taken at or before that moment, and a day means its start, so "since
    2026-03-05" includes the changes seen on March 5. A date older than every kept snapshot
    compares with the oldest (and says so); a date at or after the newest snapshot, or a snapshot
    id that is the newest, has nothing to compare. Raises UsageError (one line) for anything else.
    """
    when = _parse_since(since) if since is not None else None
    snaps = store.snapshots()
    latest = snaps[-1] if snaps else None
    if latest is None:
        return Base(None, None, "no snapshots yet; run `qwen-tui refresh`")
    if since is None or (when is None and len(snaps) < 2):
        if len(snaps) < 2:
            return Base(None, latest, f"only one snapshot ({latest.id}, {latest.finished_at}); run "
                                      "`qwen-tui refresh` again to have something to compare")
        return Base(snaps[-2], latest)
    since = since.strip()
    if when is None:  # a snapshot id
        match = [s for s in snaps if s.id == int(since)]
        if not match:
            kept = ", ".join(str(s.id) for s in snaps)
            raise UsageError(f"--since: no snapshot {since} (kept: {kept})")
        if match[0].id == latest.id:
            raise UsageError(f"--since {since}: snapshot {since} is the newest; nothing newer to compare it with "
                             "(give an older snapshot, or leave --since out)")
        return Base(match[0], latest)
    before = [s for s in snaps if s.finished_at <= when]
    if before and before[-1].id == latest.id:
        return Base(None, latest, f"no snapshot since {since}: the newest is snapshot {latest.id} "
                                  f"({latest.finished_at})")
    if not before:
        oldest = snaps[0]
        return Base(oldest, latest, f"no snapshot before {since} is kept; compared with the oldest, "
                                    f"snapshot {oldest.id} ({oldest.finished_at})")
    return Base(before[-1], latest)


def _parse_since(since: str) -> str | None:
    """None for a snapshot id; for a date, the moment it names in the store's own form
    (YYYY-MM-DDTHH:MM:SSZ, so strings compare as times). UsageError for anything else."""
    text = since.strip()
    if _ID_RE.fullmatch(text):
        return None
    m = _DATE_RE.fullmatch(text)
    if not m:
        raise UsageError(f"--since: {clean(since, 40)!r} is neither a snapshot id nor a date (YYYY-MM-DD)")
    day, clock = m.group(1), m.group(2) or "00:00:00"
    try:
        time.strptime(f"{day}T{clock}", "%Y-%m-%dT%H:%M:%S" if clock.count(":") == 2 else "%Y-%m-%dT%H:%M")
    except ValueError:
        raise UsageError(f"--since: {clean(since, 40)!r} is not a calendar date") from None
    return f"{day}T{clock if clock.count(':') == 2 else clock + ':00'}Z"
