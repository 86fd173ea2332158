"""Two more limits on the timeline, beside the text filter and the status keys: a period (from a
Trends cell) and a commercial-use class (`m`). Pure Python (no Textual), like rows.py.

A period keeps the releases whose date falls in it, exactly the ones the Trends cell counted
(`qwen_tui.pivot.trends.period_of`). Discovered Hub repos are not releases, so a period leaves
them out unless the `discovered` status is asked for (then they are limited to it too). A
commercial class keeps the releases of that class; discovered repos have no catalog terms, so
they are `unknown` and show only under that class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from qwen_tui.model import Status
from qwen_tui.reconcile import Entry

# `m` cycles through these; None: every class. The order is the issue's, then `unknown`.
COMMERCIAL_CYCLE: tuple[str | None, ...] = (None, "unrestricted", "conditional", "non-commercial",
                                            "none", "unknown")


def period_kind(period: str) -> str:
    """'year' for '2025', 'quarter' for '2025-Q3'."""
    return "quarter" if "-Q" in period else "year"


class Limits:
    """A plain class, not a dataclass: this module loads at start, and building a dataclass
    costs ~1 ms of the first paint."""

    __slots__ = ("classify", "commercial", "period")

    def __init__(self, period: str | None = None, commercial: str | None = None,
                 classify: Callable[[Entry], str] | None = None) -> None:
        self.period = period
        self.commercial = commercial  # a `qwen_tui.pivot.commercial.Commercial` value
        # The commercial class of a catalogued entry (the screen memoises it per dataset).
        self.classify = classify

    def __bool__(self) -> bool:
        return bool(self.period or self.commercial)

    def in_period(self, e: Entry) -> bool:
        from qwen_tui.pivot.trends import period_of  # here: the module is not needed to start

        period = self.period
        return period is not None and e.date is not None and period_of(e.date, period_kind(period)) == period

    def keep(self, entries: Sequence[Entry]) -> Sequence[Entry]:
        """The catalogued entries inside both limits (order kept)."""
        out = entries
        if self.period:
            out = [e for e in out if self.in_period(e)]
        if self.commercial and self.classify is not None:
            out = [e for e in out if self.classify(e) == self.commercial]
        return out

    def admits_discovered(self, statuses: frozenset[Status]) -> bool:
        """Whether the discovered section can show at all under these limits."""
        if self.commercial and self.commercial != "unknown":
            return False
        return not self.period or Status.DISCOVERED in statuses

    def keep_discovered(self, found: Sequence[Entry], statuses: frozenset[Status]) -> Sequence[Entry] | None:
        """The discovered repos inside the limits; None: leave the section out."""
        if not self.admits_discovered(statuses):
            return None
        return [e for e in found if self.in_period(e)] if self.period else found
