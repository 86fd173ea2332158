"""The local cache: one SQLite file of Hub snapshots.

Each refresh is written as one snapshot in one transaction, so a refresh that dies half-way (even
by SIGKILL) leaves the last good snapshot as it was: SQLite's journal rolls the partial one back.
Orgs that a refresh did not fetch (not asked for, or failed) are carried over from the previous
snapshot, so the newest snapshot is always the whole picture and `diff` compares like with like.

A file that is not a readable cache of our schema is moved aside (never deleted) and the caller is
told why, in one line.
"""

from __future__ import annotations

import json
import operator
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from dataclasses import fields
from pathlib import Path

from qwen_tui.errors import CacheError
from qwen_tui.evidence import HubRepo, OrgResult, RepoCheck, Snapshot

SCHEMA_VERSION = 1
KEEP_SNAPSHOTS = 12  # older snapshots are pruned when a new one is written

_SCHEMA = """
CREATE TABLE snapshot (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    endpoint TEXT NOT NULL
);
CREATE TABLE org_state (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
    vendor TEXT NOT NULL,
    org TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'carried')),
    repos INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    fetched_at TEXT,            -- when the repo rows held for this org were fetched (NULL: none)
    PRIMARY KEY (snapshot_id, org)
);
CREATE TABLE repo (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
    repo_id TEXT NOT NULL,
    repo_key TEXT NOT NULL,     -- lower-cased repo_id: Hub ids are case-insensitive
    org TEXT NOT NULL,
    vendor TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    created_at TEXT, last_modified TEXT,
    downloads INTEGER, downloads_all_time INTEGER, likes INTEGER,
    gated TEXT, license TEXT NOT NULL DEFAULT '', license_name TEXT NOT NULL DEFAULT '',
    pipeline_tag TEXT NOT NULL DEFAULT '', library_name TEXT NOT NULL DEFAULT '',
    params INTEGER, tags TEXT NOT NULL DEFAULT '[]', base_models TEXT NOT NULL DEFAULT '[]',
    children INTEGER, renamed_to TEXT NOT NULL DEFAULT '',
    private INTEGER NOT NULL DEFAULT 0, disabled INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (snapshot_id, repo_key)
);
CREATE INDEX repo_vendor ON repo(snapshot_id, vendor);
-- model_info answers for catalogued repos: children counts, renames (307) and 404s.
CREATE TABLE repo_check (
    snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
    repo_key TEXT NOT NULL,
    repo_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('found', 'renamed', 'missing', 'error')),
    renamed_to TEXT NOT NULL DEFAULT '',
    children INTEGER,
    gated TEXT,
    error TEXT NOT NULL DEFAULT '',
    fetched_at TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, repo_key)
);
"""

