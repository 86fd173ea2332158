"""Which catalogued repos a refresh asks model_info about, and which answers it carries over.

The Hub allows 500 API requests per 5 minutes per IP without a token. Asking model_info for every
catalogued repo on every refresh (~350 calls) spent most of that; most answers do not change from
one hour to the next. So (docs/sync.md, "The rate budget"):

* a repo the listing shows unchanged (same lastModified as in the previous snapshot) whose last
  check is younger than `check_max_age_hours` keeps that check: no call;
* a repo that vanished from its org's listing, or was never seen there and has no recent check
  saying so, is asked at once (renamed or deleted: the answer changes what the explorer shows);
* the routine ones (never checked, changed, or checked too long ago) share `checks_per_hour`
  calls an hour, counted from the checks the cache already holds, changed first, then never
  checked, then oldest; the rest wait for a later refresh and keep their previous answer.

Pure: no I/O, no clock (the caller passes `now`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from qwen_tui.evidence import HubRepo, RepoCheck
from qwen_tui.hub.settings import SyncSettings


@dataclass(frozen=True)
class CheckPlan:
    ask: list[tuple[str, str]]  # (vendor, repo_id) to ask model_info about, most urgent first
    carried: int  # catalogued repos whose previous answer is kept without a call
    deferred: int  # routine checks left for a later refresh (the hourly allowance is spent; any
    # previous answer of theirs is kept meanwhile)
    routine: int  # how much of the allowance this plan uses


def hourly_allowance(previous_checks: dict[str, RepoCheck], now: datetime, settings: SyncSettings) -> int:
    """Routine model_info calls left this hour: `checks_per_hour` less those the cache shows
    were made in the last hour (by refreshes before this one)."""
    return max(0, settings.checks_per_hour - _asked_within_hour(previous_checks, now))


def plan_checks(catalogued: dict[str, list[str]], *, listed: dict[str, HubRepo],
                listed_orgs: set[str], previous_repos: dict[str, HubRepo],
                previous_checks: dict[str, RepoCheck], now: datetime,
                settings: SyncSettings, allowance: int) -> CheckPlan:
    """`catalogued`: vendor -> repo ids (vendors whose listing succeeded). `listed`: this refresh's
    repos by lower-cased id; `listed_orgs`: lower-cased orgs listed in full now. `previous_*`: the
    newest snapshot's repos and checks by lower-cased id. `allowance`: routine calls left."""
    max_age = settings.check_max_age_hours * 3600
    urgent: list[tuple[str, str]] = []
    routine: list[tuple[int, float, str, str]] = []  # (rank, age order, vendor, repo_id)
    carried = 0
    for vendor, repo_ids in catalogued.items():
        for repo_id in repo_ids:
            key = repo_id.lower()
            check = previous_checks.get(key)
            age = _age(check.fetched_at, now) if check is not None else None
            fresh = age is not None and age < max_age
            now_listed = listed.get(key)
            if now_listed is None:
                was_listed = key in previous_repos
                answered_absent = check is not None and check.state in ("missing", "renamed")
                if fresh and answered_absent and not was_listed:
                    carried += 1
                elif fresh and check is not None and check.state == "found" and \
                        key.split("/", 1)[0] not in listed_orgs:
                    carried += 1  # outside the orgs we list: found recently, nothing says otherwise
                else:
                    urgent.append((vendor, repo_id))  # vanished, or never asked
                continue
            before = previous_repos.get(key)
            changed = before is not None and before.last_modified != now_listed.last_modified
            if check is None:
                routine.append((1, 0.0, vendor, repo_id))
            elif changed:
                routine.append((0, 0.0, vendor, repo_id))
            elif not fresh:
                routine.append((2, -(age or 0.0), vendor, repo_id))
            else:
                carried += 1
    routine.sort(key=lambda r: (r[0], r[1]))
    used = min(allowance, len(routine))
    ask = urgent + [(v, r) for _, _, v, r in routine[:used]]
    deferred = len(routine) - used
    return CheckPlan(ask=ask, carried=carried, deferred=deferred, routine=used)


def _asked_within_hour(checks: dict[str, RepoCheck], now: datetime) -> int:
    return sum(1 for c in checks.values() if (a := _age(c.fetched_at, now)) is not None and a < 3600)


def _age(fetched_at: str, now: datetime) -> float | None:
    """Seconds since `fetched_at` (ISO 8601 UTC), None when it cannot be read or is in the future."""
    try:
        when = datetime.fromisoformat(fetched_at.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    age = (now - when).total_seconds()
    return age if age >= 0 else None
