"""refresh(): the real client against the fake Hub, into a real Store; then diff and list --json."""

from __future__ import annotations

import gc
import json
import sqlite3
import threading
from datetime import UTC

import pytest
from fakehub import FakeHub

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.diff import Change, diff_snapshots
from qwen_tui.errors import UsageError
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from qwen_tui.sync import OfflineError, Progress, SyncSettings, refresh

FAST = SyncSettings(workers=4, connect_timeout=2, read_timeout=1, max_retries=1,
                    backoff_base=0.01, backoff_max=0.02, max_server_wait=2)
TOKEN = "hf_TestSecretToken_9f8e7d"


@pytest.fixture
def catalog(fixture_catalog_dir):
    return load_catalog([fixture_catalog_dir], bundled=False)


@pytest.fixture
def store():
    s = Store.open(default_paths().cache_db)
    yield s
    s.close()


@pytest.fixture
def hub():
    h = FakeHub(page_size=2)
    h.add("acme/Acme-1-7B", downloads=100_000)
    h.add("acme/Acme-1-7B-Chat")
    h.add("acme/Acme-2-1B")
    h.add("acme/Acme-2-70B", license="other", license_name="acme-community")
    h.add("acme/Acme-3-8B", gated="manual", license="other", license_name="acme-community", children=3)
    h.add("acme/Acme-Experimental", created_at="2022-03-02T23:29:04.000Z")
    h.add("globex/globex-tiny")
    with h:
        yield h


def test_refresh_fills_the_cache(catalog, store, hub):
    seen: list[Progress] = []
    lock = threading.Lock()

    def progress(p):
        with lock:
            seen.append(p)

    report = refresh(catalog, store, endpoint=hub.url, settings=FAST, progress=progress)
    assert gc.isenabled()  # paused during the refresh only
    assert report.failed == {}
    assert report.ok == ("acme", "globex")
    assert (report.repos_seen, report.new, report.changed) == (7, 7, 0)
    snap = report.snapshot
    assert snap is not None and sum(store.repo_counts(snap.id).values()) == 7 and snap.endpoint == hub.url
    repos = {r.repo_id: r for r in store.repos(snap.id)}
    assert repos["acme/Acme-3-8B"].gated == "manual"
    assert repos["acme/Acme-3-8B"].children == 3  # merged from model_info
    assert repos["acme/Acme-2-70B"].license_name == "acme-community"
    assert repos["acme/Acme-Experimental"].created_at is None  # the Hub's placeholder
    checks = store.checks(snap.id)
    assert checks["globex/globex-small"].state == "missing"  # catalogued, 404 on the Hub
    assert checks["acme/acme-3-8b"].state == "found"
    # model_info only for catalogued repos that are not cloud-only: 5 acme + 1 globex.
    assert len(hub.seen("/api/models/")) == 6
    assert seen and seen[-1].orgs_total == 2 and max(p.orgs_done for p in seen) == 2
    assert max(p.repos_seen for p in seen) == 7
    log = default_paths().log_file.read_text()
    assert log.count(" refresh ") == 1 and "ok=acme,globex" in log and "repos=7 new=7" in log


def test_second_refresh_diff_reports_exactly_the_changes(catalog, store, hub):
    first = refresh(catalog, store, endpoint=hub.url, settings=FAST).snapshot
    hub.remove("acme/Acme-Experimental")  # vanished between two snapshots
    hub.add("acme/Acme-4-1B", license="mit")
    hub.update("acme/Acme-2-1B", gated="auto")
    hub.update("acme/Acme-3-8B", gated=False)
    hub.set_license("acme/Acme-2-70B", "apache-2.0")
    hub.update("acme/Acme-1-7B", downloads=300_000)
    hub.update("acme/Acme-1-7B-Chat", downloads=1100)  # +100: not a large move
    hub.rename("acme/Acme-1-7B-Chat", "acme/Acme-1-7B-Instruct")
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    second = report.snapshot
    changes = diff_snapshots(store, first.id, second.id)
    assert changes == [
        Change("added", "acme", "acme/Acme-1-7B-Instruct", "renamed from acme/Acme-1-7B-Chat", "apache-2.0"),
        Change("added", "acme", "acme/Acme-4-1B", "", "mit"),
        Change("removed", "acme", "acme/Acme-1-7B-Chat", "apache-2.0", "renamed to acme/Acme-1-7B-Instruct"),
        Change("removed", "acme", "acme/Acme-Experimental", "apache-2.0", ""),
        Change("gated-on", "acme", "acme/Acme-2-1B", "open", "auto"),
        Change("gated-off", "acme", "acme/Acme-3-8B", "manual", "open"),
        Change("license", "acme", "acme/Acme-2-70B", "other (acme-community)", "apache-2.0"),
        Change("downloads", "acme", "acme/Acme-1-7B", "100000", "300000"),
    ]
    assert (report.new, report.changed) == (2, 4)
    check = store.checks(second.id)["acme/acme-1-7b-chat"]
    assert (check.state, check.renamed_to) == ("renamed", "acme/Acme-1-7B-Instruct")


