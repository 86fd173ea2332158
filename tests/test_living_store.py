"""models.dev snapshots in the cache: schema 3 and its migration, the refresh half that stores
them (real httpx against a loopback models.dev), and the Dataset reading them back."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qwen_tui.cachefile import APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION
from qwen_tui.errors import CacheError
from qwen_tui.model import Status
from qwen_tui.modelsdev import snapshot
from qwen_tui.modelsdev.fetch import URL_ENV
from qwen_tui.modelsdev.refresh import beside
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.store import Store
from tests.modelsdev_server import ModelsDevServer

FIXTURE = Path(__file__).parent / "data" / "modelsdev" / "models.json"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with ModelsDevServer(FIXTURE.read_bytes(), etag='"fixture-1"') as srv:
        monkeypatch.setenv(URL_ENV, srv.url)
        yield srv


def _old_cache(path: Path, version: int) -> None:
    """A cache as qwen-tui wrote it before schema 3: one Hub snapshot, no source_snapshot table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_SQL)
    conn.execute("INSERT INTO snapshot VALUES (1, '2026-11-01T00:00:00Z', '2026-11-01T00:01:00Z', 'e')")
    conn.execute("INSERT INTO org_state VALUES (1, 'acme', 'acme', 'ok', 1, '', '2026-11-01T00:00:30Z')")
    conn.execute("INSERT INTO repo (snapshot_id, repo_id, repo_key, org, vendor, fetched_at)"
                 " VALUES (1, 'acme/A', 'acme/a', 'acme', 'acme', '2026-11-01T00:00:30Z')")
    if version >= 2:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("version", [1, 2])
def test_old_cache_is_read_then_migrated_keeping_its_hub_data(version: int) -> None:
    db = default_paths().cache_db
    _old_cache(db, version)
    # Read as it is: no models.dev snapshot, so the bundled copy; the Hub snapshot as before.
    with Store.open_readonly(db) as store:
        assert snapshot.latest(store.conn) is None
    ds = Dataset.load(default_paths())
    assert ds.warning == "" and ds.snapshot is not None and ds.snapshot.id == 1
    assert ds.tracker is not None and ds.tracker.kind == "bundled"
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == version  # reading wrote nothing
    # The next writer adds the table in the transaction that marks schema 3.
    with Store.open(db) as store:
        assert [r.repo_id for r in store.repos(1)] == ["acme/A"]
        assert snapshot.snapshots(store.conn) == []
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("SELECT count(*) FROM source_snapshot").fetchone()[0] == 0


def test_refresh_stores_a_snapshot_then_a_304_keeps_it(server: ModelsDevServer, fixture_catalog_dir: Path) -> None:
    ds = Dataset.load(default_paths(), [fixture_catalog_dir], use_cache=False)
    with Store.open(default_paths().cache_db) as store:
        _, hub_error, report = beside(store, ds.catalog, None)
        assert hub_error is None and report.outcome == "fetched" and report.snapshot_id == 1
        # The fixture has 42 entries of 16 labs; the catalog maps 14 of them (dropped: none invalid).
        stored = snapshot.entries_of(store.conn, 1)
        assert report.kept == len(stored.entries) > 0 and report.dropped == 0
        assert report.line().startswith(f"models.dev: fetched · {report.kept} entries kept, 0 invalid dropped")
        first = snapshot.latest(store.conn)
        assert first.etag == '"fixture-1"' and first.checked_at == first.fetched_at

        _, _, again = beside(store, ds.catalog, None)
        assert again.outcome == "not modified" and again.snapshot_id == 1
        assert server.requests[-1].get("if-none-match") == '"fixture-1"'
        assert [s.id for s in snapshot.snapshots(store.conn)] == [1]
        assert snapshot.latest(store.conn).fetched_at == first.fetched_at
        assert again.line() == f"models.dev: not modified · keeping snapshot 1 of {first.fetched_at}"


