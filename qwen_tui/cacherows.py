"""HubRepo <-> a row of the cache's `repo` table, fast (a refresh writes ~100k in one transaction,
the explorer reads as many), and counts kept within what SQLite can hold."""

from __future__ import annotations

import json
import operator
from dataclasses import fields

from qwen_tui.evidence import HubRepo

MAX_INT = 2**63 - 1  # SQLite's INTEGER range; a count beyond it (or below 0) is stored as unknown

REPO_COLUMNS = [f.name for f in fields(HubRepo)]
_get_repo_fields = operator.attrgetter(*REPO_COLUMNS)
_TAGS_AT, _BASE_AT = REPO_COLUMNS.index("tags"), REPO_COLUMNS.index("base_models")
_PRIVATE_AT, _DISABLED_AT = REPO_COLUMNS.index("private"), REPO_COLUMNS.index("disabled")
_COUNTS_AT = tuple(REPO_COLUMNS.index(c) for c in ("downloads", "downloads_all_time", "likes", "params", "children"))
REPO_TABLE_COLUMNS = ", ".join(["repo_id", "repo_key", *REPO_COLUMNS[1:]])


def storable_count(value: object) -> int | None:
    """A count as SQLite can hold it: None for anything out of range, negative or not an int."""
    return value if type(value) is int and 0 <= value <= MAX_INT else None


def repo_row(sid: int, r: HubRepo) -> tuple:
    # One C-level attrgetter per row: a refresh writes tens of thousands of them in one transaction.
    values = list(_get_repo_fields(r))
    values[_TAGS_AT] = _json_strings(values[_TAGS_AT])
    values[_BASE_AT] = _json_strings(values[_BASE_AT])
    values[_PRIVATE_AT] = int(bool(values[_PRIVATE_AT]))
    values[_DISABLED_AT] = int(bool(values[_DISABLED_AT]))
    for at in _COUNTS_AT:
        if values[at] is not None:
            values[at] = storable_count(values[at])
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


def repo_from_row(row: tuple) -> HubRepo:
    # Positional, in the dataclass's field order (the SELECT's order): 100k repos are read when
    # the explorer shows the discovered ones, and keyword unpacking costs twice as much.
    values = list(row)
    values[_TAGS_AT] = _json_tuple(values[_TAGS_AT])
    values[_BASE_AT] = _json_tuple(values[_BASE_AT])
    values[_PRIVATE_AT] = bool(values[_PRIVATE_AT])
    values[_DISABLED_AT] = bool(values[_DISABLED_AT])
    return HubRepo(*values)
