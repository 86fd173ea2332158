"""`list --json`'s rows, memoised.

With 5,000 models.dev entries stored (3,000 rows, ten times the catalog's), decoding the merged
releases, reconciling them with the Hub and encoding each row cost ~150 ms of a ~210 ms command,
and none of it changes until the catalog, the models.dev snapshot, the Hub cache or the code does.
So the rows' JSON texts are memoised, with what the filters need (vendor, status, month) and the
vendor ids (to accept --vendor), in the order `list` prints them.

The memo is JSON in the cache dir (never a pickle: see catalog/memo.py), read through
`read_memo` (a file with escapes or characters the catalog refuses was not written by us: it is
ignored). Its name is a digest of everything the rows are made of: the catalog's memo key (the
package version, the catalog code, every catalog file: the user's folder and --catalog folders
included), the merged releases' key (the models.dev snapshot's digest or the bundled copy, the
merge code), the cache file (its path, and the size and mtime of it and its WAL: every write moves
one of them) with its newest snapshot, and this package's own modules. Only a run that met no
warning writes it; a missing, stale or damaged memo only means building the rows again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from qwen_tui.catalog.memo import read_memo, write_memo, write_memo_text
from qwen_tui.text import UNSAFE

if TYPE_CHECKING:
    from qwen_tui.model import PartialDate, Status
    from qwen_tui.paths import Paths
    from qwen_tui.query import Dataset

MEMO_GLOB = "listed-*.json"

# UNSAFE (text.py) less the newline, which ends each row of the array as printed.
_UNSAFE_IN_LINES = re.compile(UNSAFE.pattern.replace("\x00-\x1f", "\x00-\x09\x0b-\x1f", 1))

@dataclass(frozen=True)
class Rows:
    """Every catalogued entry as `list --json` prints it, newest first: `body` is that JSON
    array, one element per line. Beside it, per row, what the filters read (vendor, status, and
    year * 100 + month, 0 when undated), and the vendor ids --vendor may name."""

    vendors: tuple[str, ...]
    row_vendors: tuple[str, ...]
    statuses: tuple[str, ...]
    months: tuple[int, ...]
    body: str

    @classmethod
    def of(cls, ds: Dataset) -> Rows:
        from qwen_tui.serialize import entry_dict

        entries = ds.entries()
        lines = [json.dumps(entry_dict(e), ensure_ascii=False) for e in entries]
        return cls(tuple(ds.catalog.vendors), tuple(e.vendor for e in entries),
                   tuple(e.status.value for e in entries),
                   tuple(e.date.year * 100 + e.date.month if e.date else 0 for e in entries),
                   "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[\n]\n")

    def select(self, vendor: str | None, statuses: Iterable[Status] | None, since: PartialDate | None) -> str:
        """The JSON array `Dataset.entries(vendor=, statuses=, since=)` would give, in its order
        (a filter keeps the order of what it filters, and that order is a stable sort's)."""
        if vendor is None and not statuses and since is None:
            return self.body
        wanted = {s.value for s in statuses} if statuses else None
        lo = since.year * 100 + since.month if since is not None else 0
        lines = self.body.split("\n")[1:-2]
        kept = [line.removesuffix(",") for line, v, status, month
                in zip(lines, self.row_vendors, self.statuses, self.months, strict=True)
                if (vendor is None or v == vendor) and (wanted is None or status in wanted)
                and (not lo or month >= lo)]
        return "[\n" + ",\n".join(kept) + "\n]\n" if kept else "[\n]\n"


def memo_path(paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...], *, use_cache: bool) -> Path | None:
    """Where the rows of this catalog, models.dev source and cache are memoised (None when that
    cannot be told). Nothing is read but file metadata: the cache file is not even opened."""
    from qwen_tui.memokey import inputs_digest

    digest = inputs_digest(paths, catalog_dirs, use_cache=use_cache,
                           code=sorted(Path(__file__).parent.glob("*.py")))
    return Path(paths.cache_dir) / f"listed-{digest}.json" if digest else None


def read(memo: Path) -> Rows | None:
    """The memoised rows, or None: missing, unreadable, or not written by us (a character the
    rows never hold, an escape, a shape `write` never makes)."""
    index = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[int, ...]]
    found = read_memo(_index(memo), index)
    if found is None:
        return None
    vendors, row_vendors, statuses, months = cast(index, found)
    try:
        body = memo.read_bytes().decode("utf-8")
    except (OSError, ValueError):
        return None
    if "\\u" in body or _UNSAFE_IN_LINES.search(body):
        return None
    n = len(row_vendors)
    if not (len(statuses) == len(months) == n and body.count("\n") == n + 2 and body.startswith("[\n")
            and body.endswith("\n]\n")):
        return None
    return Rows(vendors, row_vendors, statuses, months, body)


def write(memo: Path, rows: Rows) -> None:
    """The rows as `list --json` prints them, then the index that makes them a memo (a reader
    needs both)."""
    write_memo_text(memo, rows.body, MEMO_GLOB)
    write_memo(_index(memo), (rows.vendors, rows.row_vendors, rows.statuses, rows.months))


def _index(memo: Path) -> Path:
    return memo.with_name(memo.name.replace(".json", ".index.json"))