_REPO_COLUMNS = [f.name for f in fields(HubRepo)]
_get_repo_fields = operator.attrgetter(*_REPO_COLUMNS)
_TAGS_AT, _BASE_AT = _REPO_COLUMNS.index("tags"), _REPO_COLUMNS.index("base_models")
_PRIVATE_AT, _DISABLED_AT = _REPO_COLUMNS.index("private"), _REPO_COLUMNS.index("disabled")
_REPO_TABLE_COLUMNS = ", ".join(["repo_id", "repo_key"] + _REPO_COLUMNS[1:])


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """Snapshots of Hub evidence in one SQLite file. Open with `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._repo_counts: dict[int, dict[str, int]] = {}  # a written snapshot never changes

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> tuple[Store | None, str]:
        """Open (or create) the cache. Returns (store, warning).

        store is None when there is no cache and `create` is False. A corrupt or foreign file is
        renamed to `<name>.corrupt-<time>` and the warning says so; a fresh cache replaces it.
        """
        path = Path(path)
        if not path.exists() and not create:
            return None, ""
        warning = ""
        if path.exists():
            problem = _check_file(path)
            if problem:
                aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
                try:
                    os.replace(path, aside)
                    for suffix in ("-journal", "-wal", "-shm"):
                        side = Path(str(path) + suffix)
                        if side.exists():
                            os.replace(side, Path(str(aside) + suffix))
                except OSError as exc:
                    raise CacheError(
                        f"cache {path} is unusable ({problem}) and could not be moved aside: "
                        f"{exc.strerror or exc}") from None
                warning = f"cache {path} was unusable ({problem}); moved aside to {aside.name}, starting from the catalog"
                if not create:
                    return None, warning
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise CacheError(f"cannot create cache dir {path.parent}: {exc.strerror or exc}") from None
        try:
            conn = _connect(path)
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                with conn:
                    conn.executescript(_SCHEMA)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise CacheError(f"cannot write cache {path}: {_why(exc)}") from None
        return cls(conn, path), warning

    @classmethod
    def open_readonly(cls, path: Path) -> tuple[Store | None, str]:
        """Open an existing cache for reading only (no file is created). (None, "") if none."""
        path = Path(path)
        if not path.exists():
            return None, ""
        problem = _check_file(path, thorough=False)
        if problem:
            # Reading never moves files: report it; the next writing open moves it aside.
            return None, f"cache {path} is unusable ({problem}); ignoring it"
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            conn.execute("PRAGMA query_only = 1")
        except sqlite3.Error as exc:
            return None, f"cache {path} cannot be read ({_why(exc)}); ignoring it"
        return cls(conn, path), ""

    def close(self) -> None:
        self.conn.close()

    # -- writing -------------------------------------------------------------------------------

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
        attempted = {r.org for r in results}
        ok_orgs = {r.org for r in results if r.ok}
        conn = self.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            prev = conn.execute("SELECT max(id) FROM snapshot").fetchone()[0]
            cur = conn.execute(
                "INSERT INTO snapshot (started_at, finished_at, endpoint) VALUES (?, ?, ?)",
                (started_at, now_iso(), endpoint))
            sid = cur.lastrowid
            conn.executemany(
                f"INSERT INTO repo (snapshot_id, {_REPO_TABLE_COLUMNS}) VALUES (?, "
                + ", ".join("?" * (len(_REPO_COLUMNS) + 1)) + ")",
                (_repo_row(sid, r) for r in repos if r.org in ok_orgs))
            for r in results:
                if r.ok:
                    conn.execute(
                        "INSERT INTO org_state VALUES (?, ?, ?, 'ok', ?, '', ?)",
                        (sid, r.vendor, r.org, r.repos, r.fetched_at))
            # Orgs whose data is carried over: failed now, or not asked for this time.
            carry: list[tuple[str, str, str, str]] = []
            for r in results:
                if not r.ok:
                    carry.append((r.vendor, r.org, "failed", r.error))
            for vendor, org in all_orgs:
                if org not in attempted:
                    carry.append((vendor, org, "carried", ""))
            for vendor, org, status, error in carry:
                old = None
                if prev is not None:
                    old = conn.execute(
                        "SELECT repos, fetched_at, error FROM org_state WHERE snapshot_id = ? AND org = ?",
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
                        f"INSERT INTO repo (snapshot_id, {_REPO_TABLE_COLUMNS}) SELECT ?, "
                        f"{_REPO_TABLE_COLUMNS} FROM repo WHERE snapshot_id = ? AND org = ?",
                        (sid, prev, org))
            conn.executemany(
                "INSERT OR REPLACE INTO repo_check VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((sid, c.repo_id.lower(), c.repo_id, c.state, c.renamed_to, c.children, c.gated, "",
                  c.fetched_at) for c in checks))
            # Keep model_info answers of carried orgs' repos too: copy the previous ones we lack.
            if prev is not None:
                conn.execute(
                    "INSERT OR IGNORE INTO repo_check SELECT ?, repo_key, repo_id, state, renamed_to,"
                    " children, gated, error, fetched_at FROM repo_check WHERE snapshot_id = ?",
                    (sid, prev))
            old_ids = [row[0] for row in conn.execute(
                "SELECT id FROM snapshot ORDER BY id DESC LIMIT -1 OFFSET ?", (KEEP_SNAPSHOTS,))]
            for old_id in old_ids:
                for table in ("repo", "repo_check", "org_state"):
                    conn.execute(f"DELETE FROM {table} WHERE snapshot_id = ?", (old_id,))
                conn.execute("DELETE FROM snapshot WHERE id = ?", (old_id,))
            conn.execute("COMMIT")
        except BaseException as exc:
            # BaseException: a KeyboardInterrupt mid-write must roll back too.
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise CacheError(f"cannot write cache {self.path}: {_why(exc)}; "
                                 "the previous snapshot is unchanged") from None
            raise
        snap = self.snapshot(sid)
        assert snap is not None
        return snap

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
        count = sum(self.repo_counts(sid).values())  # the explorer needs the per-vendor counts too
        return Snapshot(id=row[0], started_at=row[1], finished_at=row[2], endpoint=row[3],
                        orgs=orgs, repo_count=count)

    def org_states(self, sid: int) -> dict[str, tuple[str, str, str | None]]:
        """org -> (status, error, fetched_at) for one snapshot."""
        return {o: (s, e, f) for o, s, e, f in self.conn.execute(
            "SELECT org, status, error, fetched_at FROM org_state WHERE snapshot_id = ?", (sid,))}

    def repos(self, sid: int, *, vendor: str | None = None) -> Iterator[HubRepo]:
        sql = "SELECT " + ", ".join(_REPO_COLUMNS) + " FROM repo WHERE snapshot_id = ?"
        args: tuple = (sid,)
        if vendor is not None:
            sql += " AND vendor = ?"
            args = (sid, vendor)
        for row in self.conn.execute(sql, args):
            yield _repo_from_row(row)

    def repos_by_key(self, sid: int, keys: Iterable[str]) -> dict[str, HubRepo]:
        """Repos of one snapshot by lower-cased id, for the given keys only."""
        keys = list({k.lower() for k in keys})
        out: dict[str, HubRepo] = {}
        sql_head = "SELECT " + ", ".join(_REPO_COLUMNS) + " FROM repo WHERE snapshot_id = ? AND repo_key IN "
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for row in self.conn.execute(sql_head + "(" + ",".join("?" * len(chunk)) + ")", (sid, *chunk)):
                repo = _repo_from_row(row)
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


def _connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so one refresh is one transaction.
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _check_file(path: Path, *, thorough: bool = True) -> str:
    """'' when `path` is a readable cache of our schema version, else what is wrong with it.

    `thorough` runs SQLite's quick_check, which reads the whole file: right before writing a
    snapshot, but too slow for start-up (36 ms warm, ~340 ms cold for 100k repos). Without it the
    header, schema version and file length are checked; damage inside a page surfaces as
    sqlite3.DatabaseError when read, which `query.Dataset` turns into "ignoring the cache".
    """
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if head and head != b"SQLite format 3\x00":
        return "not an SQLite file"
    if not head:
        return "empty file"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if thorough:
                result = conn.execute("PRAGMA quick_check").fetchone()[0]
            else:
                pages = conn.execute("PRAGMA page_count").fetchone()[0]
                page_size = conn.execute("PRAGMA page_size").fetchone()[0]
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                result = "ok" if pages * page_size <= path.stat().st_size else "truncated"
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"corrupt: {_why(exc)}"
    if result != "ok":
        return f"corrupt: {str(result)[:80]}"
    if version not in (0, SCHEMA_VERSION):
        return f"schema version {version}, this qwen-tui reads {SCHEMA_VERSION}"
    return ""


def _why(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _repo_row(sid: int, r: HubRepo) -> tuple:
    # One C-level attrgetter per row: a refresh writes tens of thousands of them in one transaction.
    values = list(_get_repo_fields(r))
    values[_TAGS_AT] = _json_strings(values[_TAGS_AT])
    values[_BASE_AT] = _json_strings(values[_BASE_AT])
    values[_PRIVATE_AT] = int(bool(values[_PRIVATE_AT]))
    values[_DISABLED_AT] = int(bool(values[_DISABLED_AT]))
    return (sid, r.repo_id, r.repo_id.lower(), *values[1:])


def _json_strings(items: tuple[str, ...]) -> str:
    """json.dumps of a tuple of strings, without the encoder for the usual plain ones."""
    if not items:
        return "[]"
    body = '","'.join(items)
    # Printable text needs no escapes in JSON except quotes and backslashes; anything else: dumps.
    if not body.isprintable() or '\\' in body or body.count('"') != 2 * (len(items) - 1):
        return json.dumps(items)
    return '["' + body + '"]'


def _json_tuple(text: str) -> tuple:
    return () if text == "[]" else tuple(json.loads(text))  # most repos: no tags, no base


def _repo_from_row(row: tuple) -> HubRepo:
    # Positional, in the dataclass's field order (the SELECT's order): 100k repos are read when
    # the explorer shows the discovered ones, and keyword unpacking costs twice as much.
    values = list(row)
    values[_TAGS_AT] = _json_tuple(values[_TAGS_AT])
    values[_BASE_AT] = _json_tuple(values[_BASE_AT])
    values[_PRIVATE_AT] = bool(values[_PRIVATE_AT])
    values[_DISABLED_AT] = bool(values[_DISABLED_AT])
    return HubRepo(*values)
