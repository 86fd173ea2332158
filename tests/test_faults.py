"""Nothing lost: corrupt, truncated, full and unwritable caches (issue 6, faults)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from qwen_tui.cli import main
from qwen_tui.errors import CacheError
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.store import Store

REPO = Path(__file__).resolve().parent.parent


def _write_one_snapshot(store: Store, n: int = 3, downloads: int = 10) -> None:
    repos = [HubRepo(repo_id=f"acme/Acme-{i}", org="acme", vendor="acme", fetched_at="2026-01-01T00:00:00Z",
                     downloads=downloads) for i in range(n)]
    store.write_snapshot(started_at="2026-01-01T00:00:00Z", endpoint="http://127.0.0.1:1",
                         results=[OrgResult("acme", "acme", True, n, "", "2026-01-01T00:00:00Z")],
                         repos=repos, all_orgs=[("acme", "acme")])


def _cache_db() -> Path:
    return default_paths().cache_db


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_corrupt_cache_is_moved_aside_and_app_starts_from_catalog(
        damage: str, fixture_catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = _cache_db()
    store = Store.open(db)
    _write_one_snapshot(store, n=200)
    store.close()
    data = db.read_bytes()
    if damage == "garbage":
        db.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        db.write_bytes(data[: len(data) // 3])
    else:
        db.write_bytes(b"")
    before = db.read_bytes()
    # Headless commands only read: they ignore the bad file, say so in one line, and answer.
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme", "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 5
    assert err.count("\n") == 1 and "unusable" in err and str(db) in err
    assert db.read_bytes() == before  # reading never moves or deletes anything
    # The next writer moves it aside (never deletes it) and starts a fresh cache.
    store = Store.open(db)
    warning = store.warning
    assert "moved aside" in warning
    aside = [p for p in db.parent.iterdir() if ".corrupt-" in p.name]
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert store.latest() is None
    store.close()


def test_full_disk_keeps_previous_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    store = Store.open(db)
    _write_one_snapshot(store, n=5, downloads=1)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own "database or disk is full" (SQLITE_FULL), reached by capping the file size.
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(CacheError) as info:
        _write_one_snapshot(store, n=5000, downloads=2)
    assert "full" in str(info.value) and "previous snapshot is unchanged" in str(info.value)
    assert [s.id for s in store.snapshots()] == [1]
    assert {r.downloads for r in store.repos(1)} == {1}
    store.close()
    reopened = Store.open(db)
    warning = reopened.warning
    assert warning == "" and len(list(reopened.repos(1))) == 5
    reopened.close()


_READONLY_SCRIPT = r"""
import os, sys
from pathlib import Path
from qwen_tui.store import Store
from qwen_tui.errors import CacheError
from qwen_tui.evidence import HubRepo, OrgResult
target = Path(sys.argv[1])
if os.geteuid() == 0:
    # Root ignores file modes. Everything is imported by now, so become 'nobody' for the write.
    import pwd
    nobody = pwd.getpwnam("nobody")
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
try:
    store = Store.open(target)
    w = store.warning
    store.write_snapshot(started_at="t", endpoint="e", results=[OrgResult("acme", "acme", True, 1, "", "t")],
                         repos=[HubRepo(repo_id="acme/x", org="acme", vendor="acme", fetched_at="t")],
                         all_orgs=[("acme", "acme")])
except CacheError as exc:
    print("CacheError:", exc)
    sys.exit(3)
print("wrote")
"""


_READONLY_READER = r"""
import os, sys
from pathlib import Path
from qwen_tui.store import Store
if os.geteuid() == 0:
    import pwd
    nobody = pwd.getpwnam("nobody")
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)
with Store.open_readonly(Path(sys.argv[1])) as store:
    print([s.id for s in store.snapshots()])
