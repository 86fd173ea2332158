"""`trends` and `shifts`: how openness changed over time, answered headless."""

from __future__ import annotations

import argparse
import csv
import sys

from qwen_tui.cli import add_common_options
from qwen_tui.cli.common import check_vendor, load_dataset
from qwen_tui.present.wording import data_age

TREND_COLUMNS = ("vendor", "period", "open_weight", "gated", "cloud_only", "withdrawn")


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trends", help="per vendor and year (or quarter): open / gated / cloud-only / withdrawn",
                       description="How many releases of each vendor were open-weight, gated, "
                                   "cloud-only or withdrawn, per year or quarter (the statuses "
                                   "`list` shows).")
    p.add_argument("--vendor", metavar="V", action="append", default=[],
                   help="only this vendor; repeatable")
    p.add_argument("--by", choices=("year", "quarter"), default="year", help="period (default: year)")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON array")
    fmt.add_argument("--csv", action="store_true", help="CSV with a header row")
    add_common_options(p)
    p.set_defaults(handler=cmd_trends)

    p = sub.add_parser("shifts", help="when a vendor's flagships went cloud-only, or opened up",
                       description="Policy shifts of vendors' sourced flagships (rules: docs/pivot.md).")
    p.add_argument("--json", action="store_true", help="one JSON array")
    add_common_options(p)
    p.set_defaults(handler=cmd_shifts)


def cmd_trends(args: argparse.Namespace) -> int:
    from qwen_tui.pivot.trends import trend_grid

    ds = load_dataset(args)
    # `--vendor a --vendor a` counts once; check_vendor returns a name for every name it is given.
    vendors = list(dict.fromkeys(v for v in (check_vendor(ds, name) for name in args.vendor) if v)) or None
    grid = trend_grid(ds, vendors, by=args.by)
    rows = [(r.vendor, r.period, r.cell.open_weight, r.cell.gated, r.cell.cloud_only, r.cell.withdrawn)
            for r in grid.rows()]
    from qwen_tui.cli.catalog_cmds import _json_array, _table

    if args.json:
        _json_array(dict(zip(TREND_COLUMNS, row, strict=True)) for row in rows)
    elif args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(TREND_COLUMNS)
        w.writerows(rows)
    else:
        _table(["vendor", "period", "open", "gated", "cloud-only", "withdrawn"],
               [[str(c) for c in row] for row in rows if sum(row[2:])],
               title=f"releases per {args.by} · {data_age(ds.snapshot, with_time=True, tracker=ds.tracker)}"
                     " (empty periods left out)")
    return 0


def cmd_shifts(args: argparse.Namespace) -> int:
    from qwen_tui.catalog.flagships import load_flagships
    from qwen_tui.pivot.shifts import find_shifts

    ds = load_dataset(args)
    shifts = find_shifts(ds.catalog, load_flagships(ds.catalog, catalog_dirs(args)))
    from qwen_tui.cli.catalog_cmds import _json_array, _table

    if args.json:
        _json_array(s.as_dict() for s in shifts)
        return 0
    names = {r.id: r.name for r in ds.catalog.releases}
    _table(["date", "vendor", "direction", "release", "after"],
           [[s.date, s.vendor, s.direction, names[s.release], names[s.previous]] for s in shifts],
           title=f"{len(shifts)} policy shifts of sourced flagships (rules: docs/pivot.md)")
    return 0


def catalog_dirs(args: argparse.Namespace) -> list:
    """The catalog folders over the bundled one, as `Dataset.load` reads them."""
    from qwen_tui.paths import default_paths
    from qwen_tui.query import catalog_folders

    return catalog_folders(default_paths(), args.catalog)
