"""The releases the views show: the catalog merged with models.dev, memoised.

The entries come from the newest models.dev snapshot in the cache, else from the dated copy
bundled in the package, so a first start with no network already shows them. Parsing and merging
~200 entries costs ~10 ms, but 5,000 cost 200-500 ms, more than `list --json`'s whole budget: the
merged releases are memoised as JSON beside the catalog's memo (never a pickle: see
catalog/memo.py), keyed by the catalog's memo key, the source (the snapshot's content digest, or
the bundle's commit, size and mtime) and the code that parses and merges. `parse` and `merge` are
imported only on a miss.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from qwen_tui.catalog.memo import read_memo, write_memo
from qwen_tui.model import Catalog, License, Release, Vendor

if TYPE_CHECKING:  # (the explorer's first frame reads TrackerSource and inputs_key, no cache)
    import sqlite3

MEMO_GLOB = "merged-*.json"


@dataclass(frozen=True)
class TrackerSource:
    """Where the models.dev facts on screen come from."""

    kind: str  # "snapshot" (fetched, in the cache) | "bundled" | "none" (bundle unreadable)
    date: str = ""  # the snapshot's fetched_at, or the bundled copy's commit date
    checked_at: str = ""  # the snapshot's last confirmation by the source (304)
    url: str = ""  # where the snapshot was fetched from
    commit: str = ""  # the bundled copy's models.dev commit
    snapshot_id: int | None = None

    def describe(self) -> str:
        """'models.dev snapshot of 2026-12-01T10:00:00Z' / 'bundled models.dev (f3fc692, 2026-07-02)'."""
        if self.kind == "snapshot":
            return f"models.dev snapshot of {self.date}"
        if self.kind == "bundled":
            return f"bundled models.dev ({self.commit[:7]}, {utc_day(self.date)})"
        return "no models.dev data"


def utc_day(stamp: str) -> str:
    """The UTC day of an ISO 8601 time ("2026-07-02T00:40:28+08:00" -> "2026-07-01")."""
    import datetime as dt

    try:
        t = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp[:10]
    return (t.astimezone(dt.UTC) if t.tzinfo else t).date().isoformat()


def lab_vendors(catalog: Catalog) -> dict[str, str]:
    """models.dev lab -> vendor id, from the vendors' `models_dev_labs`."""
    return {lab: v.id for v in catalog.vendors.values() for lab in v.models_dev_labs}


def living_catalog(catalog_dirs: list[Path], conn: sqlite3.Connection | None,
                   memo_dir: Path) -> tuple[Catalog, TrackerSource, str]:
    """(the catalog with releases of every origin, newest first; where the models.dev part comes
    from; a warning). The memo holds the vendors and licenses too, so a hit decodes one memo,
    not the catalog's and then this one (the catalog's releases are in it already)."""
    from qwen_tui.catalog.memo import catalog_key, load_catalog_keyed

    snap, source, token, problem = _source(conn)
    key = catalog_key(catalog_dirs, memo_dir=memo_dir) if not problem else ""
    memo = _memo_path(memo_dir, key, token) if key else None
    if memo is not None:
        cached = read_memo(memo, tuple[TrackerSource, dict[str, Vendor], dict[str, License], tuple[Release, ...]])
        if cached is not None:  # a snapshot's own row is fresher (a 304 moves its checked_at)
            return Catalog(cached[1], cached[3], cached[2]), source or cached[0], ""
    catalog, key = load_catalog_keyed(catalog_dirs, memo_dir=memo_dir)
    if problem:
        return catalog, TrackerSource("none"), problem
    releases, source, warning = _merge(catalog, conn, snap, source)
    memo = _memo_path(memo_dir, key, token) if key else None
    if memo is not None and not warning:
        write_memo(memo, (source, catalog.vendors, catalog.licenses, releases), MEMO_GLOB)
    return replace(catalog, releases=releases), source, warning


def inputs_key() -> str:
    """What the merged releases depend on besides the catalog and the cache file's content: the
    bundled copy (its size and mtime) and the code that parses and merges ("" if unreadable)."""
    from qwen_tui.modelsdev.bundled import BUNDLE_PATH

    try:
        st = BUNDLE_PATH.stat()
    except OSError:
        return ""
    memo = _memo_path(Path(), "-", f"bundle:{st.st_size}:{st.st_mtime_ns}")
    return memo.stem if memo is not None else ""


def _source(conn: sqlite3.Connection | None):  # -> (snap, TrackerSource | None, token, problem)
    """The newest snapshot (None: the bundled copy is used), its TrackerSource, the token that
    names its content, and a problem ("" if none) when not even the bundled copy can be read."""
    snap = None
    if conn is not None:
        import sqlite3

        from qwen_tui.modelsdev import snapshot

        try:
            snap = snapshot.latest(conn)
        except sqlite3.DatabaseError:
            snap = None  # the Dataset meets the damage itself and says so
    if snap is not None:
        source = TrackerSource("snapshot", snap.fetched_at, snap.checked_at, snap.url, snapshot_id=snap.id)
        return snap, source, f"snapshot:{snap.digest}", ""
    from qwen_tui.modelsdev.bundled import BUNDLE_PATH

    try:
        st = BUNDLE_PATH.stat()
    except OSError as exc:
        return None, None, "", f"bundled models.dev copy unreadable: {exc.strerror}"
    return None, None, f"bundle:{st.st_size}:{st.st_mtime_ns}", ""


def _merge(catalog: Catalog, conn, snap, source):
    from qwen_tui.modelsdev.bundled import load_bundled
    from qwen_tui.modelsdev.merge import merge
    from qwen_tui.modelsdev.parse import ModelsDevError

    labs = lab_vendors(catalog)
    warning = ""
    parsed = None
    if snap is not None:
        import sqlite3

        from qwen_tui.modelsdev import snapshot

        try:
            parsed = snapshot.entries_of(conn, snap.id, labs)
        except (ModelsDevError, sqlite3.DatabaseError) as exc:
            warning = f"models.dev snapshot {snap.id} in the cache is unusable ({exc}); using the bundled copy"
    if parsed is None:
        try:
            bundle = load_bundled(labs)
        except (OSError, ValueError) as exc:  # ModelsDevError is a ValueError
            return catalog.releases, TrackerSource("none"), f"bundled models.dev copy unusable: {exc}"
        parsed = bundle.parsed
        source = TrackerSource("bundled", bundle.date, commit=bundle.commit)
    merged = merge(catalog.releases, parsed.entries, labs, licenses=catalog.licenses)
    releases = tuple(sorted(merged.releases, key=lambda r: r.date.sort_key, reverse=True))
    return releases, source, warning


def _memo_path(memo_dir: Path, catalog_key: str, token: str) -> Path | None:
    h = hashlib.sha256(f"{catalog_key}\n{token}\n".encode())
    try:
        here = Path(__file__).parent
        for name in ("merge.py", "names.py", "parse.py", "snapshot.py", "releases.py", "bundled.py"):
            h.update(f"{(here / name).stat().st_mtime_ns}\n".encode())
    except OSError:
        return None
    return Path(memo_dir) / f"merged-{h.hexdigest()[:24]}.json"
