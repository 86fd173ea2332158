"""The fetching part of a refresh: listings, then each vendor's model_info calls, by a deadline.

`sync.refresh` builds a `RefreshRun`, calls `execute()`, and saves what it gathered. Workers run on a
bounded thread pool; a vendor's model_info calls are planned by `sync_checks` as soon as all its orgs
are listed. At the deadline, connections are cut and unfinished vendors fail naming the host.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from qwen_tui.evidence import HubRepo, RepoCheck
from qwen_tui.hub.redact import public_url
from qwen_tui.hub.settings import SyncSettings
from qwen_tui.model import Catalog, Status
from qwen_tui.store import Store
from qwen_tui.sync_checks import hourly_allowance, plan_checks


@dataclass(frozen=True)
class Progress:
    """Passed to the progress callback, from worker threads."""

    orgs_done: int
    orgs_total: int
    repos_seen: int
    current: str  # the org or repo being fetched



class RefreshRun:
    """The fetching part of one refresh: its worker threads and the state they share under one lock."""

    def __init__(self, session, plan: dict[str, tuple[str, ...]], catalog: Catalog,
                 settings: SyncSettings, progress: Callable[[Progress], None] | None, started: str,
                 cancel: threading.Event, store: Store) -> None:
        self.session = session
        self.plan = plan
        self.catalog = catalog
        self.settings = settings
        self.progress = progress
        self.started = started
        self.store = store
        self.lock = threading.Lock()
        self.cancel = cancel  # set on Ctrl-C or at the deadline: workers stop between pages
        self.repos: dict[str, list[HubRepo]] = {}  # org -> its listing
        self.checks: list[tuple[str, RepoCheck]] = []  # (vendor, its model_info answer)
        self.carried_checks: dict[str, RepoCheck] = {}  # previous answers kept, by lower-cased id
        self.previous_checks: dict[str, RepoCheck] = {}  # the previous snapshot's answers
        self.previous_repos: dict[str, HubRepo] = {}  # the previous snapshot's catalogued repos
        self.allowance = settings.checks_per_hour  # routine model_info calls left this hour
        self.futures: dict[Future, str] = {}  # task -> its vendor
        self.orgs_left = {v: len(orgs) for v, orgs in plan.items()}  # orgs not yet listed
        self.list_failed: dict[str, str] = {}  # vendor -> why its listing failed
        self.failed: dict[str, str] = {}  # vendor -> why it is not fully fetched
        self.orgs_total = sum(len(o) for o in plan.values())
        self.orgs_done = 0
        self.repos_seen = 0
        self.invalid_ids = 0
        self.checks_asked = 0
        self.checks_carried = 0
        self.checks_deferred = 0
        self._partial: dict[str, int] = {}  # org -> repos seen so far while listing

    def execute(self, *, deadline: float) -> None:
        """Every listing; each vendor's model_info calls as soon as its orgs are listed (so a
        vendor whose orgs answer is done before another's stall gives the host up); all by the
        deadline."""
        self._load_previous()
        self.pool = ThreadPoolExecutor(max_workers=max(1, self.settings.workers),
                                       thread_name_prefix="qwen-tui-sync")
        try:
            for vendor, orgs in self.plan.items():
                for org in orgs:
                    self._submit(vendor, self._list, vendor, org)
            self._wait(deadline)
        except BaseException:
            # Ctrl-C (or a bug): stop the workers between pages and drop what is queued.
            self.cancel.set()
            self.pool.shutdown(wait=False, cancel_futures=True)
            raise
        self.pool.shutdown(wait=not self.cancel.is_set(), cancel_futures=True)

    def _submit(self, vendor: str, fn: Callable[..., None], *args: str) -> None:
        with self.lock:
            self.futures[self.pool.submit(fn, *args)] = vendor

    def _wait(self, deadline: float) -> None:
        """Wait for every task, new ones included, until the deadline. When it passes, the
        unfinished vendors fail naming the host, workers stop and open connections are closed."""
        from qwen_tui.hub.fetch import Cancelled

        while True:
            with self.lock:
                pending = [f for f in self.futures if not f.done()]
            if not pending:
                break
            done, _ = wait(pending, timeout=max(0.0, deadline - time.monotonic()), return_when="FIRST_COMPLETED")
            if not done and time.monotonic() >= deadline:
                self._deadline_passed(pending)
                return
        for fut in self.futures:
            with contextlib.suppress(Cancelled):
                fut.result()  # a bug in a worker surfaces here

    def _deadline_passed(self, pending: list[Future]) -> None:
        self.session.abort()  # a worker reading a dripping answer fails at once and stops
        transport = self.session.transport
        host = transport.host if transport is not None else public_url(self.session.endpoint)
        why = (f"cannot reach {host} (no complete answer within the {self.settings.deadline:.0f} s "
               "refresh deadline)")
        with self.lock:
            for vendor in {self.futures[f] for f in pending}:
                self.failed[vendor] = why
                if self.orgs_left[vendor]:
                    self.list_failed[vendor] = why

    def _load_previous(self) -> None:
        """The newest snapshot's model_info answers and catalogued repos: what can be carried over."""
        prev = self.store.latest()
        if prev is None:
            return
        self.previous_checks = self.store.checks(prev.id)
        keys = [r for v in self.plan for r in self._catalogued(v)]
        self.previous_repos = self.store.repos_by_key(prev.id, keys)
        self.allowance = hourly_allowance(self.previous_checks, datetime.now(UTC), self.settings)

    def _vendor_listed(self, vendor: str) -> None:
        """All of `vendor`'s orgs are listed: ask model_info where needed (see sync_checks)."""
        if not self.settings.check_repos or self.cancel.is_set():
            return
        with self.lock:
            listed = {r.repo_id.lower(): r for org in self.plan[vendor] for r in self.repos.get(org, ())}
            plan = plan_checks({vendor: self._catalogued(vendor)}, listed=listed,
                               listed_orgs={o.lower() for o in self.plan[vendor]},
                               previous_repos=self.previous_repos, previous_checks=self.previous_checks,
                               now=datetime.now(UTC), settings=self.settings,
                               allowance=self.allowance)
            self.allowance -= plan.routine
            asked = {r.lower() for _, r in plan.ask}
            for key in asked:
                self.carried_checks.pop(key, None)
            self.carried_checks.update({r.lower(): self.previous_checks[r.lower()]
                                        for r in self._catalogued(vendor)
                                        if r.lower() not in asked and r.lower() in self.previous_checks})
            self.checks_asked += len(plan.ask)
            self.checks_carried += plan.carried
            self.checks_deferred += plan.deferred
        for _, repo_id in plan.ask:
            self._submit(vendor, self._check, vendor, repo_id)

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
        with contextlib.suppress(Exception):  # a broken progress display must not break the refresh
            self.progress(p)

    def _list(self, vendor: str, org: str) -> None:
        from qwen_tui.hub.fetch import FetchError, list_org

        self._report(org)

        def on_progress(n: int) -> None:
            with self.lock:
                self._partial[org] = n
            self._report(org)

        try:
            listing = list_org(self.session, org, vendor, self.started, on_progress=on_progress, cancel=self.cancel)
        except FetchError as exc:
            with self.lock:
                self.list_failed.setdefault(vendor, str(exc))
                self.failed.setdefault(vendor, str(exc))
                self._partial.pop(org, None)
                self.orgs_done += 1
                self.orgs_left[vendor] -= 1
            self._report(org)
            return
        with self.lock:
            self.repos[org] = listing.repos
            self._partial.pop(org, None)
            self.repos_seen += len(listing.repos)
            self.invalid_ids += listing.invalid_ids
            self.orgs_done += 1
            self.orgs_left[vendor] -= 1
            all_listed = self.orgs_left[vendor] == 0 and vendor not in self.list_failed
        self._report(org)
        if all_listed:
            self._vendor_listed(vendor)

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
        """Listings of the orgs that succeeded, with model_info's children and base models merged in
        (this refresh's answers, else the previous ones kept without asking)."""
        answers = [*self.carried_checks.values(), *self.kept_checks()]  # fresh ones win
        by_key = {c.renamed_to.lower() if c.state == "renamed" else c.repo_id.lower(): c
                  for c in answers if c.state in ("found", "renamed")}
        out = []
        for vendor, orgs in self.plan.items():
            if vendor in self.list_failed:
                continue
            for org in orgs:
                for repo in self.repos.get(org, ()):
                    c = by_key.get(repo.repo_id.lower())
                    if c is not None:
                        before = self.previous_repos.get(repo.repo_id.lower())
                        base = (c.base_models if c.base_models is not None
                                else before.base_models if before is not None else repo.base_models)
                        repo = replace(repo, children=c.children, base_models=base)
                    out.append(repo)
        return out
