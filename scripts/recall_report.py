"""How many models.dev releases the catalog covers, per vendor (qwen_tui/modelsdev/recall.py).

    .venv/bin/python scripts/recall_report.py [--vendor V]... [--catalog DIR]... [--models-json FILE]

Reads the models.dev copy bundled in the package (or a models.json file), merges it with the
catalog as the app does, and prints per vendor: entries (aliases left out), releases, how many
the catalog covers, and the models.dev-only ones with their dates; then the total:
"catalog covers N of M models.dev releases, X%". models.dev is not a held-out list of notable
releases and lacks some labs: see docs/living-catalog.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.modelsdev.bundled import load_bundled
from qwen_tui.modelsdev.parse import parse_models_json
from qwen_tui.modelsdev.recall import percent, recall
from qwen_tui.modelsdev.releases import lab_vendors


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vendor", action="append", default=[])
    ap.add_argument("--catalog", action="append", default=[], type=Path)
    ap.add_argument("--models-json", type=Path, help="a models.json file instead of the bundled copy")
    args = ap.parse_args(argv)
    catalog = load_catalog(args.catalog)
    labs = lab_vendors(catalog)
    if args.models_json is not None:
        entries = parse_models_json(args.models_json.read_bytes(), labs=labs).entries
        print(f"models.dev: {args.models_json}")
    else:
        bundle = load_bundled(labs)
        entries = bundle.parsed.entries
        print(f"models.dev: bundled copy of {bundle.repository} at {bundle.commit[:7]} ({bundle.date})")
    rows = [r for r in recall(catalog, entries) if not args.vendor or r.vendor in args.vendor]
    print(f"{'vendor':<11} {'labs':<11} {'entries':>7} {'releases':>8} {'covered':>7} "
          f"{'models.dev-only':>15} {'recall':>7}")
    for r in rows:
        print(f"{r.vendor:<11} {','.join(r.labs):<11} {r.entries:>7} {r.releases:>8} {len(r.covered):>7} "
              f"{len(r.uncovered):>15} {percent(len(r.covered), r.releases):>7}")
    for r in rows:
        if r.uncovered:
            print(f"\n{r.vendor}: not in the catalog")
            for rel in r.uncovered:
                print(f"  {rel.date}  {rel.name} ({rel.id.removeprefix('models.dev/')})")
    covered = sum(len(r.covered) for r in rows)
    total = sum(r.releases for r in rows)
    print(f"\ncatalog covers {covered} of {total} models.dev releases, {percent(covered, total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
