"""`refresh`: fetch every vendor's Hub orgs (and model_info for catalogued repos) into a snapshot.

Work runs on a bounded thread pool: one task per org listing, and once all of a vendor's orgs are
listed, one task per catalogued repo of that vendor. A vendor whose fetch fails keeps its previous
data (the store carries it over) and never stops the others. Everything fetched is written as one
snapshot in one transaction at the end, so an interrupted refresh leaves the previous one intact.

Importing this module is cheap; huggingface_hub is imported when a refresh actually runs.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace

from qwen_tui.errors import QwenTuiError, UsageError
from qwen_tui.evidence import HubRepo, OrgResult, RepoCheck, Snapshot
from qwen_tui.gcpause import gc_paused
from qwen_tui.hub.settings import OFFLINE_REFRESH_MESSAGE, SyncSettings, offline_mode
from qwen_tui.model import Catalog, Status
from qwen_tui.store import Store, now_iso
from qwen_tui.text import clean

__all__ = ["OFFLINE_REFRESH_MESSAGE", "OfflineError", "Progress", "RefreshReport", "SyncSettings", "offline_mode", "refresh"]


class OfflineError(QwenTuiError):
    """Refresh asked for while offline mode is on."""


@dataclass(frozen=True)
class Progress:
    """Passed to the progress callback, from worker threads."""

    orgs_done: int
    orgs_total: int
    repos_seen: int
    current: str  # the org or repo being fetched


@dataclass(frozen=True)
class RefreshReport:
    snapshot: Snapshot | None  # None when nothing could be written
    ok: tuple[str, ...]  # vendor ids fully fetched
    failed: dict[str, str]  # vendor id -> one-line reason (no token in it)
    repos_seen: int
    new: int
    changed: int
    elapsed: float


def refresh(catalog: Catalog, store: Store, *, vendors: list[str] | None = None,
            endpoint: str | None = None, token: str | None = None,
            progress: Callable[[Progress], None] | None = None,
            settings: SyncSettings | None = None) -> RefreshReport:
    """Fetch the Hub evidence of `vendors` (default: all with Hub orgs) into a new snapshot."""
    if offline_mode():
        raise OfflineError(OFFLINE_REFRESH_MESSAGE)
    settings = settings or SyncSettings()
    plan = _plan(catalog, vendors)
    token = token or os.environ.get("HF_TOKEN") or None
    t0 = time.monotonic()
    started = now_iso()

    from qwen_tui.hub.client import HubSession, resolve_endpoint

    endpoint = resolve_endpoint(endpoint)
    cancel = threading.Event()
    with gc_paused():  # decoding tens of thousands of repos: see gcpause.py
        session = HubSession(endpoint, token, settings, cancel)
        try:
            run = _Run(session, plan, catalog, settings, progress, started, cancel)
            run.execute()
        finally:
            session.close()
        report = _save(run, store, catalog, plan, endpoint, token, started, t0)
    _log(report, endpoint, token)
    return report


def _save(run: _Run, store: Store, catalog: Catalog, plan: dict[str, tuple[str, ...]], endpoint: str,
          token: str | None, started: str, t0: float) -> RefreshReport:
    """Write what the run fetched as one snapshot (if any vendor was fetched) and report on it."""
    prev = store.latest()
    results = [OrgResult(vendor=v, org=o, ok=(v not in run.list_failed), repos=len(run.repos.get(o, [])),
                         error=_redact(run.list_failed.get(v, ""), token), fetched_at=started)
               for v, orgs in plan.items() for o in orgs]
    repos = run.merged_repos()
    all_orgs = [(v.id, o) for v in catalog.vendors.values() for o in _dedup_orgs(catalog).get(v.id, ())]
    snap: Snapshot | None = None
    new = changed = 0
    if any(r.ok for r in results):
        snap = store.write_snapshot(started_at=started, endpoint=endpoint, results=results, repos=repos,
                                    checks=run.kept_checks(), all_orgs=all_orgs)
        if prev is not None:
            from qwen_tui.diff import diff_snapshots

            changes = diff_snapshots(store, prev.id, snap.id)
            new = sum(1 for c in changes if c.kind == "added")
            changed = len({c.repo_id.lower() for c in changes if c.kind not in ("added", "removed")})
        else:
            new = len(repos)  # the first snapshot: everything is new
    failed = {v: _redact(run.failed[v], token) for v in plan if v in run.failed}
    report = RefreshReport(
        snapshot=snap, ok=tuple(v for v in plan if v not in failed), failed=failed,
        repos_seen=run.repos_seen, new=new, changed=changed, elapsed=time.monotonic() - t0)
    return report


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


def _plan(catalog: Catalog, vendors: list[str] | None) -> dict[str, tuple[str, ...]]:
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


class _Run:
    """The mutable state of one refresh, shared by the worker threads under one lock."""

    def __init__(self, session, plan: dict[str, tuple[str, ...]], catalog: Catalog,
                 settings: SyncSettings, progress: Callable[[Progress], None] | None, started: str,
                 cancel: threading.Event) -> None:
        self.session = session
        self.plan = plan
        self.catalog = catalog
        self.settings = settings
        self.progress = progress
        self.started = started
        self.lock = threading.Lock()
        self.cancel = cancel  # set on Ctrl-C: workers stop between pages and in backoff waits
        self.repos: dict[str, list[HubRepo]] = {}  # org -> its listing
        self.checks: list[tuple[str, RepoCheck]] = []  # (vendor, its model_info answer)
        self.list_failed: dict[str, str] = {}  # vendor -> why its listing failed
        self.failed: dict[str, str] = {}  # vendor -> why it is not fully fetched
        self.orgs_total = sum(len(o) for o in plan.values())
        self.orgs_done = 0
        self.repos_seen = 0
        self._partial: dict[str, int] = {}  # org -> repos seen so far while listing

    def execute(self) -> None:
        from qwen_tui.hub.fetch import Cancelled

        pool = ThreadPoolExecutor(max_workers=max(1, self.settings.workers), thread_name_prefix="qwen-tui-sync")
        futures: list[Future] = []
        try:
            # Listings first in the queue (they are the long chains of pages); model_info calls
            # fill the gaps. A check whose vendor's listing has failed by then is skipped.
            for vendor, orgs in self.plan.items():
                for org in orgs:
                    futures.append(pool.submit(self._list, vendor, org))
            if self.settings.check_repos:
                for vendor in self.plan:
                    for repo_id in self._catalogued(vendor):
                        futures.append(pool.submit(self._check, vendor, repo_id))
            for fut in futures:
                try:
                    fut.result()
                except Cancelled:
                    pass
        except BaseException:
            # Ctrl-C (or a bug): stop the workers between pages and drop what is queued.
            self.cancel.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)

    def _catalogued(self, vendor: str) -> list[str]:
        seen: dict[str, str] = {}
        for rel in self.catalog.releases_of(vendor):
            if rel.status is Status.CLOUD_ONLY:
                continue
            for repo_id in rel.hf_repos:
                seen.setdefault(repo_id.lower(), repo_id)
        return list(seen.values())

    def _report(self, current: str) -> None:
        if self.progress is None:
            return
        with self.lock:
            p = Progress(self.orgs_done, self.orgs_total, self.repos_seen + sum(self._partial.values()), current)
        try:
            self.progress(p)
        except Exception:  # noqa: BLE001 - a broken progress display must not break the refresh
            pass

    def _list(self, vendor: str, org: str) -> None:
        from qwen_tui.hub.fetch import FetchError, list_org

        self._report(org)

        def on_progress(n: int) -> None:
            with self.lock:
                self._partial[org] = n
            self._report(org)

        try:
            repos = list_org(self.session, org, vendor, self.started, on_progress=on_progress, cancel=self.cancel)
        except FetchError as exc:
            with self.lock:
                self.list_failed.setdefault(vendor, str(exc))
                self.failed.setdefault(vendor, str(exc))
                self._partial.pop(org, None)
                self.orgs_done += 1
            self._report(org)
            return
        with self.lock:
            self.repos[org] = repos
            self._partial.pop(org, None)
            self.repos_seen += len(repos)
            self.orgs_done += 1
        self._report(org)

    def _check(self, vendor: str, repo_id: str) -> None:
        from qwen_tui.hub.fetch import FetchError, check_repo

        with self.lock:
            if self.cancel.is_set() or vendor in self.list_failed:
                return  # the vendor keeps its previous data anyway; spare the Hub
        self._report(repo_id)
        try:
            check = check_repo(self.session, repo_id, self.started)
        except FetchError as exc:
            # The listing is still saved; the vendor is reported as not fully fetched, and the
            # previous snapshot's model_info answer for this repo is kept by the store.
            with self.lock:
                self.failed.setdefault(vendor, str(exc))
            return
        with self.lock:
            self.checks.append((vendor, check))

    def kept_checks(self) -> list[RepoCheck]:
        """model_info answers of vendors whose listing succeeded (a failed vendor keeps its old ones)."""
        return [c for v, c in self.checks if v not in self.list_failed]

    def merged_repos(self) -> list[HubRepo]:
        """Listings of the orgs that succeeded, with model_info's children and base models merged in."""
        by_key = {c.renamed_to.lower() if c.state == "renamed" else c.repo_id.lower(): c
                  for c in self.kept_checks() if c.state in ("found", "renamed")}
        out = []
        for vendor, orgs in self.plan.items():
            if vendor in self.list_failed:
                continue
            for org in orgs:
                for repo in self.repos.get(org, ()):
                    c = by_key.get(repo.repo_id.lower())
                    if c is not None:
                        repo = replace(repo, children=c.children,
                                       base_models=c.base_models if c.base_models is not None else repo.base_models)
                    out.append(repo)
        return out


def _redact(text: str, token: str | None) -> str:
    if token and token in text:
        text = text.replace(token, "***")
    return text


def _log(report: RefreshReport, endpoint: str, token: str | None) -> None:
    """One line per refresh in the log file. Never fails the refresh; never holds the token."""
    from qwen_tui.paths import default_paths

    failed = "; ".join(f"{v}: {why}" for v, why in sorted(report.failed.items())) or "-"
    line = (f"{now_iso()} refresh endpoint={clean(endpoint, 200)} "
            f"snapshot={report.snapshot.id if report.snapshot else '-'} "
            f"ok={','.join(report.ok) or '-'} failed={failed} repos={report.repos_seen} "
            f"new={report.new} changed={report.changed} elapsed={report.elapsed:.1f}s")
    line = _redact(clean(line, 4000), token)
    try:
        path = default_paths().log_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    except OSError:
        pass
