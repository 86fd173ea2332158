"""Start fast: the parsed catalog, pickled under the cache dir, keyed by every catalog file's stat.

Parsing ~250 releases of TOML takes ~120 ms, over a third of the first-paint budget; unpickling
the result takes a few. Any change to a catalog file (or to qwen-tui) changes the key, and any
problem reading the pickle means "parse again" — never an error (the harlequin catalog-cache idea).
The file is in the user's own cache dir, written by this program: the same trust as the cache db.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path

from qwen_tui import __version__
from qwen_tui.catalog import BUNDLED_DIR
from qwen_tui.catalog.loader import load_catalog
from qwen_tui.model import Catalog

FILE = "catalog-v1.pickle"


def fingerprint(dirs: list[Path]) -> str:
    h = hashlib.sha256(f"{__version__} {sys.version} {[str(d) for d in dirs]}".encode())
    for root in [BUNDLED_DIR, *dirs]:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                h.update(f"{dirpath}/{name} {st.st_mtime_ns} {st.st_size}\n".encode())
    return h.hexdigest()


def cached_catalog(dirs: list[Path], cache_dir: Path | None) -> Catalog:
    """`load_catalog(dirs)`, from the pickle when the catalog files have not changed."""
    if cache_dir is None:
        return load_catalog(dirs)
    path = cache_dir / FILE
    key = fingerprint(dirs)
    try:
        with open(path, "rb") as fh:
            stored_key, catalog = pickle.load(fh)
        if stored_key == key and isinstance(catalog, Catalog):
            return catalog
    except Exception:  # noqa: BLE001 - any unreadable pickle just means "parse the TOML"
        pass
    catalog = load_catalog(dirs)  # a CatalogError here is the user's to see: let it through
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump((key, catalog), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache dir only costs start-up time
    return catalog
