"""The models.dev source's part of `refresh`, `diff` and `paths` (see docs/living-catalog.md).

Kept apart from sync_cmds (the Hub's) so that each source's wording lives in one place; sync_cmds
calls these few functions.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qwen_tui.errors import UsageError
from qwen_tui.text import clean

SOURCES = ("hub", "models.dev")


def add_source_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="S", action="append", choices=SOURCES, default=[],
                   help="only this source: hub or models.dev (repeatable; default: both)")


def chosen_sources(args: argparse.Namespace) -> set[str]:
    sources = set(args.source or SOURCES)
    if "hub" not in sources and (args.vendor or args.endpoint or args.workers is not None
                                 or getattr(args, "timeout", None) is not None):
        raise UsageError("--vendor, --endpoint, --workers and --timeout apply to the Hub; add --source hub")
    return sources


def paths_lines(cache_db: Path) -> list[tuple[str, str]]:
    """('models.dev url', ...) and ('models.dev data', where the shown entries come from)."""
    from qwen_tui.errors import CacheError
    from qwen_tui.modelsdev import snapshot
    from qwen_tui.modelsdev.bundled import BUNDLE_PATH, load_bundled
    from qwen_tui.modelsdev.fetch import models_dev_url
    from qwen_tui.modelsdev.releases import utc_day

    snap = None
    try:
        from qwen_tui.store import Store

        store = Store.open_readonly(cache_db)
        if store is not None:
            with store:
                snap = snapshot.latest(store.conn)
    except (CacheError, OSError, Exception):  # noqa: BLE001 - `paths` never fails for a bad cache
        snap = None
    if snap is not None:
        data = (f"snapshot {snap.id} in the cache db: fetched {snap.fetched_at}, checked {snap.checked_at}, "
                f"{snap.kept:,} entries")
    else:
        try:
            b = load_bundled()
            data = f"{BUNDLE_PATH} (bundled: {b.repository} {b.commit[:7]}, {utc_day(b.date)})"
        except (OSError, ValueError):
            data = f"{BUNDLE_PATH} (bundled copy unreadable)"
    return [("models.dev url", clean(models_dev_url(), 300)), ("models.dev data", data)]


def diff_json(conn) -> dict:
    """models.dev's part of `diff --json` (read inside the caller's guard against a damaged cache)."""
    from qwen_tui.modelsdev.changes import as_json, diff_models_dev

    return as_json(diff_models_dev(conn))


def print_diff(doc: dict) -> None:
    """models.dev's part of `diff`, after the Hub's."""
    note = doc.get("note")
    if note:
        print(clean(note, 600))
        return
    old, new, changes = doc["from"], doc["to"], doc["changes"]
    print(f"models.dev: changes from snapshot {old['id']} ({old['fetched_at']}) to snapshot {new['id']} "
          f"({new['fetched_at']}): {len(changes)}")
    width = max((len(c["kind"]) for c in changes), default=0)
    for c in changes:
        tail = "; ".join(c["fields"]) if c["fields"] else c["name"]
        print(f"  {c['kind']:<{width}}  {clean(c['key'], 200)}  {clean(tail, 400)}")


def run_sources(store, catalog, sources: set[str], hub, vendors: list[str]):
    """(Hub report or None, what the Hub part raised or None, models.dev report or None)."""
    if "models.dev" not in sources:
        return hub(), None, None
    from qwen_tui.modelsdev.refresh import beside

    if "hub" in sources and vendors:
        from qwen_tui.sync import plan_orgs  # the Hub's own --vendor check: a usage error fetches nothing

        plan_orgs(catalog, vendors)

    return beside(store, catalog, hub if "hub" in sources else None)


def finish_refresh(args: argparse.Namespace, report, hub_error, models_dev) -> int:
    """Print models.dev's line, group the discovered repos once (so start-up reads them from a
    memo), re-raise a Hub error (its one line and exit status), and return the exit status."""
    if models_dev is not None:
        print(models_dev.line())
    if hub_error is not None:
        raise hub_error
    try:
        from qwen_tui.paths import default_paths
        from qwen_tui.query import Dataset

        ds = Dataset.load(default_paths(), args.catalog)
        ds.discovered_counts()
        if ds.store is not None:
            ds.store.close()
    except Exception:  # noqa: BLE001 - only a shortcut for the next start; never the refresh's failure
        pass
    failed = (report is not None and report.failed) or (models_dev is not None and models_dev.failed)
    return 1 if failed else 0
