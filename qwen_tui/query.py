"""What the views ask for: the catalog joined with the newest cache snapshot.

`Dataset` is the one object the CLI and the TUI hold. It never touches the network; it reads the
catalog (bundled + user folders) and, when there is one, the cache, read-only.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qwen_tui.gcpause import gc_paused
from qwen_tui.model import Catalog, PartialDate, Status, Vendor
from qwen_tui.paths import Paths
from qwen_tui.reconcile import Entry, catalog_only, reconcile

if TYPE_CHECKING:  # the store is imported only when a cache file exists
    from qwen_tui.evidence import HubRepo, Snapshot
    from qwen_tui.modelsdev.releases import TrackerSource
    from qwen_tui.store import Store

STATUS_ORDER = (Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY, Status.WITHDRAWN, Status.DISCOVERED)


@dataclass(frozen=True)
class VendorSummary:
    """A vendor with how many of its releases are in each status."""

    vendor: Vendor
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, status: Status) -> int:
        return self.counts.get(status, 0)


def catalog_folders(paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...] = ()) -> list[Path]:
    """The catalog folders read over the bundled one: the user's, if present, then `catalog_dirs`."""
    dirs = [paths.user_catalog_dir] if paths.user_catalog_dir.is_dir() else []
    return dirs + [Path(d) for d in catalog_dirs]


class Dataset:
    """Catalog + newest snapshot, reconciled lazily and memoised."""

    def __init__(self, catalog: Catalog, store: Store | None = None, warning: str = "") -> None:
        self.catalog = catalog
        self.store = store
        self.warning = warning
        self.snapshot: Snapshot | None = None
        self.tracker: TrackerSource | None = None  # where the models.dev releases come from
        self._entries: dict[str, list[Entry]] = {}
        self._claimed: set[str] | None = None
        self._listed: dict[str, HubRepo] | None = None  # None: evidence not read yet
        self._checks: dict = {}
        self._org_fetched: dict[str, str] = {}
        if store is not None:
            self.snapshot = self._guard(store.latest, None)

    def _guard(self, read, default):
        """Run a cache read; a damaged cache (found only now: start-up skips the full check)
        means "catalog only" with a one-line warning, never a crash."""
        import sqlite3

        try:
            return read()
        except sqlite3.DatabaseError as exc:
            path = self.store.path if self.store else Path("cache")
            from qwen_tui.cachefile import busy, is_busy, why

            self.warning = (str(busy(path)) if is_busy(exc)  # a lock is not corruption
                            else f"cache {path} is unusable (corrupt: {why(exc)}); ignoring it")
            self.store, self.snapshot = None, None
            self._entries.clear()
            self._claimed, self._listed, self._checks, self._org_fetched = None, None, {}, {}
            return default

    @classmethod
    def load(cls, paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...] = (),
             *, use_cache: bool = True) -> Dataset:
        """Read the catalog (bundled, the user's folder if present, then `catalog_dirs`) and cache."""
        # Thousands of releases decoded from their memos live as long as the process: made with
        # the cyclic GC paused and then frozen, later collections never walk them (~20 ms of a
        # start with 3,000 releases went to collections triggered while decoding; gcpause.py).
        with _long_lived():
            return cls._load(paths, catalog_dirs, use_cache=use_cache)

    @classmethod
    def _load(cls, paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...], *, use_cache: bool) -> Dataset:
        store, warning = None, ""
        if use_cache and paths.cache_db.exists():
            from qwen_tui.errors import CacheError
            from qwen_tui.store import Store

            try:
                store = Store.open_readonly(paths.cache_db)
            except CacheError as exc:  # unusable, busy, newer or not ours: the catalog alone
                warning = str(exc)
        # Releases of every origin (catalog, models.dev) from here on: counts, bars, claims.
        from qwen_tui.modelsdev.releases import living_catalog

        catalog, tracker, note = living_catalog(catalog_folders(paths, catalog_dirs),
                                                store.conn if store else None, paths.cache_dir)
        ds = cls(catalog, store, "; ".join(w for w in (warning, note) if w))
        ds.tracker = tracker
        return ds

    # -- reconciliation ------------------------------------------------------------------------

    def _claimed_keys(self) -> set[str]:
        """Lower-cased repo ids the catalog claims, plus the new names of renamed ones."""
        if self._claimed is None:
            keys = {r.lower() for rel in self.catalog.releases for r in rel.hf_repos}
            for key, check in self._checks.items():
                if check.state == "renamed" and key in keys:
                    keys.add(check.renamed_to.lower())
            self._claimed = keys
        return self._claimed

    def _evidence_ready(self) -> bool:
        """Read the snapshot's evidence for the catalogued repos once; False: no usable cache."""
        if self.store and self.snapshot and self._listed is None:
            self._guard(self._read_evidence, None)
        return bool(self.store and self.snapshot)

    def catalog_entries(self, vendor: str | None = None) -> list[Entry]:
        """Every catalogued release (reconciled with the snapshot when there is one), newest first."""
        key = vendor or "*"
        if key in self._entries:
            return self._entries[key]
        if vendor is not None:  # one reconciliation per release, shared by every view of it
            entries = [e for e in self.catalog_entries(None) if e.vendor == vendor]
            self._entries[key] = entries
            return entries
        releases = self.catalog.releases
        with _long_lived():  # as many long-lived entries as releases (see `load`)
            if not self._evidence_ready():
                entries = [catalog_only(r) for r in releases]
            else:
                entries = [reconcile(r, licenses=self.catalog.licenses, listed=self._listed or {},
                                     checks=self._checks, org_fetched=self._org_fetched) for r in releases]
        self._entries[key] = entries
        return entries

    def _hub(self) -> tuple[Store, Snapshot]:
        """The store and snapshot Hub evidence is read from (callers ask _evidence_ready first)."""
        if self.store is None or self.snapshot is None:
            raise RuntimeError("no Hub snapshot to read")
        return self.store, self.snapshot

    def _read_evidence(self) -> None:
        store, snap = self._hub()
        self._checks = store.checks(snap.id)
        self._claimed = None  # renames in the checks extend the claimed ids
        self._org_fetched = {org.lower(): f or "" for org, (_, _, f)
                             in store.org_states(snap.id).items() if f}
        self._listed = store.repos_by_key(snap.id, self._claimed_keys())

    def _unclaimed(self) -> Iterator[HubRepo]:
        """Repos of the snapshot in the vendors' orgs that no release (of any origin) claims."""
        claimed, vendors = self._claimed_keys(), self.catalog.vendors
        store, snap = self._hub()
        return (r for r in store.repos(snap.id)
                if r.repo_id.lower() not in claimed and r.vendor in vendors)

    def _group_memos(self):
        from qwen_tui.discovered import memo_paths

        store, snap = self._hub()
        return memo_paths(store.path.parent, store.path, snap, self._claimed_keys())

    def discovered_entries(self, vendor: str | None = None) -> list[Entry]:
        """Hub repos in the vendors' orgs that no release claims, grouped into candidate
        releases by name (one row per group; see grouping.py), newest first."""
        if not self._evidence_ready():
            return []
        store, snap = self._hub()
        sid = snap.id

        def read() -> list[Entry]:
            from qwen_tui.discovered import group_entry, groups

            found = groups(self._group_memos(), self._unclaimed)
            claimed = self._claimed_keys()
            repos = {r.repo_id.lower(): r for r in store.repos(sid, vendor=vendor)
                     if r.repo_id.lower() not in claimed}
            return [group_entry(g, v, repos) for v, gs in found.items() if vendor in (None, v) for g in gs]

        # 100k repos become ~500k long-lived objects: build them without the cyclic GC walking
        # them again and again, then freeze them so later collections skip them (gcpause.py).
        with gc_paused(freeze=True):
            out = self._guard(read, [])
            out.sort(key=lambda e: (e.date.sort_key if e.date else (0, 0, 0), e.id), reverse=True)
        return out

    def discovered_counts(self) -> dict[str, int]:
        """Discovered groups per vendor (from a small memo once `refresh` has grouped them)."""
        if not self._evidence_ready():
            return {}
        from qwen_tui.discovered import counts

        return self._guard(lambda: counts(self._group_memos(), self._unclaimed), {})

    def entries(self, *, vendor: str | None = None, statuses: set[Status] | None = None,
                since: PartialDate | None = None) -> list[Entry]:
        """Entries filtered by vendor, status and month; discovered ones only when asked for."""
        out: list[Entry] = list(self.catalog_entries(vendor))
        if statuses and Status.DISCOVERED in statuses:
            out += self.discovered_entries(vendor)
        if statuses:
            out = [e for e in out if e.status in statuses]
        if since is not None:
            lo = (since.year, since.month)
            out = [e for e in out if e.date and (e.date.year, e.date.month) >= lo]
        out.sort(key=lambda e: (e.date.sort_key if e.date else (0, 0, 0), e.vendor, e.id), reverse=True)
        return out

    def vendor_summaries(self) -> list[VendorSummary]:
        """Each vendor with its counts per status, in catalog order of name: releases of every
        origin (catalog, models.dev) and discovered groups (hub)."""
        discovered_counts = self.discovered_counts()
        out = []
        for vendor in sorted(self.catalog.vendors.values(), key=lambda v: v.name.lower()):
            counts: dict[Status, int] = {}
            for e in self.catalog_entries(vendor.id):
                counts[e.status] = counts.get(e.status, 0) + 1
            if discovered_counts.get(vendor.id):
                counts[Status.DISCOVERED] = discovered_counts[vendor.id]
            out.append(VendorSummary(vendor, counts))
        return out


