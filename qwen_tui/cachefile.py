"""The cache's SQLite file: its schema, its mark, how it is opened, and what a file at its path is.

Kept apart from `store` (which reads and writes snapshots) because these are the rules about files
that are not, or not yet, a cache we can use:

* Ours: `PRAGMA application_id` is APPLICATION_ID (or the file is an unmarked schema-1 cache, which
  older qwen-tuis wrote, or an empty SQLite file). A file that is not ours is never written into.
* A newer schema (a higher `user_version`) is left untouched; it is read when it still has every
  column this version reads, and never written.
* The file is in WAL mode, so a reader never waits for a writer, and a writer killed mid-transaction
  leaves a WAL that SQLite ignores (uncommitted frames) or replays: a journal is never "corruption".
  Readers open read-write when they can, so that SQLite can also roll back a hot rollback journal
  left by a cache from before WAL.
* A lock held by another process is waited for, up to BUSY_TIMEOUT, then reported as busy.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from qwen_tui.errors import CacheError

APPLICATION_ID = 0x51775475  # "QwTu"
# 1: SCHEMA_SQL, unmarked; 2: marked with APPLICATION_ID, WAL mode; 3: + SOURCE_SQL (models.dev).
SCHEMA_VERSION = 3
BUSY_TIMEOUT = 5.0  # seconds to wait for another process's lock before saying "busy"

SCHEMA_SQL = """
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

# Schema 3: dated snapshots of the other live sources (models.dev), apart from the Hub's
# snapshots because they are fetched, revalidated and kept on their own. A schema-1 or -2 cache
# simply lacks the table (read as "no snapshot of that source": the bundled copy is used) until
# the next `refresh` adds it, in the same transaction that marks the file as schema 3.
SOURCE_SQL = """
CREATE TABLE IF NOT EXISTS source_snapshot (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,          -- 'models.dev'
    url TEXT NOT NULL,
    fetched_at TEXT NOT NULL,      -- when this body was downloaded
    checked_at TEXT NOT NULL,      -- when the source last confirmed it (a 304 moves only this)
    etag TEXT NOT NULL DEFAULT '',
    digest TEXT NOT NULL,          -- sha256 of `entries`: the merged-releases memo is keyed by it
    entries TEXT NOT NULL,         -- JSON {key: entry}: the kept fields of our labs' entries
    kept INTEGER NOT NULL,
    dropped TEXT NOT NULL DEFAULT '{}'  -- JSON {reason: count}
);
CREATE INDEX IF NOT EXISTS source_snapshot_source ON source_snapshot(source, id);
"""

# The columns this version reads: a newer cache that still has them all can be read.
READ_COLUMNS = {
    "snapshot": {"id", "started_at", "finished_at", "endpoint"},
    "org_state": {"snapshot_id", "vendor", "org", "status", "repos", "error", "fetched_at"},
    "repo": {"snapshot_id", "repo_id", "repo_key", "org", "vendor", "fetched_at", "created_at", "last_modified",
             "downloads", "downloads_all_time", "likes", "gated", "license", "license_name", "pipeline_tag",
             "library_name", "params", "tags", "base_models", "children", "renamed_to", "private", "disabled"},
    "repo_check": {"snapshot_id", "repo_key", "repo_id", "state", "renamed_to", "children", "gated", "error",
                   "fetched_at"},
}


class CacheBusy(CacheError):
    """Another process holds the cache's lock for longer than we wait."""


class NotOurs(CacheError):
    """The file is another program's, or a newer qwen-tui's that this one must not write."""


@dataclass(frozen=True)
class Verdict:
    """What a file at the cache path is."""

    version: int = 0  # user_version; 0 for an empty file
    problem: str = ""  # corrupt or unreadable: the writer moves such a file aside
    refusal: str = ""  # not ours, or too new to write: left untouched, never moved
    readable: bool = True  # whether this version can read it


