"""Print every release that breaks the sourcing rules (qwen_tui/catalog/sourcing.py).

    .venv/bin/python scripts/sourcing_report.py [--vendor V]... [--catalog DIR]...

Exit 1 when there is a problem, 0 when there is none; a per-vendor count comes first.
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.catalog.sourcing import catalog_problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vendor", action="append", default=[])
    ap.add_argument("--catalog", action="append", default=[], type=Path)
    args = ap.parse_args()
    catalog = load_catalog(args.catalog)
    problems = [p for p in catalog_problems(catalog) if not args.vendor or p.vendor in args.vendor]
    counts = collections.Counter(p.vendor for p in problems)
    releases = collections.Counter(r.vendor for r in catalog.releases)
    secondary = collections.Counter(r.vendor for r in catalog.releases if r.confidence)
    print(f"{'vendor':<12} {'releases':>8} {'secondary':>9} {'problems':>8}")
    for vid in sorted(catalog.vendors):
        if not args.vendor or vid in args.vendor:
            print(f"{vid:<12} {releases[vid]:>8} {secondary[vid]:>9} {counts[vid]:>8}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
