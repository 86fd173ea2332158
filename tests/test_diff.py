"""diff_snapshots and --since resolution, on snapshots written through the real Store."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwen_tui.diff import Change, diff_snapshots, resolve_base
from qwen_tui.errors import UsageError
from qwen_tui.evidence import HubRepo, OrgResult, RepoCheck
from qwen_tui.store import Store


def repo(rid: str, **kw) -> HubRepo:
    org = rid.split("/")[0]
    return HubRepo(repo_id=rid, org=org, vendor=kw.pop("vendor", org), fetched_at="t", **kw)


def write(store: Store, repos: list[HubRepo], orgs=("acme", "globex"), checks=()):
    results = [OrgResult(vendor=o, org=o, ok=True, repos=sum(r.org == o for r in repos), fetched_at="t")
               for o in orgs]
    return store.write_snapshot(started_at="2026-01-01T00:00:00Z", endpoint="http://x", results=results,
                                repos=repos, checks=checks, all_orgs=[(o, o) for o in ("acme", "globex")])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s, _ = Store.open(tmp_path / "c.sqlite3")
    assert s is not None
    return s


def test_every_kind_of_change_and_nothing_else(store):
    a = write(store, [
        repo("acme/same", license="apache-2.0", downloads=5000),
        repo("acme/gone", license="mit"),
        repo("acme/gate-me", license="mit"),
        repo("acme/ungate-me", gated="manual"),
        repo("acme/relicense", license="other", license_name="acme-community"),
        repo("acme/popular", downloads=10_000),
        repo("acme/small-move", downloads=10_000),
        repo("acme/tiny", downloads=10),
    ])
    b = write(store, [
        repo("acme/same", license="apache-2.0", downloads=5100),
        repo("acme/new", license="apache-2.0", gated="auto"),
        repo("acme/gate-me", license="mit", gated="manual"),
        repo("acme/ungate-me"),
        repo("acme/relicense", license="apache-2.0"),
        repo("acme/popular", downloads=30_000),
        repo("acme/small-move", downloads=12_000),
        repo("acme/tiny", downloads=900),  # +800: below the absolute floor
    ])
    assert diff_snapshots(store, a.id, b.id) == [
        Change("added", "acme", "acme/new", "", "apache-2.0, gated (auto)"),
        Change("removed", "acme", "acme/gone", "mit", ""),
        Change("gated-on", "acme", "acme/gate-me", "open", "manual"),
        Change("gated-off", "acme", "acme/ungate-me", "manual", "open"),
        Change("license", "acme", "acme/relicense", "other (acme-community)", "apache-2.0"),
        Change("downloads", "acme", "acme/popular", "10000", "30000"),
    ]
    assert diff_snapshots(store, b.id, b.id) == []


def test_orgs_not_in_both_snapshots_are_not_compared(store):
    a = write(store, [repo("acme/x")], orgs=("acme",))
    b = write(store, [repo("acme/x"), repo("globex/first-seen")], orgs=("acme", "globex"))
    assert diff_snapshots(store, a.id, b.id) == []


def test_a_failed_org_is_carried_so_nothing_looks_removed(store):
    a = write(store, [repo("acme/x"), repo("globex/y")])
    results = [OrgResult("acme", "acme", True, 1, "", "t"), OrgResult("globex", "globex", False, 0, "HTTP 503", "")]
    b = store.write_snapshot(started_at="s", endpoint="e", results=results, repos=[repo("acme/x")],
                             all_orgs=[("acme", "acme"), ("globex", "globex")])
    assert diff_snapshots(store, a.id, b.id) == []


def test_rename_is_annotated_on_both_sides(store):
    a = write(store, [repo("acme/Old")])
    b = write(store, [repo("acme/New")], checks=[RepoCheck("acme/Old", "renamed", "t", renamed_to="acme/New")])
    assert diff_snapshots(store, a.id, b.id) == [
        Change("added", "acme", "acme/New", "renamed from acme/Old", "no license tag"),
        Change("removed", "acme", "acme/Old", "no license tag", "renamed to acme/New"),
    ]


def test_resolve_base(store):
    assert resolve_base(store, None) is None
    s1 = write(store, [])
    assert resolve_base(store, None) is None
    s2 = write(store, [])
    s3 = write(store, [])
    assert resolve_base(store, None) == (s2, s3)
    assert resolve_base(store, str(s1.id)) == (s1, s3)
    # A date: the newest snapshot finished by the end of that day (all of ours are today).
    assert resolve_base(store, "2999-01-01") == (s2, s3)
    # Older than anything kept: the oldest one.
    assert resolve_base(store, "2000-01-01") == (s1, s3)
    with pytest.raises(UsageError, match="no snapshot 99"):
        resolve_base(store, "99")
    with pytest.raises(UsageError, match="neither a snapshot id nor a date"):
        resolve_base(store, "last week")
    with pytest.raises(UsageError, match="not a calendar date"):
        resolve_base(store, "2026-02-30")