def uri(path: Path, mode: str) -> str:
    """A `file:` URI for sqlite3 with every special character (`#`, `%`, `?`, spaces) escaped."""
    return f"{Path(path).absolute().as_uri()}?mode={mode}"


def connect_writer(path: Path) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves (Store.atomic), one refresh one transaction.
    conn = sqlite3.connect(uri(path, "rwc"), uri=True, isolation_level=None, check_same_thread=False,
                           timeout=BUSY_TIMEOUT)
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def connect_reader(path: Path) -> sqlite3.Connection:
    """Open an existing cache to read. Read-write when the file allows it (so SQLite can recover a
    journal a killed writer left), else read-only; with a read-only directory and no WAL beside the
    file, as immutable (nobody can be writing it: there is nowhere to put a journal)."""
    try:
        conn = sqlite3.connect(uri(path, "rw"), uri=True, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        if is_busy(exc) or Path(f"{path}-wal").exists() or Path(f"{path}-journal").exists():
            raise
        conn = sqlite3.connect(uri(path, "ro") + "&immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    return conn


def _code(exc: BaseException) -> int | None:
    """SQLite's primary result code of an exception (the extended code's low byte)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_busy(exc: BaseException) -> bool:
    return _code(exc) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def busy(path: Path) -> CacheBusy:
    return CacheBusy(f"cache is busy: another qwen-tui is writing it ({path}); try again when it is done")


def file_header_problem(path: Path) -> str:
    """'' when the file starts like an SQLite database; else what it is."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    if not head:
        return "empty file"
    if head != b"SQLite format 3\x00":
        return "not an SQLite file"
    return ""


def judge(conn: sqlite3.Connection, path: Path, *, thorough: bool) -> Verdict:
    """What the open file is. A lock is raised as CacheBusy (never a verdict of corruption).

    `thorough` runs SQLite's quick_check, which reads the whole file: right before writing a
    snapshot, but too slow for start-up (36 ms warm, ~340 ms cold for 100k repos). Without it the
    header, mark, schema and file length are checked; damage inside a page surfaces as
    sqlite3.DatabaseError when read, which `query.Dataset` turns into "ignoring the cache".
    """
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if thorough:
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
        else:
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            check = "ok" if pages * page_size <= path.stat().st_size or Path(f"{path}-wal").exists() else "truncated"
        columns = {t: {row[1] for row in conn.execute(f"PRAGMA table_info({t})")} for t in READ_COLUMNS}
    except sqlite3.Error as exc:
        if is_busy(exc):
            raise busy(path) from None
        if _code(exc) not in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
            raise  # a read-only file, an I/O error: the caller says it cannot read or write
        return Verdict(problem=f"corrupt: {why(exc)}", readable=False)
    if check != "ok":
        return Verdict(problem=f"corrupt: {str(check)[:80]}", readable=False)
    ours = app_id == APPLICATION_ID or (app_id == 0 and version in (0, 1) and (not tables or version == 1))
    if not ours or (version == 1 and not set(READ_COLUMNS) <= tables):
        return Verdict(version, refusal=f"cache {path} is not a qwen-tui cache (another program's SQLite "
                                        "file); left untouched: move it, or set QWEN_TUI_CACHE_DIR",
                       readable=False)
    if version > SCHEMA_VERSION:
        readable = all(READ_COLUMNS[t] <= columns[t] for t in READ_COLUMNS)
        return Verdict(version, refusal=newer(path, version), readable=readable)
    return Verdict(version)


def newer(path: Path, version: int) -> str:
    return f"cache {path} was made by a newer qwen-tui (schema {version}); upgrade, or set QWEN_TUI_CACHE_DIR"


def prepare(conn: sqlite3.Connection, version: int) -> None:
    """Bring a cache of ours to SCHEMA_VERSION, in one transaction (the caller's)."""
    script = (SCHEMA_SQL if version == 0 else "") + (SOURCE_SQL if version < 3 else "")
    for statement in script.split(";\n"):  # not executescript: it commits first
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def why(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