"""


@pytest.mark.parametrize("case", ["dir", "file"])
def test_read_only_cache_gives_clear_error_and_no_partial_snapshot(case: str) -> None:
    # A world-readable scratch dir: 'nobody' must be able to reach it, which pytest's tmp_path is not.
    with tempfile.TemporaryDirectory() as scratch:
        os.chmod(scratch, 0o755)
        cache = Path(scratch) / "cache"
        cache.mkdir()
        db = cache / "qwen-tui.sqlite3"
        if case == "file":
            store = Store.open(db)
            _write_one_snapshot(store, n=2)
            store.close()
            os.chmod(db, 0o444)
            os.chmod(cache, 0o555)
            target = db
        else:
            os.chmod(cache, 0o555)
            target = cache / "sub" / "qwen-tui.sqlite3"
        before = db.read_bytes() if db.exists() else None
        proc = subprocess.run([sys.executable, "-c", _READONLY_SCRIPT, str(target)], capture_output=True,
                              text=True, timeout=60, cwd=REPO)
        assert proc.returncode == 3, proc.stdout + proc.stderr
        assert proc.stdout.startswith("CacheError: cannot ") and str(target.parent) in proc.stdout
        assert "Traceback" not in proc.stderr
        if before is not None:
            assert db.read_bytes() == before
            # A user who may only read the cache still reads it (no journal or WAL can be made there).
            proc = subprocess.run([sys.executable, "-c", _READONLY_READER, str(db)], capture_output=True,
                                  text=True, timeout=60, cwd=REPO, check=False)
            assert proc.stdout == "[1]\n", proc.stdout + proc.stderr
            assert db.read_bytes() == before
            os.chmod(cache, 0o755)
            store = Store.open_readonly(db)
            assert store is not None and [s.id for s in store.snapshots()] == [1]
            store.close()
        os.chmod(cache, 0o755)


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ({"status": 429, "headers": {"RateLimit": '"api";r=0;t=0',
                                     "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}}, "429"),
        ({"status": 503}, "503"),
        ({"status": 500, "body": b"<html>oops"}, "500"),
        ({"delay": 5.0}, "time"),  # a server that hangs: cut off by our read timeout
    ],
)
def test_storms_and_hangs_end_with_partial_results(fault: dict, reason: str, fixture_catalog_dir: Path) -> None:
    import time

    from fakehub import FakeHub

    from qwen_tui.catalog.loader import load_catalog
    from qwen_tui.hub.settings import SyncSettings
    from qwen_tui.sync import refresh

    settings = SyncSettings(max_retries=2, backoff_base=0.01, backoff_max=0.05, read_timeout=0.5,
                            connect_timeout=0.5, workers=4)
    with FakeHub(page_size=2) as hub:
        for name in ("Acme-1-7B", "Acme-1-7B-Chat", "Acme-2-1B"):
            hub.add(f"acme/{name}")
        hub.add("globex/globex-small")
        hub.fault("list:globex", **fault)  # for ever: a storm, not a blip
        store = Store.open(_cache_db())
        t = time.monotonic()
        report = refresh(load_catalog([fixture_catalog_dir], bundled=False), store,
                         endpoint=hub.url, settings=settings)
        elapsed = time.monotonic() - t
        assert report.ok == ("acme",) and list(report.failed) == ["globex"]
        assert reason in report.failed["globex"].lower() and "\n" not in report.failed["globex"]
        assert report.snapshot is not None
        assert {r.org for r in store.repos(report.snapshot.id)} == {"acme"}  # partial, and saved
        assert elapsed < 10  # bounded: retries and timeouts, not the library's 1-2-4-8-8 s sleeps
        store.close()


def test_damage_inside_the_cache_is_found_while_reading(fixture_catalog_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    """Start-up checks only header, version and length; a damaged page is met while answering."""
    db = _cache_db()
    store = Store.open(db)
    _write_one_snapshot(store, n=3000)
    _write_one_snapshot(store, n=3000, downloads=20)
    store.close()
    data = bytearray(db.read_bytes())
    page = 4096
    for offset in range(len(data) // 2, len(data) - page, page):  # scribble over the data pages
        data[offset + 8: offset + 64] = b"\xff" * 56
    db.write_bytes(bytes(data))
    for argv in (["list", "--status", "discovered", "--json"], ["vendors"], ["list", "--vendor", "acme"]):
        assert main([*argv, "--catalog", str(fixture_catalog_dir)]) == 0, argv
        out, err = capsys.readouterr()
        assert out and "Traceback" not in err
        if argv[-1] == "acme":
            # Only acme's catalogued repos are read (the snapshot no longer counts every repo at
            # open): the damage elsewhere is not met, and what is shown is read whole.
            assert err.count("\n") <= 1 and (not err or "unusable (corrupt" in err), err
            continue
        assert err.count("\n") == 1 and "unusable (corrupt" in err, err
    # diff reads every snapshot: it stops with one line, not a traceback.
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "unusable (corrupt" in err and "Traceback" not in err, err
    # The writer's full check agrees and moves it aside.
    store = Store.open(db)
    warning = store.warning
    assert "moved aside" in warning
    store.close()


# -- issue 11 §1: a refresh killed mid-transaction (an SSH drop, tmux closing) ------------------

_BIG_WRITE = r"""
import sys
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.store import Store
t = "2026-01-0%sT00:00:00Z" % sys.argv[2]
repos = [HubRepo(repo_id=f"acme/model-{i:05d}", org="acme", vendor="acme", fetched_at=t, downloads=i,
                 license="apache-2.0", tags=("text-generation", "safetensors", f"base_model:acme/m{i}"))
         for i in range(int(sys.argv[3]))]