@contextmanager
def _long_lived() -> Iterator[None]:
    """Make many long-lived objects with the cyclic GC paused, then freeze them (gcpause.py),
    first freeing the cycles made meanwhile: an exception caught while reading a damaged cache
    holds, through its frames, the cache's connection, which frozen would stay open for good.
    Only that youngest generation is walked. When the GC is off already, the caller (the
    explorer, for its whole start-up) collects and freezes itself: a walk here would cover
    everything made since it turned the GC off (~20 ms)."""
    import gc

    if not gc.isenabled():
        yield
        return
    with gc_paused(freeze=True):
        yield
        gc.collect(0)


def seconds_since(stamp: str, now: float | None = None) -> int | None:
    """Seconds from a UTC stamp like 2026-05-01T08:00:12Z to `now` (default: the clock); None if
    the stamp does not parse. Read as UTC whatever the local zone or DST. (Not time.strptime:
    its first call imports and compiles ~3 ms of locale-aware parsing before the first frame.)"""
    import datetime as dt
    import re

    m = re.fullmatch(r"(\d{4})-(\d\d?)-(\d\d?)T(\d\d?):(\d\d?):(\d\d?)Z", stamp)
    if m is None:
        return None
    y, mo, d, h, mi, sec = map(int, m.groups())
    try:
        t = dt.datetime(y, mo, d, h, mi, sec, tzinfo=dt.UTC).timestamp()
    except ValueError:  # no such day or time
        return None
    return max(0, int((now if now is not None else time.time()) - t))


def human_age(secs: int) -> str:
    if secs < 90:
        return f"{secs} s"
    if secs < 90 * 60:
        return f"{secs // 60} min"
    if secs < 36 * 3600:
        return f"{secs // 3600} h"
    return f"{secs // 86400} d"
