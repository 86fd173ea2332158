"""What memos of derived views (`list --json`'s rows, the explorer's first screen) are named by.

A digest of file metadata alone, so finding a memo opens neither the cache nor another memo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from qwen_tui.catalog.memo import catalog_key

if TYPE_CHECKING:
    from qwen_tui.paths import Paths


def inputs_digest(paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...], *, use_cache: bool,
                  code: Iterable[Path]) -> str:
    """A digest of what the releases shown are made of ("" when that cannot be told): the
    catalog's memo key (its files, the user's folder and `catalog_dirs` included), the merged
    releases' key (the models.dev source, the merge code), the modules in `code`, and the cache
    file's state (unless `use_cache` is False). Only file metadata is read."""
    from qwen_tui.modelsdev.releases import inputs_key
    from qwen_tui.query import catalog_folders

    ckey = catalog_key(catalog_folders(paths, catalog_dirs), memo_dir=paths.cache_dir)
    rkey = inputs_key()
    if not (ckey and rkey):
        return ""
    h = hashlib.sha256(f"{ckey}\n{rkey}\n".encode())
    try:
        for module in code:
            h.update(f"{module} {module.stat().st_mtime_ns}\n".encode())
        if use_cache:
            h.update(_cache_state(Path(paths.cache_db)).encode())
    except OSError:
        return ""
    return h.hexdigest()[:24]


def _cache_state(db: Path) -> str:
    """The cache file as the rows depend on it: every write moves its size or mtime, or its WAL's
    (the models.dev snapshots are in it too). An empty WAL holds nothing: every open makes one."""
    db = db.absolute()
    state = [f"cache {db}"]
    for f in (db, db.with_name(db.name + "-wal")):
        try:
            st = f.stat()
        except FileNotFoundError:
            continue
        if st.st_size or f is db:
            state.append(f"{f.name} {st.st_ino} {st.st_size} {st.st_mtime_ns}")
    return "\n".join(state)
