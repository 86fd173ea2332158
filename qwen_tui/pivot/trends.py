"""Openness over time: per vendor and period, how many releases had each effective status.

The counts come from the very entries `qwen-tui list` prints (`Dataset.entries`, Hub evidence
included), so a cell's total equals the number of rows `list --vendor V` shows for that period.
`trend_grid` returns a typed grid that a CLI table, JSON, CSV or a view can all read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from qwen_tui.model import PartialDate, Status
from qwen_tui.query import Dataset

PERIODS = ("year", "quarter")
# The statuses a catalogued release can have once reconciled; `discovered` repos are not releases
# and `list` leaves them out unless asked, so trends does too.
TREND_STATUSES = (Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY, Status.WITHDRAWN)


def period_of(date: PartialDate, by: str) -> str:
    """'2025' by year, '2025-Q3' by quarter (a month-precision date still has its quarter)."""
    if by == "year":
        return f"{date.year:04d}"
    if by == "quarter":
        return f"{date.year:04d}-Q{(date.month - 1) // 3 + 1}"
    raise ValueError(f"unknown period {by!r} (choose from: {', '.join(PERIODS)})")


def _periods_between(first: str, last: str, by: str) -> tuple[str, ...]:
    """Every period from `first` to `last`, empty ones included, so a chart has no gaps."""
    def key(p: str) -> tuple[int, int]:
        return (int(p[:4]), int(p[-1]) if by == "quarter" else 1)

    (y, q), end = key(first), key(last)
    out = []
    while (y, q) <= end:
        out.append(f"{y:04d}-Q{q}" if by == "quarter" else f"{y:04d}")
        if by == "quarter" and q < 4:
            q += 1
        else:
            y, q = y + 1, 1
    return tuple(out)


@dataclass(frozen=True)
class TrendCell:
    """How many of one vendor's releases in one period had each effective status."""

    open_weight: int = 0
    gated: int = 0
    cloud_only: int = 0
    withdrawn: int = 0

    @property
    def total(self) -> int:
        return self.open_weight + self.gated + self.cloud_only + self.withdrawn

    def count(self, status: Status) -> int:
        return getattr(self, _FIELD[status])


_FIELD = {Status.OPEN_WEIGHT: "open_weight", Status.GATED: "gated", Status.CLOUD_ONLY: "cloud_only",
          Status.WITHDRAWN: "withdrawn"}


@dataclass(frozen=True)
class TrendRow:
    vendor: str
    period: str
    cell: TrendCell


@dataclass(frozen=True)
class TrendGrid:
    """Vendors x periods (contiguous, oldest first); every cell present, zeros included."""

    by: str
    vendors: tuple[str, ...]
    periods: tuple[str, ...]
    cells: dict[tuple[str, str], TrendCell] = field(default_factory=dict)

    def cell(self, vendor: str, period: str) -> TrendCell:
        return self.cells.get((vendor, period), TrendCell())

    def rows(self) -> Iterator[TrendRow]:
        """Vendor by vendor, each period in order."""
        for v in self.vendors:
            for p in self.periods:
                yield TrendRow(v, p, self.cell(v, p))


def trend_grid(ds: Dataset, vendors: Sequence[str] | None = None, by: str = "year") -> TrendGrid:
    """Count `ds`'s entries per vendor (all vendors, by id, when `vendors` is None) and period."""
    if by not in PERIODS:
        raise ValueError(f"unknown period {by!r} (choose from: {', '.join(PERIODS)})")
    chosen = tuple(vendors) if vendors is not None else tuple(sorted(ds.catalog.vendors))
    counts: dict[tuple[str, str], dict[Status, int]] = {}
    for v in chosen:
        for e in ds.entries(vendor=v):
            if e.date is None or e.status not in _FIELD:  # catalogued entries always have both
                continue
            c = counts.setdefault((v, period_of(e.date, by)), {})
            c[e.status] = c.get(e.status, 0) + 1
    seen = sorted({p for _, p in counts})
    periods = _periods_between(seen[0], seen[-1], by) if seen else ()
    cells = {k: TrendCell(**{_FIELD[s]: n for s, n in c.items()}) for k, c in counts.items()}
    return TrendGrid(by=by, vendors=chosen, periods=periods, cells=cells)
