"""Dated snapshots of models.dev in the cache (table `source_snapshot`, schema 3; see cachefile).

A snapshot holds what the app maps of one fetched models.json: the validated entries of our labs
(as `{key: entry}` in models.json's own shape, so reading one back goes through the same parser as
a fetched body and the bundled copy), the dropped counts, the ETag to revalidate with, when it was
fetched and when the source last confirmed it (a 304 moves only `checked_at`). A failed fetch or an
unusable body writes nothing: the previous snapshot stays the one in use.

A cache from before schema 3 has no such table: every reader here answers "no snapshot".
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # the parser (its regexes) is imported only when entries are read or written
    from qwen_tui.modelsdev.parse import Parsed, TrackerEntry

SOURCE = "models.dev"
KEEP = 12  # snapshots of this source kept (as many as the Hub's)


@dataclass(frozen=True)
class SourceSnapshot:
    """One stored snapshot of models.dev, without its entries (read those with `entries_of`)."""

    id: int
    url: str
    fetched_at: str
    checked_at: str
    etag: str
    digest: str
    kept: int
    dropped: Mapping[str, int] = field(default_factory=dict)


def entry_json(e: TrackerEntry) -> dict:
    """A validated entry in models.json's shape (only the fields we map)."""
    d: dict = {"name": e.name}
    if e.family:
        d["family"] = e.family
    if e.release_date:
        d["release_date"] = str(e.release_date)
    if e.last_updated:
        d["last_updated"] = str(e.last_updated)
    if e.open_weights is not None:
        d["open_weights"] = e.open_weights
    if e.license:
        d["license"] = e.license
    if e.links:
        d["links"] = [{"url": x.url, "type": x.type, "label": x.label} for x in e.links]
    if e.weights:
        d["weights"] = [{"url": w.url, "label": w.label, "format": w.format, "quantization": w.quantization}
                        for w in e.weights]
    return d


def encode_entries(entries: Iterable[TrackerEntry]) -> str:
    return json.dumps({e.key: entry_json(e) for e in entries}, ensure_ascii=False, separators=(",", ":"),
                      sort_keys=True)


def _has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'source_snapshot'"
                        ).fetchone() is not None


_META = "id, url, fetched_at, checked_at, etag, digest, kept, dropped"


def _snap(row: tuple) -> SourceSnapshot:
    try:
        dropped = {str(k): int(v) for k, v in json.loads(row[7]).items()}
    except (ValueError, TypeError, AttributeError):
        dropped = {}
    return SourceSnapshot(row[0], row[1], row[2], row[3], row[4], row[5], row[6], dropped=dropped)


def snapshots(conn: sqlite3.Connection, limit: int = KEEP) -> list[SourceSnapshot]:
    """The newest `limit` snapshots of models.dev, newest first ([] before schema 3)."""
    if not _has_table(conn):
        return []
    return [_snap(r) for r in conn.execute(
        f"SELECT {_META} FROM source_snapshot WHERE source = ? ORDER BY id DESC LIMIT ?", (SOURCE, limit))]


def latest(conn: sqlite3.Connection) -> SourceSnapshot | None:
    found = snapshots(conn, 1)
    return found[0] if found else None


def entries_of(conn: sqlite3.Connection, sid: int, labs: Collection[str] | None = None) -> Parsed:
    """A snapshot's entries, validated again on the way out (the cache dir is not trusted more
    than the network: a hand-edited row is parsed like any body). ModelsDevError if unusable."""
    row = conn.execute("SELECT entries FROM source_snapshot WHERE id = ?", (sid,)).fetchone()
    from qwen_tui.modelsdev.parse import ModelsDevError, parse_models

    if row is None:
        raise ModelsDevError(f"models.dev snapshot {sid} is not in the cache")
    try:
        data = json.loads(row[0])
    except (ValueError, TypeError):
        raise ModelsDevError(f"models.dev snapshot {sid} in the cache is not JSON") from None
    return parse_models(data, labs=labs)


def save(conn: sqlite3.Connection, *, url: str, fetched_at: str, etag: str, parsed: Parsed) -> int:
    """Insert a new snapshot and prune old ones; the caller holds the transaction (Store.atomic)."""
    body = encode_entries(parsed.entries)
    digest = hashlib.sha256(body.encode()).hexdigest()
    sid = cast(int, conn.execute(  # an INSERT always sets lastrowid
        "INSERT INTO source_snapshot (source, url, fetched_at, checked_at, etag, digest, entries, kept, dropped)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (SOURCE, url, fetched_at, fetched_at, etag, digest, body, len(parsed.entries),
         json.dumps(dict(parsed.dropped), sort_keys=True))).lastrowid)
    conn.execute("DELETE FROM source_snapshot WHERE source = ? AND id NOT IN "
                 "(SELECT id FROM source_snapshot WHERE source = ? ORDER BY id DESC LIMIT ?)",
                 (SOURCE, SOURCE, KEEP))
    return sid


def touch(conn: sqlite3.Connection, sid: int, *, checked_at: str, etag: str) -> None:
    """The source answered 304: the snapshot is current as of `checked_at`."""
    conn.execute("UPDATE source_snapshot SET checked_at = ?, etag = ? WHERE id = ?", (checked_at, etag, sid))
