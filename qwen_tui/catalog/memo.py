"""Memoise the validated catalog: parsing ~250 releases of TOML costs more than the rest of
`qwen-tui list --json`, and the files rarely change.

The memo is a pickle in the cache dir keyed by the package version and the path, size and mtime of
every catalog file; any problem reading or writing it only means parsing again. The parser
(`loader`) is imported only on a miss.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from qwen_tui.catalog import BUNDLED_DIR
from qwen_tui.model import Catalog


def load_catalog_memoised(extra_dirs: list[Path] | tuple[Path, ...] = (), *,
                          memo_dir: Path) -> Catalog:
    dirs = [BUNDLED_DIR] + [Path(d) for d in extra_dirs]
    memo = _memo_path(memo_dir, dirs)
    if memo is not None:
        try:
            with open(memo, "rb") as fh:
                cat = pickle.load(fh)
            if isinstance(cat, Catalog):
                return cat
        except Exception:  # noqa: BLE001 - a bad memo is only a missed shortcut
            pass
    from qwen_tui.catalog.loader import load_catalog

    cat = load_catalog(extra_dirs)
    if memo is not None:
        _write_memo(memo, cat)
    return cat


def _memo_path(memo_dir: Path, dirs: list[Path]) -> Path | None:
    from qwen_tui import __version__

    h = hashlib.sha256(f"{__version__}\n".encode())
    try:
        # The code that validates and the classes that are pickled are part of the key too.
        codes = sorted(Path(__file__).parent.glob("*.py")) + [Path(__file__).parent.parent / "model.py"]
        for code in codes:
            h.update(f"{code.stat().st_mtime_ns}\n".encode())
        for d in dirs:
            h.update(f"{d.resolve()}\n".encode())
            for path in sorted(d.rglob("*")):
                st = path.stat()
                h.update(f"{path.relative_to(d)} {st.st_size} {st.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return Path(memo_dir) / f"catalog-{h.hexdigest()[:24]}.pickle"


def _write_memo(memo: Path, cat: Catalog) -> None:
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        for old in memo.parent.glob("catalog-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = memo.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as fh:
            pickle.dump(cat, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, memo)
    except OSError:
        pass  # a read-only or full cache dir only costs the shortcut
