"""Loading the dataset for the explorer (catalog via the pickle cache, store read-only)."""

from __future__ import annotations

from pathlib import Path

from qwen_tui.paths import Paths
from qwen_tui.query import Dataset
from qwen_tui.store import Store
from qwen_tui.tui.catalog_cache import cached_catalog


def load_dataset(paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...] = (),
                 *, use_cache: bool = True) -> Dataset:
    """What `Dataset.load` does, with the parsed catalog memoised on disk for a fast start."""
    dirs: list[Path] = []
    if paths.user_catalog_dir.is_dir():
        dirs.append(paths.user_catalog_dir)
    dirs.extend(Path(d) for d in catalog_dirs)
    catalog = cached_catalog(dirs, paths.cache_dir)
    store, warning = Store.open_readonly(paths.cache_db) if use_cache else (None, "")
    return Dataset(catalog, store, warning)
