"""The Store's API and what it does with files that are not (or not yet) its own (issue 10.4, 11 §2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from qwen_tui.cli import main
from qwen_tui.errors import CacheError
from qwen_tui.evidence import HubRepo, OrgResult, RepoCheck
from qwen_tui.paths import default_paths
from qwen_tui.store import Store

T = "2026-01-01T00:00:00Z"


def _repo(name: str, **kw) -> HubRepo:
    return HubRepo(repo_id=f"acme/{name}", org="acme", vendor="acme", fetched_at=T, **kw)


def _write(store: Store, repos: list[HubRepo], checks=()):
    return store.write_snapshot(started_at=T, endpoint="http://127.0.0.1:1",
                                results=[OrgResult("acme", "acme", True, len(repos), "", T)],
                                repos=repos, checks=checks, all_orgs=[("acme", "acme")])


def test_store_is_a_context_manager_and_keeps_its_warning(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    with Store.open(db) as store:
        assert store.warning == ""
        _write(store, [_repo("a")])
    with pytest.raises(sqlite3.ProgrammingError):  # closed on leaving the block
        store.latest()
    db.write_bytes(b"not a database at all" * 50)
    with Store.open(db) as store:
        assert "moved aside" in store.warning and store.latest() is None
    assert Store.open_readonly(tmp_path / "none.sqlite3") is None


def test_atomic_is_all_or_nothing(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store:
        _write(store, [_repo("a")])
        with pytest.raises(RuntimeError), store.atomic():
            store.conn.execute("DELETE FROM repo")
            raise RuntimeError("boom")
        assert [r.repo_id for r in store.repos(1)] == ["acme/a"]


def test_absurd_numbers_become_unknown_and_never_spoil_the_snapshot(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store:
        snap = _write(store, [
            _repo("huge", children=2**63, downloads=2**70, likes=10),
            _repo("negative", children=-3, downloads=-1, downloads_all_time=-5, likes=-2, params=-7),
            _repo("fine", children=4, downloads=100, likes=1, params=7_000_000_000),
        ], checks=[RepoCheck("acme/huge", "found", T, children=2**63), RepoCheck("acme/fine", "found", T, children=-3)])
        repos = {r.repo_id: r for r in store.repos(snap.id)}
        assert set(repos) == {"acme/huge", "acme/negative", "acme/fine"}
        assert (repos["acme/huge"].children, repos["acme/huge"].downloads, repos["acme/huge"].likes) == (None, None, 10)
        neg = repos["acme/negative"]
        assert (neg.children, neg.downloads, neg.downloads_all_time, neg.likes, neg.params) == (None,) * 5
        assert (repos["acme/fine"].children, repos["acme/fine"].params) == (4, 7_000_000_000)
        assert store.checks(snap.id)["acme/huge"].children is None
        assert store.checks(snap.id)["acme/fine"].children is None


def test_one_unstorable_repo_is_skipped_and_said(tmp_path: Path) -> None:
    with Store.open(tmp_path / "c.sqlite3") as store:
        # A lone surrogate cannot be encoded as UTF-8; the other repos are saved all the same.
        snap = _write(store, [_repo("ok-1"), _repo("bad", license="x\ud800"), _repo("ok-2")])
        assert {r.repo_id for r in store.repos(snap.id)} == {"acme/ok-1", "acme/ok-2"}
        assert "1 repo" in store.warning and "acme/bad" in store.warning


@pytest.mark.parametrize("name", ["cache#x", "c%41che", "what?mode=ro", "a b#c?d%"])
def test_cache_dir_with_uri_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                       fixture_catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("QWEN_TUI_CACHE_DIR", str(tmp_path / name))
    db = default_paths().cache_db
    for _ in range(2):
        with Store.open(db) as store:
            assert store.warning == ""
            _write(store, [_repo("a", downloads=5)])
    with Store.open_readonly(db) as store:
        assert [s.id for s in store.snapshots()] == [1, 2]
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no stray file where the URI was cut
    assert not any(".corrupt-" in p.name for p in db.parent.iterdir())
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme", "--json"]) == 0
    assert capsys.readouterr().err == ""


def _ours(db: Path) -> None:
    with Store.open(db) as store:
        _write(store, [_repo("a", downloads=7)])
        _write(store, [_repo("a", downloads=7), _repo("b")])


def test_cache_from_a_newer_qwen_tui_that_we_can_read(fixture_catalog_dir: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from qwen_tui.store import SCHEMA_VERSION

    db = default_paths().cache_db
    _ours(db)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE repo ADD COLUMN spaces INTEGER")  # a newer version added something
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with Store.open_readonly(db) as store:  # reading: fine, it has everything we read
        assert [r.repo_id for r in store.repos(2)] == ["acme/a", "acme/b"]
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 0
    assert "changes from snapshot 1" in capsys.readouterr().out
    with pytest.raises(CacheError) as info:
        Store.open(db)
    assert str(info.value) == (f"cache {db} was made by a newer qwen-tui (schema {SCHEMA_VERSION + 5}); "
                               "upgrade, or set QWEN_TUI_CACHE_DIR")
    assert main(["refresh", "--catalog", str(fixture_catalog_dir), "--endpoint", "http://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newer qwen-tui" in err
    assert db.read_bytes() == before and not any(".corrupt-" in p.name for p in db.parent.iterdir())


def test_cache_from_a_newer_qwen_tui_that_we_cannot_read(fixture_catalog_dir: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from qwen_tui.store import SCHEMA_VERSION

    db = default_paths().cache_db
    _ours(db)
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE repo RENAME COLUMN downloads TO downloads_30d")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme", "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 5 and err.count("\n") == 1 and "newer qwen-tui" in err
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"(schema {SCHEMA_VERSION + 1})" in err
    assert db.read_bytes() == before and not any(".corrupt-" in p.name for p in db.parent.iterdir())


@pytest.mark.parametrize("user_version", [0, 1, 99])
def test_foreign_sqlite_file_is_never_written(user_version: int, fixture_catalog_dir: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    db = default_paths().cache_db
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(CacheError, match="not a qwen-tui cache"):
        Store.open(db)
    assert main(["refresh", "--catalog", str(fixture_catalog_dir), "--endpoint", "http://127.0.0.1:9"]) == 1
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 1
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--json"]) == 0
    err = capsys.readouterr().err
    assert err.count("not a qwen-tui cache") == 3 and "Traceback" not in err
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if not p.name.startswith(("catalog-", "merged-"))] == [db.name]


def test_foreign_file_with_a_snapshot_table_does_not_break_diff(fixture_catalog_dir: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = default_paths().cache_db
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE snapshot (id INTEGER PRIMARY KEY, taken TEXT)")
    conn.executemany("INSERT INTO snapshot (taken) VALUES (?)", [("a",), ("b",)])
    conn.commit()
    conn.close()
    assert main(["diff", "--catalog", str(fixture_catalog_dir)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "not a qwen-tui cache" in err


def test_our_file_is_marked_and_an_old_cache_is_upgraded_in_place(tmp_path: Path) -> None:
    from qwen_tui.cachefile import APPLICATION_ID, SCHEMA_SQL

    db = tmp_path / "c.sqlite3"
    with Store.open(db):
        pass
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
    # A cache written by qwen-tui before the mark (schema 1, application_id 0) is ours: kept and marked.
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript(SCHEMA_SQL)
    conn.execute("INSERT INTO snapshot VALUES (1, 's', 'f', 'e')")
    conn.execute("INSERT INTO org_state VALUES (1, 'acme', 'acme', 'ok', 1, '', 'f')")
    conn.execute("INSERT INTO repo (snapshot_id, repo_id, repo_key, org, vendor, fetched_at)"
                 " VALUES (1, 'acme/A', 'acme/a', 'acme', 'acme', 'f')")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with Store.open_readonly(old) as store:
        assert [r.repo_id for r in store.repos(1)] == ["acme/A"]
    with Store.open(old) as store:
        assert store.warning == "" and [r.repo_id for r in store.repos(1)] == ["acme/A"]
        assert _write(store, [_repo("b")]).id == 2
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()