with Store.open(sys.argv[1]) as store:
    print("writing", flush=True)
    snap = store.write_snapshot(started_at=t, endpoint="http://127.0.0.1:1", repos=repos,
                                results=[OrgResult("acme", "acme", True, len(repos), "", t)],
                                all_orgs=[("acme", "acme")])
print("wrote", snap.id, flush=True)
"""


def _big_write(db: Path, day: int, n: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _BIG_WRITE, str(db), str(day), str(n)], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kill_mid_transaction(db: Path, sig: int) -> None:
    """Start writing a third ~40,000-repo snapshot; kill it once the transaction has reached the
    disk: a rollback journal is hot once the database file itself has been changed, a WAL once it
    holds the first spilled pages (the window the issue names: 0.15-0.5 s into the write). With the
    rollback journal of the code before WAL this reproduced "unusable (corrupt: attempt to write a
    readonly database)" three times out of three."""
    import time

    size_before = db.stat().st_size
    proc = _big_write(db, 3, 40_000)
    try:
        assert proc.stdout.readline().strip() == "writing", proc.stderr.read()
        journal, wal = Path(f"{db}-journal"), Path(f"{db}-wal")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if journal.exists() and db.stat().st_size != size_before:
                break
            if wal.exists() and wal.stat().st_size > 256 * 1024:
                break
            time.sleep(0.002)
        os.kill(proc.pid, sig)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -sig, f"the write ended before the kill ({proc.returncode}): make it bigger"
    assert journal.exists() or wal.exists()  # SQLite's journal is left behind: that is what we test


