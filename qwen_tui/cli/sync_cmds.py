"""`refresh`, `diff` and `paths`: the Hub cache (see docs/sync.md)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from qwen_tui.cli import add_common_options
from qwen_tui.cli.living_cmds import add_source_option
from qwen_tui.errors import CacheError
from qwen_tui.present.wording import network_reason, refresh_failure
from qwen_tui.text import clean

if TYPE_CHECKING:
    from qwen_tui.evidence import Snapshot
    from qwen_tui.sync import Progress, RefreshReport, SyncSettings


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("refresh", help="fetch Hub facts and models.dev's model list into the cache",
                       description="List every Hub org of the vendors (all pages) and ask model_info "
                                   "for each catalogued repo; save it all as one new snapshot. A vendor "
                                   "that fails keeps its previous data. Beside it, fetch models.dev's "
                                   "models.json (ETag-revalidated) as a dated snapshot; a failure of "
                                   "one source never stops the other. Exit 1 if anything failed.")
    add_source_option(p)
    p.add_argument("--vendor", metavar="V", action="append", default=[],
                   help="only this vendor (repeatable; default: every vendor with Hub orgs)")
    p.add_argument("--endpoint", metavar="URL", help="Hub endpoint (default: $HF_ENDPOINT or https://huggingface.co)")
    p.add_argument("--workers", metavar="N", type=int, help="requests at once (default 24)")
    p.add_argument("--timeout", metavar="SECONDS", type=float,
                   help="the whole refresh's time budget; what is not fetched by then fails and the "
                        "rest is saved (default 45)")
    add_common_options(p)
    p.set_defaults(handler=cmd_refresh)

    p = sub.add_parser("diff", help="what changed on the Hub between two snapshots",
                       description="Repos added and removed, gated on/off, license changes and large "
                                   "download moves, from an older snapshot to the newest one.")
    p.add_argument("--since", metavar="SNAPSHOT|DATE",
                   help="compare with this snapshot id, or the newest snapshot taken at or before "
                        "this date (YYYY-MM-DD: its start; or YYYY-MM-DDTHH:MM, UTC); default: the "
                        "snapshot before the newest")
    p.add_argument("--json", action="store_true", help="one JSON object")
    add_common_options(p)
    p.set_defaults(handler=cmd_diff)

    p = sub.add_parser("paths", help="every path qwen-tui reads or writes")
    add_common_options(p)
    p.set_defaults(handler=cmd_paths)


def cmd_refresh(args: argparse.Namespace) -> int:
    from qwen_tui.cli.common import load_dataset
    from qwen_tui.hub.client import endpoint_host
    from qwen_tui.paths import default_paths
    from qwen_tui.store import Store
    from qwen_tui.sync import OFFLINE_REFRESH_MESSAGE, OfflineError, SyncSettings, offline_mode, refresh

    if offline_mode():
        # Before touching catalog, cache or network: nothing to do offline.
        raise OfflineError(OFFLINE_REFRESH_MESSAGE)
    from qwen_tui.cli import living_cmds

    sources = living_cmds.chosen_sources(args)
    settings = _settings(args, SyncSettings())
    catalog = load_dataset(argparse.Namespace(catalog=args.catalog, no_cache=True)).catalog
    with Store.open(default_paths().cache_db) as store, progress_bar() as on_progress:
        before = store.latest()  # what stays on screen if this refresh gets nothing

        def hub() -> RefreshReport:
            return refresh(catalog, store, vendors=args.vendor or None, endpoint=args.endpoint,
                           progress=on_progress, settings=settings)

        report, hub_error, models_dev = living_cmds.run_sources(store, catalog, sources, hub, args.vendor)
    if store.warning:  # a damaged cache moved aside, repos the snapshot could not keep
        print(f"qwen-tui: warning: {store.warning}", file=sys.stderr)
    if report is not None:
        _print_report(report, endpoint_host(args.endpoint), before)
    return living_cmds.finish_refresh(args, report, hub_error, models_dev)


@contextmanager
def progress_bar() -> Iterator[Callable[[Progress], None] | None]:
    """A rich progress bar on stderr while the block runs, when stderr is a terminal.

    Yields the callback to hand to `refresh` (None without a terminal: nothing is drawn).
    """
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(TextColumn("[bold]refresh"), BarColumn(), MofNCompleteColumn(),
              TextColumn("orgs · {task.fields[repos]:,} repos · {task.fields[current]}", markup=False),
              TimeElapsedColumn(), console=Console(stderr=True), transient=True)
    task = bar.add_task("refresh", total=None, repos=0, current="")

    def update(p: Progress) -> None:
        # Called from worker threads; rich's Progress locks internally.
        bar.update(task, completed=p.orgs_done, total=p.orgs_total, repos=p.repos_seen,
                   current=clean(p.current, 60))

    with bar:
        yield update


def _settings(args: argparse.Namespace, settings: SyncSettings) -> SyncSettings:
    from dataclasses import replace
    from math import isfinite

    from qwen_tui.errors import UsageError

    if args.workers is not None:
        if args.workers < 1:
            raise UsageError("--workers: must be at least 1")
        settings = replace(settings, workers=args.workers)
    if args.timeout is not None:
        if not (isfinite(args.timeout) and 1 <= args.timeout <= 3600):
            raise UsageError(f"--timeout: {args.timeout!r} is not a number of seconds from 1 to 3600")
        # One answer may not take longer than the whole budget.
        settings = replace(settings, deadline=args.timeout,
                           read_timeout=min(settings.read_timeout, args.timeout),
                           request_deadline=min(settings.request_deadline, args.timeout))
    return settings


def _print_report(report: RefreshReport, host: str, before: Snapshot | None) -> None:
    reasons = {network_reason(why) for why in report.failed.values()}
    if report.failed and not report.ok and len(reasons) == 1 and None not in reasons:
        # Every vendor failed the same way (a dead or refusing Hub): one line says what failed,
        # where, why and what is shown instead; the per-vendor detail is in the log.
        print(refresh_failure(host, reasons.pop() or "", before))
        return
    total = len(report.ok) + len(report.failed)
    snap = f"snapshot {report.snapshot.id}" if report.snapshot else "nothing saved"
    print(f"refreshed {len(report.ok)} of {total} vendors in {report.elapsed:.1f} s · {snap} · "
          f"{report.repos_seen:,} repos seen, {report.new:,} new, {report.changed:,} changed · "
          f"{report.requests:,} Hub requests")
    if report.checks_asked or report.checks_carried or report.checks_deferred:
        later = (f", {report.checks_deferred:,} left for a later refresh (hourly allowance)"
                 if report.checks_deferred else "")
        print(f"  model_info: {report.checks_asked:,} asked, {report.checks_carried:,} answers kept from "
              f"earlier refreshes{later}")
    if report.invalid_ids:
        print(f"  dropped: {report.invalid_ids:,} listed repos with an id the Hub could not have")
    if report.ok:
        print(f"  ok: {', '.join(report.ok)}")
    for vendor, why in sorted(report.failed.items()):
        print(f"  failed: {vendor}: {clean(why, 300)}")


def cmd_diff(args: argparse.Namespace) -> int:
    import sqlite3

    from qwen_tui.cachefile import busy, is_busy, why
    from qwen_tui.cli import living_cmds
    from qwen_tui.diff import diff_snapshots, resolve_base
    from qwen_tui.paths import default_paths
    from qwen_tui.query import human_age, seconds_since
    from qwen_tui.store import Store

    path = default_paths().cache_db
    store = Store.open_readonly(path)  # CacheError: one line, exit 1
    if store is None:
        raise CacheError(f"no cache yet at {path}; run `qwen-tui refresh` first")
    with store:
        try:
            base = resolve_base(store, args.since)
            changes = diff_snapshots(store, base.old.id, base.new.id) if base.old and base.new else []
            models_dev = living_cmds.diff_json(store.conn)
            repos = {s.id: sum(store.repo_counts(s.id).values()) for s in (base.old, base.new) if s}
        except sqlite3.DatabaseError as exc:  # damage met while reading (start-up checks only the header)
            raise (busy(path) if is_busy(exc) else
                   CacheError(f"cache {path} is unusable (corrupt: {why(exc)}); run `qwen-tui refresh` "
                              "to move it aside")) from None
    old, new = base.old, base.new
    if old is None or new is None:
        if args.json:
            json.dump({"from": None, "to": _snap_dict(new, repos) if new else None, "changes": [],
                       "note": base.note, "models_dev": models_dev}, sys.stdout, indent=1)
            sys.stdout.write("\n")
        else:
            print(base.note)
            living_cmds.print_diff(models_dev)
        return 0
    if args.json:
        doc = {"from": _snap_dict(old, repos), "to": _snap_dict(new, repos),
               "changes": [{"kind": c.kind, "vendor": c.vendor, "repo_id": c.repo_id,
                            "before": c.before, "after": c.after} for c in changes]}
        if base.note:
            doc["note"] = base.note
        doc["models_dev"] = models_dev
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    print(f"changes from snapshot {old.id} ({old.finished_at}) to snapshot {new.id} ({new.finished_at}, "
          f"{human_age(seconds_since(new.finished_at) or 0)} old): {len(changes)}")
    if base.note:
        print(f"  ({base.note})")
    width = max((len(c.kind) for c in changes), default=0)
    for c in changes:
        arrow = f"{c.before} -> {c.after}" if c.before and c.after else (c.after or c.before)
        print(f"  {c.kind:<{width}}  {c.vendor}  {clean(c.repo_id, 200)}  {clean(arrow, 200)}")
    living_cmds.print_diff(models_dev)
    return 0


def _snap_dict(s, repos: dict[int, int]) -> dict:
    from qwen_tui.hub.redact import public_url

    # public_url again: a snapshot written before endpoints were stored without credentials.
    return {"id": s.id, "started_at": s.started_at, "finished_at": s.finished_at, "endpoint": public_url(s.endpoint),
            "repos": repos[s.id], "failed_orgs": [o.org for o in s.failed]}


def cmd_paths(args: argparse.Namespace) -> int:
    from qwen_tui.catalog.loader import BUNDLED_DIR
    from qwen_tui.cli import living_cmds
    from qwen_tui.paths import default_paths

    p = default_paths()
    for name, path in [
        ("cache dir", p.cache_dir), ("cache db", p.cache_db), ("log", p.log_file),
        ("config dir", p.config_dir), ("config file", p.config_file),
        ("user catalog", p.user_catalog_dir), ("bundled catalog", BUNDLED_DIR),
        *living_cmds.paths_lines(p.cache_db),
    ]:
        print(f"{name:16} {path}")
    return 0
