"""The local cache: one SQLite file of Hub snapshots.

Each refresh is written as one snapshot in one transaction (`Store.atomic`), so a refresh that
dies half-way (even by SIGKILL) leaves the last good snapshot as it was: SQLite ignores or rolls back
the partial one. Orgs that a refresh did not fetch (not asked for, or failed) are carried over from
the previous snapshot, so the newest snapshot is always the whole picture and `diff` compares like
with like.

What a file at the cache path may be, and how it is opened, is `cachefile`'s job: a damaged file is
moved aside (never deleted) and `Store.warning` says so in one line; a lock, a newer qwen-tui's
cache or another program's file are left untouched and refused with a one-line CacheError.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Self, cast

from qwen_tui import cachefile
from qwen_tui.cachefile import SCHEMA_VERSION, is_busy, why
from qwen_tui.cacherows import (
    REPO_COLUMNS,
    REPO_TABLE_COLUMNS,
    repo_from_row,
    repo_row,
    storable_count,
)
from qwen_tui.errors import CacheError
from qwen_tui.evidence import HubRepo, OrgResult, RepoCheck, Snapshot
from qwen_tui.text import clean

__all__ = ["KEEP_SNAPSHOTS", "SCHEMA_VERSION", "RepoCheck", "Store", "now_iso"]

KEEP_SNAPSHOTS = 12  # older snapshots are pruned when a new one is written
# What one row can fail with; not OperationalError (full disk, I/O, lock), which fails the write.
_BAD_ROW = (sqlite3.IntegrityError, sqlite3.DataError, sqlite3.InterfaceError, sqlite3.ProgrammingError,
            UnicodeError, OverflowError, TypeError, ValueError)


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """Snapshots of Hub evidence in one SQLite file.

    `with Store.open(path) as store:` to write (and read), `Store.open_readonly(path)` to read only.
    `store.warning` is a one-line note for the user ('' when there is nothing to say): a damaged
    file moved aside at open, or repos a snapshot could not keep.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, warning: str = "") -> None:
        self.conn = conn
        self.path = path
        self.warning = warning
        self._repo_counts: dict[int, dict[str, int]] = {}  # a written snapshot never changes

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path) -> Store:
        """Open (or create) the cache for writing.

        A damaged file is renamed to `<name>.corrupt-<time>` and `warning` says so; a fresh cache
        replaces it. Raises CacheError, touching nothing, when the cache is busy (another writer
        holds it past BUSY_TIMEOUT), made by a newer qwen-tui, or not ours; or when it cannot be
        created.
        """
        path = Path(path)
        warning = ""
        problem = cachefile.file_header_problem(path) if path.exists() else ""
        if not problem and path.exists():
            conn = _writer(path)
            try:
                verdict = cachefile.judge(conn, path, thorough=True)
            except sqlite3.Error as exc:
                raise CacheError(f"cannot write cache {path}: {why(exc)}") from None
            finally:
                conn.close()
            if verdict.refusal:
                raise cachefile.NotOurs(verdict.refusal)
            problem = verdict.problem
        if problem:
            warning = _move_aside(path, problem)
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CacheError(f"cannot create cache dir {path.parent}: {exc.strerror or exc}") from None
        store = cls(_writer(path), path, warning=warning)
        try:
            # WAL: readers never wait for this writer, and a killed write is never "corruption".
            store.conn.execute("PRAGMA journal_mode = WAL")
            with store.atomic():  # also proves now that no other writer holds the file
                version = store.conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    cachefile.prepare(store.conn, version)
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def open_readonly(cls, path: Path) -> Store | None:
        """Open an existing cache for reading only; None when there is none. Never creates or
        moves a file. Raises CacheError (one line) when the file cannot be read as our cache."""
        path = Path(path)
        if not path.exists():
            return None
        problem = cachefile.file_header_problem(path)
        if problem:
            # Reading never moves files: report it; the next writing open moves it aside.
            raise CacheError(f"cache {path} is unusable ({problem}); ignoring it")
        try:
            conn = cachefile.connect_reader(path)
        except sqlite3.Error as exc:
            if is_busy(exc):
                raise cachefile.busy(path) from None
            if isinstance(exc, sqlite3.OperationalError):  # permissions, a missing directory
                raise CacheError(f"cache {path} cannot be read ({why(exc)}); ignoring it") from None
            raise CacheError(f"cache {path} is unusable (corrupt: {why(exc)}); ignoring it") from None
        try:
            verdict = cachefile.judge(conn, path, thorough=False)
        except sqlite3.Error as exc:
            conn.close()
            raise CacheError(f"cache {path} cannot be read ({why(exc)}); ignoring it") from None
        except BaseException:
            conn.close()
            raise
        if not verdict.readable:
            conn.close()
            if verdict.refusal:
                raise cachefile.NotOurs(verdict.refusal)
            raise CacheError(f"cache {path} is unusable ({verdict.problem}); ignoring it")
        return cls(conn, path)

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it is committed, or (on any exception, KeyboardInterrupt
        included) none of it. SQLite errors become one-line CacheErrors; a lock, "cache is busy"."""
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc, before=True) from None
        try:
            yield conn
            conn.execute("COMMIT")
        except BaseException as exc:
            with suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc, before=False) from None
            raise

    def _error(self, exc: sqlite3.Error, *, before: bool) -> CacheError:
        if is_busy(exc):
            return cachefile.busy(self.path)
        tail = "" if before else "; the previous snapshot is unchanged"
        return CacheError(f"cannot write cache {self.path}: {why(exc)}{tail}")

    def write_snapshot(
        self,
        *,
        started_at: str,
        endpoint: str,
        results: Iterable[OrgResult],
        repos: Iterable[HubRepo],
        checks: Iterable[RepoCheck] = (),
        all_orgs: Iterable[tuple[str, str]] = (),
    ) -> Snapshot:
        """Write one refresh as a new snapshot, all or nothing.

        `results`: the orgs attempted. `repos`: what the ok ones listed. `checks`: model_info
        answers fetched now (older ones are carried over). `all_orgs`:
        every (vendor, org) the catalog knows; those not attempted, and the failed ones, keep the
        previous snapshot's rows (status 'carried', or 'failed' with the old rows).
        """
        results = list(results)
        with self.atomic():
            prev = self.conn.execute("SELECT max(id) FROM snapshot").fetchone()[0]
            sid = self._insert(started_at, endpoint, results, repos, checks)
            self._carry_over(sid, prev, results, all_orgs)
            self._prune()
        snap = self.snapshot(sid)
        assert snap is not None
        return snap

    def _insert(self, started_at: str, endpoint: str, results: list[OrgResult], repos: Iterable[HubRepo],
                checks: Iterable[RepoCheck]) -> int:
        """The new snapshot's own rows: what this refresh fetched."""
        conn = self.conn
        sid = cast(int, conn.execute(  # an INSERT always sets lastrowid
            "INSERT INTO snapshot (started_at, finished_at, endpoint) VALUES (?, ?, ?)",
            (started_at, now_iso(), endpoint)).lastrowid)
        ok_orgs = {r.org for r in results if r.ok}
        self._insert_each(
            f"INSERT INTO repo (snapshot_id, {REPO_TABLE_COLUMNS}) VALUES (?, "
            + ", ".join("?" * (len(REPO_COLUMNS) + 1)) + ")",
            [repo_row(sid, r) for r in repos if r.org in ok_orgs], what="repo")
        conn.executemany("INSERT INTO org_state VALUES (?, ?, ?, 'ok', ?, '', ?)",
                         [(sid, r.vendor, r.org, storable_count(r.repos) or 0, r.fetched_at) for r in results if r.ok])
        self._insert_each("INSERT OR REPLACE INTO repo_check VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          [(sid, c.repo_id.lower(), c.repo_id, c.state, c.renamed_to, storable_count(c.children),
                            c.gated, "", c.fetched_at) for c in checks],
                          what="model_info answer")
        return sid

    def _insert_each(self, sql: str, rows: list[tuple], *, what: str) -> None:
        """executemany, unless a row cannot be stored (text that is not UTF-8, a value of an
        impossible type, a duplicate): then row by row, skipping the bad ones and naming them in
        `warning`. One bad repo never spoils a snapshot; a full disk or a lock still fails it all."""
        conn = self.conn
        conn.execute("SAVEPOINT rows")
        try:
            conn.executemany(sql, rows)
            conn.execute("RELEASE rows")
            return
        except _BAD_ROW:
            conn.execute("ROLLBACK TO rows")
            conn.execute("RELEASE rows")
        skipped = []
        for row in rows:
            try:
                conn.execute(sql, row)
            except _BAD_ROW:
                skipped.append(clean(row[2], 100))  # the repo id (repo_key for repo rows)
        if skipped:
            noun = what if len(skipped) == 1 else what + "s"
            note = f"{len(skipped)} {noun} could not be stored ({', '.join(skipped[:3])}" + (
                ", …)" if len(skipped) > 3 else ")")
            self.warning = f"{self.warning}; {note}" if self.warning else note

    def _carry_over(self, sid: int, prev: int | None, results: list[OrgResult],
                    all_orgs: Iterable[tuple[str, str]]) -> None:
        """Orgs failed now, or not asked for this time, keep the previous snapshot's rows."""
        conn = self.conn
        attempted = {r.org for r in results}
        carry = [(r.vendor, r.org, "failed", r.error) for r in results if not r.ok]
        carry += [(vendor, org, "carried", "") for vendor, org in all_orgs if org not in attempted]
        for vendor, org, status, error in carry:
            old = None
            if prev is not None:
                old = conn.execute("SELECT repos, fetched_at, error FROM org_state WHERE snapshot_id = ? AND org = ?",
                                   (prev, org)).fetchone()
            if old is None and status == "carried":
                continue  # never fetched: nothing to carry, nothing to say
            repos_n, fetched_at = (old[0], old[1]) if old else (0, None)
            if status == "carried" and old is not None:
                error = old[2]
            conn.execute("INSERT INTO org_state VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (sid, vendor, org, status, repos_n, error, fetched_at))
            if old is not None and fetched_at is not None:
                conn.execute(
                    f"INSERT INTO repo (snapshot_id, {REPO_TABLE_COLUMNS}) SELECT ?, "
                    f"{REPO_TABLE_COLUMNS} FROM repo WHERE snapshot_id = ? AND org = ?",
                    (sid, prev, org))
        if prev is not None:
            # Keep model_info answers of carried orgs' repos too: copy the previous ones we lack.
            conn.execute(
                "INSERT OR IGNORE INTO repo_check SELECT ?, repo_key, repo_id, state, renamed_to,"
                " children, gated, error, fetched_at FROM repo_check WHERE snapshot_id = ?",
                (sid, prev))

    def _prune(self) -> None:
        """Drop all but the newest KEEP_SNAPSHOTS snapshots."""
        conn = self.conn
        old_ids = [row[0] for row in conn.execute(
            "SELECT id FROM snapshot ORDER BY id DESC LIMIT -1 OFFSET ?", (KEEP_SNAPSHOTS,))]
        for old_id in old_ids:
            for table in ("repo", "repo_check", "org_state"):
                conn.execute(f"DELETE FROM {table} WHERE snapshot_id = ?", (old_id,))
            conn.execute("DELETE FROM snapshot WHERE id = ?", (old_id,))

    # -- reading -------------------------------------------------------------------------------

    def snapshots(self) -> list[Snapshot]:
        """All kept snapshots, oldest first."""
        ids = [r[0] for r in self.conn.execute("SELECT id FROM snapshot ORDER BY id")]
        return [s for s in (self.snapshot(i) for i in ids) if s is not None]

    def latest(self) -> Snapshot | None:
        row = self.conn.execute("SELECT max(id) FROM snapshot").fetchone()
        return self.snapshot(row[0]) if row and row[0] is not None else None

    def snapshot(self, sid: int) -> Snapshot | None:
        row = self.conn.execute(
            "SELECT id, started_at, finished_at, endpoint FROM snapshot WHERE id = ?", (sid,)).fetchone()
        if row is None:
            return None
        orgs = tuple(
            OrgResult(vendor=v, org=o, ok=(s != "failed"), repos=n, error=e, fetched_at=f or "")
            for v, o, s, n, e, f in self.conn.execute(
                "SELECT vendor, org, status, repos, error, fetched_at FROM org_state"
                " WHERE snapshot_id = ? ORDER BY vendor, org", (sid,)))
        # No repo count here: at 100k repos it is an index scan (~6 ms) that every start paid for
        # a number only `diff --json` shows; repo_counts() gives it to whoever asks.
        return Snapshot(id=row[0], started_at=row[1], finished_at=row[2], endpoint=row[3], orgs=orgs)

    def org_states(self, sid: int) -> dict[str, tuple[str, str, str | None]]:
        """org -> (status, error, fetched_at) for one snapshot."""
        return {o: (s, e, f) for o, s, e, f in self.conn.execute(
            "SELECT org, status, error, fetched_at FROM org_state WHERE snapshot_id = ?", (sid,))}

    def repos(self, sid: int, *, vendor: str | None = None) -> Iterator[HubRepo]:
        sql = "SELECT " + ", ".join(REPO_COLUMNS) + " FROM repo WHERE snapshot_id = ?"
        args: tuple = (sid,)
        if vendor is not None:
            sql += " AND vendor = ?"
            args = (sid, vendor)
        for row in self.conn.execute(sql, args):
            yield repo_from_row(row)

    def repos_by_key(self, sid: int, keys: Iterable[str]) -> dict[str, HubRepo]:
        """Repos of one snapshot by lower-cased id, for the given keys only."""
        keys = list({k.lower() for k in keys})
        out: dict[str, HubRepo] = {}
        sql_head = "SELECT " + ", ".join(REPO_COLUMNS) + " FROM repo WHERE snapshot_id = ? AND repo_key IN "
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for row in self.conn.execute(sql_head + "(" + ",".join("?" * len(chunk)) + ")", (sid, *chunk)):
                repo = repo_from_row(row)
                out[repo.repo_id.lower()] = repo
        return out

    def repo_counts(self, sid: int) -> dict[str, int]:
        """vendor -> number of repos in the snapshot (one index scan: ~10 ms at 100k repos)."""
        if sid not in self._repo_counts:
            self._repo_counts[sid] = dict(self.conn.execute(
                "SELECT vendor, count(*) FROM repo WHERE snapshot_id = ? GROUP BY vendor", (sid,)))
        return self._repo_counts[sid]

    def checks(self, sid: int) -> dict[str, RepoCheck]:
        """Lower-cased repo id -> model_info answer, for one snapshot."""
        # The schema's 'error' state and error column are never written (a failed call keeps the
        # previous answer); they stay in the table so caches written before remain readable.
        return {key: RepoCheck(repo_id=rid, state=state, fetched_at=at, renamed_to=renamed,
                               children=children, gated=gated)
                for key, rid, state, renamed, children, gated, at in self.conn.execute(
                    "SELECT repo_key, repo_id, state, renamed_to, children, gated, fetched_at"
                    " FROM repo_check WHERE snapshot_id = ? AND state != 'error'", (sid,))}


def _writer(path: Path) -> sqlite3.Connection:
    try:
        return cachefile.connect_writer(path)
    except sqlite3.Error as exc:
        raise CacheError(f"cannot write cache {path}: {why(exc)}") from None


def _move_aside(path: Path, problem: str) -> str:
    """Rename a damaged cache (and its journal/WAL) out of the way; return the one-line warning."""
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    try:
        os.replace(path, aside)
        for suffix in ("-journal", "-wal", "-shm"):
            side = Path(str(path) + suffix)
            if side.exists():
                os.replace(side, Path(str(aside) + suffix))
    except OSError as exc:
        raise CacheError(f"cache {path} is unusable ({problem}) and could not be moved aside: "
                         f"{exc.strerror or exc}") from None
    return f"cache {path} was unusable ({problem}); moved aside to {aside.name}, starting from the catalog"
