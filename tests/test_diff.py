"""diff_snapshots and --since resolution, on snapshots written through the real Store."""

from __future__ import annotations

import json
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
    s = Store.open(tmp_path / "c.sqlite3")
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


def _at(store, snap, when: str):
    """Give a snapshot another finishing time (the store stamps them with the clock)."""
    store.conn.execute("UPDATE snapshot SET finished_at = ? WHERE id = ?", (when, snap.id))
    return store.snapshot(snap.id)


def test_resolve_base_default_and_ids(store):
    assert resolve_base(store, None).old is None
    s1 = write(store, [])
    only = resolve_base(store, None)
    assert only.old is None and only.new == s1 and "only one snapshot" in only.note
    s2 = write(store, [])
    s3 = write(store, [])
    assert (resolve_base(store, None).old, resolve_base(store, None).new) == (s2, s3)
    assert (resolve_base(store, str(s1.id)).old, resolve_base(store, str(s1.id)).new) == (s1, s3)
    with pytest.raises(UsageError, match="no snapshot 99"):
        resolve_base(store, "99")
    # The newest against itself is no comparison: say so, naming it.
    with pytest.raises(UsageError, match=f"--since {s3.id}: snapshot {s3.id} is the newest"):
        resolve_base(store, str(s3.id))


@pytest.mark.parametrize("junk", ["\u00b2", "\u0662", "last week", "-1", "1.5", "2026-02-30", "2026-13-01", "", " "])
def test_resolve_base_refuses_junk_in_one_line(store, junk):
    write(store, [])
    write(store, [])
    with pytest.raises(UsageError) as info:
        resolve_base(store, junk)
    assert str(info.value).startswith("--since: ") and "\n" not in str(info.value)


def test_resolve_base_by_date(store):
    s1 = _at(store, write(store, []), "2026-03-01T10:00:00Z")
    s2 = _at(store, write(store, []), "2026-03-05T09:00:00Z")
    s3 = _at(store, write(store, []), "2026-03-05T18:00:00Z")
    s4 = _at(store, write(store, []), "2026-03-09T12:00:00Z")

    def pair(since):
        b = resolve_base(store, since)
        return (b.old.id if b.old else None, b.new.id if b.new else None, b.note)

    # A day means its start: "since March 5" includes the changes made on March 5.
    assert pair("2026-03-05") == (s1.id, s4.id, "")
    assert pair("2026-03-06") == (s3.id, s4.id, "")
    assert pair("2026-03-05T12:00") == (s2.id, s4.id, "")
    assert pair("2026-03-05T09:00:00Z") == (s2.id, s4.id, "")  # at or before
    # Older than anything kept: the oldest, and the note says so.
    old, new, note = pair("2026-02-01")
    assert (old, new) == (s1.id, s4.id) and note == (
        "no snapshot before 2026-02-01 is kept; compared with the oldest, snapshot 1 (2026-03-01T10:00:00Z)")
    # The newest snapshot's own day: what that day brought (same-day snapshots are compared too).
    assert pair("2026-03-09") == (s3.id, s4.id, "")
    # At or after the newest snapshot, or in the future: nothing to compare, said clearly.
    for since in ("2026-03-09T12:00", "2026-03-10", "2999-01-01"):
        old, new, note = pair(since)
        assert (old, new) == (None, s4.id), since
        assert note == f"no snapshot since {since}: the newest is snapshot 4 (2026-03-09T12:00:00Z)"
    assert s2.id == 2


def test_diff_cli_since_errors_are_one_line(capsys, fixture_catalog_dir):
    from qwen_tui.cli import main
    from qwen_tui.paths import default_paths

    with Store.open(default_paths().cache_db) as s:
        write(s, [repo("acme/x")])
        write(s, [repo("acme/x"), repo("acme/y")])
    for since, code, words in [("²", 2, "--since: '²' is neither"), ("2", 2, "snapshot 2 is the newest"),
                               ("2999-01-01", 0, "no snapshot since 2999-01-01"), ("1", 0, "added")]:
        got = main(["diff", "--since", since, "--catalog", str(fixture_catalog_dir)])
        out, err = capsys.readouterr()
        assert got == code, (since, out, err)
        assert words in (err if code else out) and "Traceback" not in err
        if code:
            assert err.count("\n") == 1 and out == ""
    assert main(["diff", "--since", "2999-01-01", "--json", "--catalog", str(fixture_catalog_dir)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["from"] is None and doc["to"]["id"] == 2 and doc["note"].startswith("no snapshot since")