@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM", "SIGHUP"])
def test_refresh_killed_mid_write_keeps_the_history(sig: str, fixture_catalog_dir: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import signal

    db = _cache_db()
    for day in (1, 2):  # two refreshes of ~40,000 repos
        proc = _big_write(db, day, 40_000)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.split()[-1] == str(day), err
    _kill_mid_transaction(db, getattr(signal, sig))
    # Readers see the previous snapshot, whole; nothing says "corrupt".
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--status", "discovered", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and len(json.loads(out)) == 40_000
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.startswith("changes from snapshot 1 (2026-") and "to snapshot 2 " in out
    with Store.open_readonly(db) as store:
        assert [s.id for s in store.snapshots()] == [1, 2]
    # The next refresh is snapshot 3, and nothing was moved aside.
    with Store.open(db) as store:
        assert store.warning == ""
        _write_one_snapshot(store, n=5)
        assert [s.id for s in store.snapshots()] == [1, 2, 3]
    assert not any(".corrupt-" in p.name for p in db.parent.iterdir())


# -- issue 11 §2: a lock is not corruption ----------------------------------------------------------

_HOLD_LOCK = r"""
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA locking_mode = EXCLUSIVE" if sys.argv[2] == "exclusive" else "PRAGMA user_version")
conn.execute("BEGIN EXCLUSIVE" if sys.argv[2] == "exclusive" else "BEGIN IMMEDIATE")
conn.execute("UPDATE snapshot SET endpoint = endpoint")
print("locked", flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("how", ["immediate", "exclusive"])
def test_a_locked_cache_is_busy_not_corrupt(how: str, fixture_catalog_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import time

    import qwen_tui.cachefile

    monkeypatch.setattr(qwen_tui.cachefile, "BUSY_TIMEOUT", 0.5)
    db = _cache_db()
    with Store.open(db) as store:
        _write_one_snapshot(store, n=3)
    before = db.read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_LOCK, str(db), how], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        t = time.monotonic()
        with pytest.raises(CacheError) as info:
            Store.open(db)
        assert time.monotonic() - t < 5  # a bounded wait
        assert "cache is busy: another qwen-tui is writing it" in str(info.value)
        code = main(["refresh", "--catalog", str(fixture_catalog_dir), "--endpoint", "http://127.0.0.1:9"])
        out, err = capsys.readouterr()
        assert code == 1 and err.count("\n") == 1 and "cache is busy" in err, err
        # Readers: WAL lets them read past a writer; only an exclusive lock keeps them out, and
        # then they say so and show the catalog.
        assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme", "--json"]) == 0
        out, err = capsys.readouterr()
        assert len(json.loads(out)) == 5
        assert err == ("" if how == "immediate" else err) and "corrupt" not in err
        if how == "exclusive":
            assert err.count("\n") == 1 and "cache is busy" in err
    finally:
        holder.kill()
        holder.wait(10)
    assert not any(".corrupt-" in p.name for p in db.parent.iterdir())
    assert db.read_bytes() == before
    with Store.open(db) as store:
        assert store.warning == "" and [s.id for s in store.snapshots()] == [1]


_LEGACY_BIG_WRITE = r"""
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("INSERT INTO snapshot VALUES (2, 's', 'f', 'e')")
print("writing", flush=True)
conn.executemany("INSERT INTO repo (snapshot_id, repo_id, repo_key, org, vendor, fetched_at, tags)"
                 " VALUES (2, ?, ?, 'acme', 'acme', 'f', ?)",
                 ((f"acme/M-{i}", f"acme/m-{i}", "[" + '"tag",' * 40 + '"x"]') for i in range(400_000)))
conn.execute("COMMIT")
print("wrote", flush=True)
"""


def test_hot_journal_of_a_cache_from_before_wal_is_rolled_back_by_readers(fixture_catalog_dir: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """A cache written by an older qwen-tui (rollback journal, unmarked) whose refresh was killed."""
    import signal
    import time

    from qwen_tui.cachefile import SCHEMA_SQL

    db = _cache_db()
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.executescript(SCHEMA_SQL)
    conn.execute("INSERT INTO snapshot VALUES (1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'e')")
    conn.execute("INSERT INTO org_state VALUES (1, 'acme', 'acme', 'ok', 1, '', '2026-01-01T00:00:00Z')")
    conn.execute("INSERT INTO repo (snapshot_id, repo_id, repo_key, org, vendor, fetched_at)"
                 " VALUES (1, 'acme/Old', 'acme/old', 'acme', 'acme', '2026-01-01T00:00:00Z')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    proc = subprocess.Popen([sys.executable, "-c", _LEGACY_BIG_WRITE, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
        journal = Path(f"{db}-journal")
        deadline = time.monotonic() + 60
        # The journal appears when the first changed page is written out: the transaction is under way.
        while time.monotonic() < deadline and proc.poll() is None and not (
                journal.exists() and db.stat().st_size > 1024 * 1024):
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == -signal.SIGKILL and journal.exists()
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--status", "discovered", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and [r["hf_repos"] for r in json.loads(out)] == [["acme/Old"]]
    with Store.open(db) as store:
        assert store.warning == "" and [s.id for s in store.snapshots()] == [1]
        _write_one_snapshot(store, n=2)
        assert [s.id for s in store.snapshots()] == [1, 2]
    assert not any(".corrupt-" in p.name for p in db.parent.iterdir())
