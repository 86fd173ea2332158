"""What changed in models.dev between its two newest stored snapshots (for `qwen-tui diff`).

Entries are compared by key, on the fields the app maps: added, removed, or changed (naming the
fields). Pure reading of the cache.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from qwen_tui.modelsdev import snapshot
from qwen_tui.modelsdev.parse import ModelsDevError


@dataclass(frozen=True)
class EntryChange:
    kind: str  # "added" | "removed" | "changed"
    key: str
    name: str
    fields: tuple[str, ...] = ()  # for "changed": which fields, "field: before -> after"


@dataclass(frozen=True)
class SourceDiff:
    old: snapshot.SourceSnapshot | None
    new: snapshot.SourceSnapshot | None
    changes: tuple[EntryChange, ...] = ()
    note: str = ""  # why there is nothing to compare


def _short(value: object) -> str:
    if isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    return "-" if value is None else str(value)


def diff_models_dev(conn: sqlite3.Connection) -> SourceDiff:
    snaps = snapshot.snapshots(conn, 2)
    if not snaps:
        return SourceDiff(None, None, note="models.dev: no snapshot yet (the bundled copy is in use); "
                                           "`qwen-tui refresh` fetches one")
    if len(snaps) == 1:
        return SourceDiff(None, snaps[0], note=f"models.dev: only one snapshot ({snaps[0].id}, fetched "
                                               f"{snaps[0].fetched_at}): nothing to compare yet")
    new, old = snaps
    try:
        before = {e.key: e for e in snapshot.entries_of(conn, old.id).entries}
        after = {e.key: e for e in snapshot.entries_of(conn, new.id).entries}
    except ModelsDevError as exc:
        return SourceDiff(old, new, note=f"models.dev: {exc}")
    out: list[EntryChange] = []
    for key in sorted(before.keys() | after.keys()):
        a, b = before.get(key), after.get(key)
        if a is None and b is not None:
            out.append(EntryChange("added", key, b.name))
        elif b is None and a is not None:
            out.append(EntryChange("removed", key, a.name))
        elif a is not None and b is not None:
            ja, jb = snapshot.entry_json(a), snapshot.entry_json(b)
            fields = tuple(f"{f}: {_short(ja.get(f))} -> {_short(jb.get(f))}"
                           for f in sorted(ja.keys() | jb.keys()) if ja.get(f) != jb.get(f))
            if fields:
                out.append(EntryChange("changed", key, b.name, fields))
    return SourceDiff(old, new, tuple(out))


def as_json(d: SourceDiff) -> dict:
    def snap(s: snapshot.SourceSnapshot | None) -> dict | None:
        return None if s is None else {"id": s.id, "fetched_at": s.fetched_at, "checked_at": s.checked_at,
                                       "url": s.url, "entries": s.kept}

    doc: dict[str, object] = {"from": snap(d.old), "to": snap(d.new),
           "changes": [{"kind": c.kind, "key": c.key, "name": c.name, "fields": list(c.fields)}
                       for c in d.changes]}
    if d.note:
        doc["note"] = d.note
    return doc


def as_lines(d: SourceDiff) -> list[str]:
    if d.old is None or d.new is None or d.note:
        return [d.note]
    lines = [f"models.dev: changes from snapshot {d.old.id} ({d.old.fetched_at}) to snapshot {d.new.id} "
             f"({d.new.fetched_at}): {len(d.changes)}"]
    width = max((len(c.kind) for c in d.changes), default=0)
    for c in d.changes:
        tail = "; ".join(c.fields) if c.fields else c.name
        lines.append(f"  {c.kind:<{width}}  {c.key}  {tail}")
    return lines
