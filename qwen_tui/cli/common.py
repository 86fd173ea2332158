"""Helpers shared by the subcommands: dataset loading, choice validation, output selection."""

from __future__ import annotations

import argparse

from qwen_tui.errors import UsageError
from qwen_tui.model import PartialDate, Status
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset

# Datasets the running command loaded: their warnings are printed after its output, because a
# damaged cache may only be found while answering (start-up skips SQLite's full check).
LOADED: list[Dataset] = []


def load_dataset(args: argparse.Namespace) -> Dataset:
    ds = Dataset.load(default_paths(), args.catalog, use_cache=not args.no_cache)
    LOADED.append(ds)
    return ds


def print_cache_warnings() -> None:
    import sys

    from qwen_tui.text import visible

    for ds in LOADED:
        if ds.warning:
            print(f"qwen-tui: warning: {visible(ds.warning)}", file=sys.stderr)
    LOADED.clear()


def check_vendor(ds: Dataset, vendor: str | None, flag: str = "--vendor") -> str | None:
    if vendor is None:
        return None
    if vendor.lower() in ds.catalog.vendors:
        return vendor.lower()
    choices = ", ".join(sorted(ds.catalog.vendors))
    raise UsageError(f"{flag}: unknown vendor {vendor!r} (choose from: {choices})")


def parse_status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise UsageError(f"--status: unknown status {value!r} (choose from: {choices})") from None


def parse_month(value: str, flag: str = "--since") -> PartialDate:
    try:
        d = PartialDate.parse(value)
    except ValueError as exc:
        raise UsageError(f"{flag}: {exc}; expected YYYY-MM (or YYYY-MM-DD)") from None
    return d


def is_terminal() -> bool:
    import sys

    return sys.stdout.isatty()