@pytest.mark.parametrize("body", [
    b"{not json", b"[1, 2, 3]", b'"\x1b[31mred"',
    json.dumps({f"alibaba/m{i}": {"name": "x"} for i in range(20_001)}).encode(),
])
def test_a_hostile_body_fails_alone_and_keeps_the_previous_snapshot(server: ModelsDevServer, body: bytes,
                                                                   fixture_catalog_dir: Path) -> None:
    ds = Dataset.load(default_paths(), [fixture_catalog_dir], use_cache=False)
    with Store.open(default_paths().cache_db) as store:
        assert beside(store, ds.catalog, None)[2].outcome == "fetched"
        server.body, server.etag = body, '"evil"'
        hub_ran = []
        result, hub_error, report = beside(store, ds.catalog, lambda: hub_ran.append(1) or "hub ok")
        assert result == "hub ok" and hub_error is None and hub_ran == [1]
        assert report.failed and report.snapshot_id == 1
        line = report.line()
        assert line.startswith("models.dev: failed (models.json ") and "\n" not in line and "\x1b" not in line
        assert line.endswith("· keeping snapshot 1 of " + snapshot.latest(store.conn).fetched_at)
        assert [s.id for s in snapshot.snapshots(store.conn)] == [1]


def test_a_hub_failure_does_not_stop_models_dev(server: ModelsDevServer, fixture_catalog_dir: Path) -> None:
    ds = Dataset.load(default_paths(), [fixture_catalog_dir], use_cache=False)

    def hub() -> None:
        raise CacheError("listing acme: HTTP 503")

    with Store.open(default_paths().cache_db) as store:
        result, hub_error, report = beside(store, ds.catalog, hub)
        assert result is None and str(hub_error) == "listing acme: HTTP 503"
        assert report.outcome == "fetched" and snapshot.latest(store.conn).id == report.snapshot_id


def test_a_models_dev_failure_does_not_stop_the_hub(server: ModelsDevServer, fixture_catalog_dir: Path) -> None:
    server.faults = [(404, "")]
    ds = Dataset.load(default_paths(), [fixture_catalog_dir], use_cache=False)
    with Store.open(default_paths().cache_db) as store:
        result, hub_error, report = beside(store, ds.catalog, lambda: "hub ok")
        assert (result, hub_error) == ("hub ok", None)
        assert report.line() == f"models.dev: failed (HTTP 404 from {server.url}) · keeping the bundled copy"
        assert snapshot.latest(store.conn) is None


def test_the_dataset_reads_the_newest_snapshot_and_memoises_the_merge(server: ModelsDevServer) -> None:
    # One new entry for Mistral (a lab the bundled catalog maps) that no release has.
    data = json.loads(FIXTURE.read_bytes())
    data["mistral/test-only-model"] = {"id": "test-only-model", "name": "Testonly Large 9",
                                       "release_date": "2026-11-20", "open_weights": False}
    server.body = json.dumps(data).encode()
    with Store.open(default_paths().cache_db) as store:
        before = Dataset.load(default_paths())
        assert before.tracker.kind == "bundled"
        assert beside(store, before.catalog, None)[2].outcome == "fetched"
    ds = Dataset.load(default_paths())
    assert ds.tracker.kind == "snapshot" and ds.tracker.snapshot_id == 1
    (rel,) = [r for r in ds.catalog.releases if r.name == "Testonly Large 9"]
    assert (rel.provenance, rel.vendor, rel.status, str(rel.date)) == ("models.dev", "mistral",
                                                                       Status.CLOUD_ONLY, "2026-11-20")
    memos = list(default_paths().cache_dir.glob("merged-*.json"))
    assert len(memos) == 1
    again = Dataset.load(default_paths())  # from the memo: the same releases
    assert again.catalog.releases == ds.catalog.releases and again.tracker == ds.tracker


def test_a_models_dev_that_never_answers_does_not_hold_the_hub(server: ModelsDevServer,
                                                               fixture_catalog_dir: Path) -> None:
    server.delay = 3.0
    ds = Dataset.load(default_paths(), [fixture_catalog_dir], use_cache=False)
    with Store.open(default_paths().cache_db) as store:
        import time

        t = time.monotonic()
        result, hub_error, report = beside(store, ds.catalog, lambda: "hub ok", deadline=0.5)
        assert time.monotonic() - t < 2.5
        assert (result, hub_error) == ("hub ok", None)
        assert report.line() == "models.dev: failed (no answer within 0.5 s) · keeping the bundled copy"
        assert snapshot.latest(store.conn) is None