def test_one_vendor_failing_keeps_its_old_data_and_the_others_go_on(catalog, store, hub):
    first = refresh(catalog, store, endpoint=hub.url, settings=FAST).snapshot
    hub.add("acme/Acme-5")
    hub.remove("globex/globex-tiny")
    hub.fault("list:globex", status=503)
    hub.add("globex/globex-small")  # model_info would now find it: the old answer must stay
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert report.ok == ("acme",)
    assert report.failed == {"globex": f"listing globex: HTTP 503 (Service Unavailable) from {hub.url[7:]} "
                                       "on /api/models after 2 tries"}
    snap = report.snapshot
    repos = {r.repo_id for r in store.repos(snap.id)}
    assert "acme/Acme-5" in repos and "globex/globex-tiny" in repos  # carried over, not "removed"
    assert [c.kind + " " + c.repo_id for c in diff_snapshots(store, first.id, snap.id)] == ["added acme/Acme-5"]
    failed = {o.org: o for o in snap.failed}
    assert list(failed) == ["globex"] and "503" in failed["globex"].error
    # The failed vendor's model_info answers are the previous snapshot's, as its listing is.
    assert store.checks(snap.id)["globex/globex-small"] == store.checks(first.id)["globex/globex-small"]
    assert store.checks(snap.id)["globex/globex-small"].state == "missing"


def test_everything_failing_writes_nothing(catalog, store, hub):
    hub.fault("list:acme", status=200, body=b"<html>oops")
    hub.fault("list:globex", status=500)
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert report.snapshot is None and report.ok == ()
    assert report.failed["acme"] == "listing acme: malformed JSON from the Hub"
    assert store.latest() is None
    assert "snapshot=- ok=- failed=acme: listing acme: malformed JSON" in default_paths().log_file.read_text()


def test_model_info_failure_reports_the_vendor_but_keeps_its_listing(catalog, store, hub):
    hub.fault("model:acme/Acme-2-1B", status=500)
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert report.ok == ("globex",)
    assert report.failed == {"acme": "model_info acme/Acme-2-1B: HTTP 500 (Internal Server Error) "
                                     f"from {hub.url[7:]} on /api/models/acme/Acme-2-1B after 2 tries"}
    assert "acme/Acme-2-1B" in {r.repo_id for r in store.repos(report.snapshot.id)}
    assert "acme/acme-2-1b" not in store.checks(report.snapshot.id)


def test_vendor_subset(catalog, store, hub):
    report = refresh(catalog, store, vendors=["ACME"], endpoint=hub.url, settings=FAST)
    assert report.ok == ("acme",) and not hub.seen("/api/models/globex")
    assert all(dict(r.query).get("author") != "globex" for r in hub.seen("/api/models"))
    with pytest.raises(UsageError, match="unknown vendor 'initech'"):
        refresh(catalog, store, vendors=["initech"], endpoint=hub.url, settings=FAST)


def test_token_is_used_and_never_stored(catalog, store, hub, monkeypatch):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    hub.fault("list:globex", status=503, body=f"bad token {TOKEN}".encode())
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert {r.header("authorization") for r in hub.requests} == {f"Bearer {TOKEN}"}
    assert TOKEN not in repr(report)
    store.close()
    for path in default_paths().cache_dir.iterdir():
        assert TOKEN.encode() not in path.read_bytes(), path
    conn = sqlite3.connect(default_paths().cache_db)
    dump = "\n".join(conn.iterdump())
    conn.close()
    assert TOKEN not in dump and "hf_" not in dump


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"])
def test_offline_refuses_before_any_request(catalog, store, hub, monkeypatch, variable):
    monkeypatch.setenv(variable, "1")
    with pytest.raises(OfflineError, match="cannot refresh in offline mode"):
        refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert hub.requests == []


def test_hub_facts_reach_list_json(catalog, hub, fixture_catalog_dir, capsys, monkeypatch):
    from qwen_tui.cli import main

    monkeypatch.setenv("HF_ENDPOINT", hub.url)  # read at call time, not at import
    assert main(["refresh", "--vendor", "acme", "--catalog", str(fixture_catalog_dir)]) == 0
    capsys.readouterr()
    assert main(["list", "--json", "--vendor", "acme", "--catalog", str(fixture_catalog_dir)]) == 0
    rows = {e["id"]: e for e in json.loads(capsys.readouterr().out)}
    hub_facts = rows["acme-3"]["hub"]
    assert hub_facts["derivatives"] == 3
    assert hub_facts["repos"][0]["gated"] == "manual"
    assert rows["acme-1"]["hub"]["downloads"] == 100_000 + 1000


