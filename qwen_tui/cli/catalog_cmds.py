"""`list`, `vendors` and `license`: the catalog (and cache) answered headless."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Set as AbstractSet

from qwen_tui.cli import add_common_options
from qwen_tui.cli.common import check_vendor, is_terminal, load_dataset, parse_month, parse_status
from qwen_tui.errors import UsageError
from qwen_tui.model import Status
from qwen_tui.present.wording import commercial_text, data_age
from qwen_tui.text import clean


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("list", help="list releases (newest first)",
                       description="List releases, newest first. Discovered Hub repos are listed "
                                   "only with --status discovered.")
    p.add_argument("--vendor", metavar="V", help="only this vendor (see `qwen-tui vendors`)")
    p.add_argument("--status", metavar="S", action="append", default=[],
                   help="only this status: " + ", ".join(s.value for s in Status) + "; repeatable")
    p.add_argument("--since", metavar="YYYY-MM", help="only releases from this month on")
    p.add_argument("--commercial", metavar="C", action="append", default=[],  # pivot/commercial.py
                   help="only this commercial-use class: unrestricted, conditional, unknown, "
                        "non-commercial, none; repeatable")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="one JSON array (schema in README)")
    fmt.add_argument("--csv", action="store_true", help="CSV with a header row")
    add_common_options(p)
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("vendors", help="vendors with open / gated / cloud-only counts")
    p.add_argument("--json", action="store_true", help="JSON array")
    add_common_options(p)
    p.set_defaults(handler=cmd_vendors)

    p = sub.add_parser("license", help="one license's terms")
    p.add_argument("id", metavar="ID", help="license id, e.g. apache-2.0, qwen, llama3.1")
    p.add_argument("--json", action="store_true", help="JSON object")
    add_common_options(p)
    p.set_defaults(handler=cmd_license)


def cmd_list(args: argparse.Namespace) -> int:
    statuses = {parse_status(s) for s in args.status} or None
    since = parse_month(args.since) if args.since else None
    from qwen_tui.pivot.commercial import filter_entries, parse_commercial

    commercial = {parse_commercial(c) for c in args.commercial}
    if args.json and not commercial and not (statuses and Status.DISCOVERED in statuses):
        _list_json(args, statuses, since)
        return 0
    ds = load_dataset(args)
    vendor = check_vendor(ds, args.vendor)
    entries = ds.entries(vendor=vendor, statuses=statuses, since=since)
    if commercial:
        entries = filter_entries(entries, commercial, ds.catalog.licenses)
    from qwen_tui.serialize import CSV_COLUMNS, entry_dict, entry_row

    if args.json:
        _json_array(entry_dict(e) for e in entries)
        return 0
    if args.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for e in entries:
            w.writerow(entry_row(e))
        return 0
    rows = [[str(e.date) if e.date else "", e.vendor, e.name, e.status.value, e.license,
             "" if e.downloads is None else f"{e.downloads:,}", "!" if e.flagged else ""]
            for e in entries]
    # Date, status, downloads and the flag are read whole; names and licenses give way.
    _table(["date", "vendor", "release", "status", "license", "downloads", ""], rows,
           title=f"{len(entries)} releases · {data_age(ds.snapshot, with_time=True, tracker=ds.tracker)}", status_col=3,
           keep={0, 3, 5, 6})
    return 0


def _list_json(args: argparse.Namespace, statuses: set[Status] | None, since) -> None:
    """`list --json` without discovered rows: the rows from their memo (listmemo.py) when the
    catalog, models.dev source and cache are those it was made from, else built (and memoised)."""
    from qwen_tui import listmemo
    from qwen_tui.paths import default_paths

    memo = listmemo.memo_path(default_paths(), args.catalog, use_cache=not args.no_cache)
    rows = listmemo.read(memo) if memo is not None else None
    vendor = args.vendor.lower() if args.vendor else None
    if rows is None or (vendor is not None and vendor not in rows.vendors):
        ds = load_dataset(args)
        vendor = check_vendor(ds, args.vendor)
        rows = listmemo.Rows.of(ds)
        if memo is not None and not ds.warning:  # a warning belongs to this run, not to the memo
            listmemo.write(memo, rows)
    sys.stdout.write(rows.select(vendor, statuses, since))


def cmd_vendors(args: argparse.Namespace) -> int:
    ds = load_dataset(args)
    summaries = ds.vendor_summaries()
    if args.json:
        from qwen_tui.serialize import vendor_dict

        _json_array(vendor_dict(s) for s in summaries)
        return 0
    rows = [[s.vendor.id, s.vendor.name, s.vendor.country, ", ".join(s.vendor.hub_orgs) or "-",
             str(s.count(Status.OPEN_WEIGHT)), str(s.count(Status.GATED)),
             str(s.count(Status.CLOUD_ONLY)), str(s.count(Status.WITHDRAWN)),
             str(s.count(Status.DISCOVERED))] for s in summaries]
    _table(["id", "vendor", "country", "hub orgs", "open", "gated", "cloud-only", "withdrawn",
            "discovered"], rows, title=f"{len(summaries)} vendors (counts: catalog and models.dev "
                                        f"releases; discovered: Hub repos grouped) · "
                                        f"{data_age(ds.snapshot, with_time=True, tracker=ds.tracker)}",
            keep={2, 4, 5, 6, 7, 8})
    return 0


def cmd_license(args: argparse.Namespace) -> int:
    ds = load_dataset(args)
    lic = ds.catalog.licenses.get(args.id) or ds.catalog.licenses.get(args.id.lower())
    if lic is None:
        raise UsageError(f"license: unknown license id {args.id!r} (choose from: "
                         f"{', '.join(sorted(ds.catalog.licenses))})")
    from qwen_tui.serialize import license_dict

    if args.json:
        json.dump(license_dict(lic), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    used_by = [r for r in ds.catalog.releases if lic.id in r.license_ids]
    fields = [
        ("license", f"{lic.name} ({lic.id})"),
        ("url", lic.url),
        ("OSI-approved", "yes" if lic.osi_approved else "no"),
        ("commercial use", commercial_text(lic)),
        ("user cap", f"{lic.mau_cap:,} monthly active users" if lic.mau_cap else "none"),
        ("attribution", lic.attribution or "-"),
        ("naming", lic.naming or "-"),
        ("use policy", lic.use_policy or "-"),
        ("summary", lic.summary or "-"),
        ("sources", "\n".join(s.url for s in lic.sources)),
        ("used by", f"{len(used_by)} releases: " + ", ".join(r.name for r in used_by[:12])
         + (" …" if len(used_by) > 12 else "")),
    ]
    if is_terminal():
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        t = Table(show_header=False, box=None, padding=(0, 1))
        t.add_column(style="bold", no_wrap=True)
        t.add_column(overflow="fold")
        for k, v in fields:
            t.add_row(k, Text(v))
        Console().print(t)
    else:
        for k, v in fields:
            print(f"{k}: {v}".replace("\n", "\n  "))
    return 0


def _json_array(items) -> None:
    """One JSON array, one element per line: readable, greppable, and encoded by json's C
    encoder (an `indent` would switch json to its pure-Python encoder, 4x slower here).
    (listmemo.Rows writes `list --json`'s in the same shape.)"""
    out = sys.stdout
    out.write("[")
    sep = "\n"
    for item in items:
        out.write(sep)
        out.write(json.dumps(item, ensure_ascii=False))
        sep = ",\n"
    out.write("\n]\n")


def _table(headers: list[str], rows: list[list[str]], *, title: str = "", status_col: int | None = None,
           keep: AbstractSet[int] = frozenset()) -> None:
    """A rich table on a terminal; tab-free aligned plain text when piped. Columns with nothing
    in them are left out; on a terminal every cell stays on one line (`keep`: columns never cut)."""
    rows = [[clean(c, 120) for c in row] for row in rows]
    shown = [i for i, h in enumerate(headers) if any(row[i] for row in rows)] if rows else \
        list(range(len(headers)))
    if status_col is not None:
        status_col = shown.index(status_col) if status_col in shown else None
    keep = {shown.index(i) for i in keep if i in shown}
    headers = [headers[i] for i in shown]
    rows = [[row[i] for i in shown] for row in rows]
    if is_terminal():
        from rich.console import Console

        console = Console()
        console.print(rich_table(headers, rows, width=console.width, title=title, status_col=status_col,
                                 keep=keep, colour=not console.no_color))
        return
    from rich.cells import cell_len

    # Aligned by terminal cells, not characters: a CJK character takes two, a combining mark none.
    widths = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - cell_len(c)) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n"

    out = sys.stdout
    if title:
        out.write(title + "\n")
    out.write(line(headers))
    for row in rows:
        out.write(line(row))


