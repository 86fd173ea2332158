"""`refresh`, `diff` and `paths`: the Hub cache. (Being built; see issue 4.)"""

from __future__ import annotations

import argparse


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("paths", help="every path qwen-tui reads or writes")
    p.set_defaults(handler=cmd_paths)


def cmd_paths(args: argparse.Namespace) -> int:
    from qwen_tui.catalog.loader import BUNDLED_DIR
    from qwen_tui.paths import default_paths

    p = default_paths()
    for name, path in [
        ("cache dir", p.cache_dir), ("cache db", p.cache_db), ("log", p.log_file),
        ("config dir", p.config_dir), ("config file", p.config_file),
        ("user catalog", p.user_catalog_dir), ("bundled catalog", BUNDLED_DIR),
    ]:
        print(f"{name:16} {path}")
    return 0
