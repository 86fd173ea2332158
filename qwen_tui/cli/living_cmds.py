"""The models.dev source's part of `refresh`, `diff` and `paths` (see docs/living-catalog.md).

Kept apart from sync_cmds (the Hub's) so that each source's wording lives in one place; sync_cmds
calls these few functions.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qwen_tui.errors import UsageError
from qwen_tui.text import clean

SOURCES = ("hub", "models.dev")


def add_source_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", metavar="S", action="append", choices=SOURCES, default=[],
                   help="only this source: hub or models.dev (repeatable; default: both)")


def chosen_sources(args: argparse.Namespace) -> set[str]:
    sources = set(args.source or SOURCES)
    if "hub" not in sources and (args.vendor or args.endpoint or args.workers is not None):
        raise UsageError("--vendor, --endpoint and --workers apply to the Hub; add --source hub")
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


def diff_json(conn) -> dict:  # noqa: ANN001 - sqlite3.Connection
    from qwen_tui.modelsdev.changes import as_json, diff_models_dev

    return as_json(diff_models_dev(conn))


def print_diff(conn) -> None:  # noqa: ANN001 - sqlite3.Connection
    from qwen_tui.modelsdev.changes import as_lines, diff_models_dev

    for line in as_lines(diff_models_dev(conn)):
        print(clean(line, 600))


def print_json(doc: dict) -> None:
    json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