MIN_CUT = 6  # a column cut to fit is never narrower than this ("Qwen…")


def fit_widths(natural: list[int], room: int, keep: AbstractSet[int]) -> list[int]:
    """Column widths that fit `room` cells: the widest cuttable column gives a cell at a time,
    so names shrink together and short columns stay whole."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        cuttable = [i for i in range(len(widths)) if i not in keep and widths[i] > MIN_CUT]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: widths[i])
        widths[widest] -= 1
        excess -= 1
    return widths


def rich_table(headers: list[str], rows: list[list[str]], *, width: int, title: str = "",
               status_col: int | None = None, keep: AbstractSet[int] = frozenset(), colour: bool = True):
    """The table for a terminal `width` cells wide: one line per row, a cell too long for its
    column cut with '…' at a cell boundary (never wrapped, never split mid-word onto a new line)."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from qwen_tui.present.status import MONO_STYLE, STYLE

    natural = [max([cell_len(h)] + [cell_len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    # No vertical rules: a blank rule and one cell of padding between columns, nothing at the
    # edges, leave the cells most of an 80-column line.
    gaps = 2 * (len(headers) - 1)
    widths = fit_widths(natural, width - gaps, keep)
    # The title is one line too (it names the Hub's and models.dev's data ages): cut, never wrapped.
    t = Table(title=Text(title, no_wrap=True, overflow="ellipsis") if title else None, title_justify="left",
              header_style="bold", box=box.SIMPLE_HEAD,
              show_edge=False, pad_edge=False, padding=(0, 1, 0, 0))
    for h, w in zip(headers, widths, strict=True):
        t.add_column(h, width=w, no_wrap=True, overflow="ellipsis")
    for row in rows:
        cells = [Text(c, no_wrap=True, overflow="ellipsis") for c in row]
        if status_col is not None:
            status = Status(row[status_col])
            cells[status_col].stylize(STYLE[status] if colour else MONO_STYLE[status])
        t.add_row(*cells)
    return t
