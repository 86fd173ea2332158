"""`refresh`: fetch every vendor's Hub orgs (and model_info for catalogued repos) into a snapshot.

Work runs on a bounded thread pool (`sync_run.RefreshRun`): one task per org listing, then model_info for the
catalogued repos that need asking (`sync_checks`: changed, vanished or old; the others keep their
previous answer). A vendor whose fetch fails keeps its previous data (the store carries it over)
and never stops the others. The whole refresh has a deadline (`SyncSettings.deadline`): what is not
fetched by then fails, naming the host, and the rest is saved. Everything fetched is written as
one snapshot in one transaction at the end, so an interrupted refresh leaves the previous one intact.

Importing this module is cheap; huggingface_hub is imported when a refresh actually runs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from qwen_tui.errors import QwenTuiError, UsageError
from qwen_tui.evidence import OrgResult, Snapshot
from qwen_tui.gcpause import gc_paused
from qwen_tui.hub.redact import public_url, redact
from qwen_tui.hub.settings import OFFLINE_REFRESH_MESSAGE, SyncSettings, offline_mode
from qwen_tui.model import Catalog
from qwen_tui.store import Store, now_iso
from qwen_tui.sync_run import Progress, RefreshRun
from qwen_tui.text import clean

__all__ = [
    "OFFLINE_REFRESH_MESSAGE", "OfflineError", "Progress", "RefreshReport", "SyncSettings", "offline_mode", "refresh",
]


class OfflineError(QwenTuiError):
    """Refresh asked for while offline mode is on."""


@dataclass(frozen=True)
class RefreshReport:
    snapshot: Snapshot | None  # None when nothing could be written
    ok: tuple[str, ...]  # vendor ids fully fetched
    failed: dict[str, str]  # vendor id -> one-line reason (no token in it)
    repos_seen: int
    new: int
    changed: int
    elapsed: float
    requests: int = 0  # HTTP requests sent to the Hub, retries included
    invalid_ids: int = 0  # listed repos dropped: an id huggingface_hub's validation rejects
    checks_asked: int = 0  # model_info calls planned
    checks_carried: int = 0  # catalogued repos whose previous model_info answer was kept
    checks_deferred: int = 0  # routine model_info calls left for later (the hourly allowance)


def refresh(catalog: Catalog, store: Store, *, vendors: list[str] | None = None,
            endpoint: str | None = None, token: str | None = None,
            progress: Callable[[Progress], None] | None = None,
            settings: SyncSettings | None = None) -> RefreshReport:
    """Fetch the Hub evidence of `vendors` (default: all with Hub orgs) into a new snapshot."""
    if offline_mode():
        raise OfflineError(OFFLINE_REFRESH_MESSAGE)
    settings = settings or SyncSettings()
    plan = plan_orgs(catalog, vendors)
    token = token or os.environ.get("HF_TOKEN") or None
    t0 = time.monotonic()
    started = now_iso()

    from qwen_tui.hub.client import HubSession, resolve_endpoint

    endpoint = resolve_endpoint(endpoint)
    cancel = threading.Event()
    with gc_paused():  # decoding tens of thousands of repos: see gcpause.py
        session = HubSession(endpoint, token, settings, cancel)
        try:
            run = RefreshRun(session, plan, catalog, settings, progress, started, cancel, store)
            run.execute(deadline=t0 + settings.deadline)
        finally:
            session.close()
        report = _save(run, store, catalog, plan, endpoint, session.secrets, started, t0)
    _log(report, endpoint, session.secrets)
    return report


def _save(run: RefreshRun, store: Store, catalog: Catalog, plan: dict[str, tuple[str, ...]], endpoint: str,
          secrets: tuple[str, ...], started: str, t0: float) -> RefreshReport:
    """Write what the run fetched as one snapshot (if any vendor was fetched) and report on it."""
    prev = store.latest()
    results = [OrgResult(vendor=v, org=o, ok=(v not in run.list_failed), repos=len(run.repos.get(o, [])),
                         error=redact(run.list_failed.get(v, ""), secrets), fetched_at=started)
               for v, orgs in plan.items() for o in orgs]
    repos = run.merged_repos()
    all_orgs = [(v.id, o) for v in catalog.vendors.values() for o in _dedup_orgs(catalog).get(v.id, ())]
    snap: Snapshot | None = None
    new = changed = 0
    if any(r.ok for r in results):
        # The endpoint without user:password@: the cache, the log and `diff --json` show it.
        snap = store.write_snapshot(started_at=started, endpoint=public_url(endpoint), results=results,
                                    repos=repos, checks=run.kept_checks(), all_orgs=all_orgs)
        if prev is not None:
            from qwen_tui.diff import diff_snapshots

            changes = diff_snapshots(store, prev.id, snap.id)
            new = sum(1 for c in changes if c.kind == "added")
            changed = len({c.repo_id.lower() for c in changes if c.kind not in ("added", "removed")})
        else:
            new = len(repos)  # the first snapshot: everything is new
    failed = {v: redact(run.failed[v], secrets) for v in plan if v in run.failed}
    return RefreshReport(
        snapshot=snap, ok=tuple(v for v in plan if v not in failed), failed=failed,
        repos_seen=run.repos_seen, new=new, changed=changed, elapsed=time.monotonic() - t0,
        requests=run.session.requests_made, invalid_ids=run.invalid_ids,
        checks_asked=run.checks_asked, checks_carried=run.checks_carried,
        checks_deferred=run.checks_deferred)


def _dedup_orgs(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """vendor -> its Hub orgs; an org claimed by two vendors belongs to the first (by id)."""
    seen: set[str] = set()
    out: dict[str, tuple[str, ...]] = {}
    for vid in sorted(catalog.vendors):
        orgs = []
        for org in catalog.vendors[vid].hub_orgs:
            if org.lower() not in seen:
                seen.add(org.lower())
                orgs.append(org)
        out[vid] = tuple(orgs)
    return out


def plan_orgs(catalog: Catalog, vendors: list[str] | None) -> dict[str, tuple[str, ...]]:
    orgs = _dedup_orgs(catalog)
    if not vendors:
        return {v: o for v, o in orgs.items() if o}
    plan: dict[str, tuple[str, ...]] = {}
    for name in vendors:
        vid = name.lower()
        if vid not in catalog.vendors:
            raise UsageError(f"--vendor: unknown vendor {name!r} (choose from: {', '.join(sorted(catalog.vendors))})")
        if not orgs.get(vid):
            raise UsageError(f"--vendor: {vid} has no Hub orgs to refresh (cloud-only vendor)")
        plan[vid] = orgs[vid]
    return plan


def _log(report: RefreshReport, endpoint: str, secrets: tuple[str, ...]) -> None:
    """One line per refresh in the log file. Never fails the refresh; never holds a secret."""
    from qwen_tui.paths import default_paths

    failed = "; ".join(f"{v}: {why}" for v, why in sorted(report.failed.items())) or "-"
    line = (f"{now_iso()} refresh endpoint={public_url(endpoint)} "
            f"snapshot={report.snapshot.id if report.snapshot else '-'} "
            f"ok={','.join(report.ok) or '-'} failed={failed} repos={report.repos_seen} "
            f"new={report.new} changed={report.changed} requests={report.requests} "
            f"invalid_ids={report.invalid_ids} elapsed={report.elapsed:.1f}s")
    line = clean(redact(line, secrets), 4000)  # redact first: a cut secret could not be found
    try:
        path = default_paths().log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError:
        pass