# -- the rate budget (issue 11 §3): model_info only where something changed or is old -----------

def test_a_second_refresh_within_the_hour_asks_model_info_only_for_what_changed(catalog, store, hub):
    first = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert first.checks_asked == 6 and first.requests == len(hub.requests)
    hub.requests.clear()
    second = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert hub.seen("/api/models/") == []  # listings only: every answer carried over
    assert second.requests == len(hub.requests) == 4  # acme: 3 pages of 2; globex: 1
    assert second.checks_carried == 6
    repos = {r.repo_id: r for r in store.repos(second.snapshot.id)}
    assert repos["acme/Acme-3-8B"].children == 3  # the previous answer, kept
    assert store.checks(second.snapshot.id)["globex/globex-small"].state == "missing"

    hub.remove("acme/Acme-2-1B")  # vanished from its org's listing: asked at once
    hub.requests.clear()
    third = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert [r.path for r in hub.seen("/api/models/")] == ["/api/models/acme/Acme-2-1B"]
    assert store.checks(third.snapshot.id)["acme/acme-2-1b"].state == "missing"


def test_routine_checks_share_an_hourly_allowance(catalog, store, hub):
    from dataclasses import replace

    tight = replace(FAST, checks_per_hour=2)
    first = refresh(catalog, store, endpoint=hub.url, settings=tight)
    # globex-small is not listed (404): asked at once; of acme's five listed repos, two fit.
    assert (first.checks_asked, first.checks_deferred) == (3, 3)
    hub.requests.clear()
    second = refresh(catalog, store, endpoint=hub.url, settings=tight)
    assert hub.seen("/api/models/") == [] and second.checks_deferred == 3  # the hour's two are spent


def test_rate_limit_header_pauses_before_the_budget_runs_out(catalog, store, hub):
    import time

    # Every answer says 2 requests are left in a window that resets in 1 s.
    hub.fault("list:acme", status=200, times=1, body=b'[{"_id": "1", "id": "acme/Acme-1-7B"}]',
              headers={"RateLimit": '"api";r=2;t=1', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'})
    t = time.monotonic()
    report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
    assert report.failed == {}
    assert time.monotonic() - t >= 0.9  # paused for the reset instead of spending the last two


def test_old_answers_are_asked_again_oldest_first_and_changed_repos_before_them():
    from datetime import datetime

    from qwen_tui.evidence import HubRepo, RepoCheck
    from qwen_tui.sync_checks import hourly_allowance, plan_checks

    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def repo(rid, modified="2026-11-01T00:00:00.000Z"):
        return HubRepo(rid, "acme", "acme", "t", last_modified=modified)

    checks = {"acme/old": RepoCheck("acme/old", "found", "2026-11-29T12:00:00Z"),  # 48 h
              "acme/older": RepoCheck("acme/older", "found", "2026-11-20T12:00:00Z"),
              "acme/fresh": RepoCheck("acme/fresh", "found", "2026-12-01T11:30:00Z"),  # 30 min
              "acme/pushed": RepoCheck("acme/pushed", "found", "2026-12-01T11:10:00Z"),
              "acme/gone": RepoCheck("acme/gone", "missing", "2026-12-01T10:00:00Z")}
    ids = ["acme/old", "acme/older", "acme/fresh", "acme/pushed", "acme/gone", "acme/new", "acme/vanished"]
    listed = {r.lower(): repo(r) for r in ids if r not in ("acme/gone", "acme/vanished")}
    listed["acme/pushed"] = repo("acme/pushed", "2026-12-01T11:45:00.000Z")
    previous = {r.lower(): repo(r) for r in ids if r not in ("acme/gone", "acme/new")}
    allowance = hourly_allowance(checks, now, FAST)
    assert allowance == FAST.checks_per_hour - 2  # fresh and pushed were asked within the hour
    plan = plan_checks({"acme": ids}, listed=listed, listed_orgs={"acme"}, previous_repos=previous,
                       previous_checks=checks, now=now, settings=FAST, allowance=3)
    assert [r for _, r in plan.ask] == ["acme/vanished", "acme/pushed", "acme/new", "acme/older"]
    assert (plan.carried, plan.deferred, plan.routine) == (2, 1, 3)  # fresh, gone; old waits
