"""The timeline's rows: filter, sort and group entries. Pure Python (no Textual), fast at 100k rows.

A row is an `Entry` or a `Heading`. Rows are plain lists that the Line-API timeline indexes, so a
keystroke in the filter costs one pass over precomputed lower-case haystacks, never a widget rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import compress, islice
from typing import TYPE_CHECKING

from qwen_tui.model import Status
from qwen_tui.query import STATUS_ORDER
from qwen_tui.reconcile import Entry

if TYPE_CHECKING:
    from qwen_tui.query import VendorSummary
    from qwen_tui.tui.limits import Limits

SORTS = ("date", "name", "downloads", "status")
SORT_LABEL = {"date": "newest first", "name": "by name", "downloads": "most downloads",
              "status": "by status"}
NAME_MIN = 30  # the timeline's optional columns never push the name below this (9 bundled names in 10 fit)
NAME_SAMPLE = 2000  # rows looked at to size the name column (a filter over 100k rows stays cheap)
FLAG = " !"  # after the name of a release whose sources disagree


@dataclass(frozen=True, slots=True)
class Heading:
    """A non-selectable row: a year, the discovered section, or a section not loaded yet."""

    label: str
    kind: str = "year"  # "year" | "section" | "pending" | "empty" (why nothing shows)


Row = Entry | Heading


@dataclass(frozen=True)
class VendorRow:
    """A row of the vendor pane: a vendor (id None: "All vendors") with its counts per status."""

    id: str | None
    name: str
    counts: dict[Status, int]

    @classmethod
    def from_summary(cls, s: VendorSummary) -> VendorRow:
        return cls(s.vendor.id, s.vendor.name, dict(s.counts))

    @classmethod
    def all(cls, summaries: list[VendorSummary]) -> VendorRow:
        total: dict[Status, int] = {}
        for s in summaries:
            for k, v in s.counts.items():
                total[k] = total.get(k, 0) + v
        return cls(None, "All vendors", total)


def vendor_rows(summaries: list[VendorSummary]) -> list[VendorRow]:
    """The vendor pane's rows: "All vendors", then each vendor."""
    return [VendorRow.all(summaries)] + [VendorRow.from_summary(s) for s in summaries]


def name_need(rows: Iterable[Row]) -> int:
    """The cells the timeline's name column needs: what nine names in ten of the catalogued rows
    need (their flag included), between 12 and NAME_MIN. Sized on the catalogued rows only: the
    discovered ones arrive later, in the background, and must not move the columns when they do."""
    if isinstance(rows, Head):
        return rows.name_need
    lengths = sorted(len(r.name) + (len(FLAG) if r.flagged else 0)
                     for r in islice(rows, NAME_SAMPLE) if isinstance(r, Entry) and r.release is not None)
    return min(NAME_MIN, max(12, lengths[9 * len(lengths) // 10])) if lengths else NAME_MIN


class Head(Sequence):
    """The first rows of a longer list, standing in for it until the rest is loaded
    (firstscreen.py): as long as the whole list, since the scroll position column is drawn from
    the length, and with the name column the whole list needs. Rows past the first are blank."""

    __slots__ = ("length", "name_need", "rows")

    def __init__(self, rows: list[Row], length: int, name_need: int) -> None:
        self.rows, self.length, self.name_need = rows, length, name_need

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError(i)
        return self.rows[i] if i < len(self.rows) else Heading("", "empty")


def haystack(e: Entry) -> str:
    """What `/` matches against: name, id, license, vendor, date and every repo id.

    The date as shown ("2026-04-02", "2026-04" or "2026"), so `/2026` and `/2026-04` find the
    releases of that year and month.

    A part inside another part is dropped (a discovered repo's name and id are both inside its
    repo id): query words hold no newline, so they match the same, and the scan over 100k
    haystacks that the first keystroke pays is about half as long.
    """
    date = str(e.date) if e.date else ""
    parts = sorted({p.lower() for p in (e.name, e.id, e.license, e.vendor, date, *(r.repo_id for r in e.repos)) if p},
                   key=len, reverse=True)
    kept: list[str] = []
    for p in parts:
        if not any(p in k for k in kept):
            kept.append(p)
    return "\n".join(kept)


def _date_key(e: Entry) -> tuple:
    return (e.date.sort_key if e.date else (0, 0, 0), e.vendor, e.id)


def sort_entries(entries: Iterable[Entry], sort: str) -> list[Entry]:
    entries = list(entries)
    # Date order first, so every other order breaks ties newest first.
    entries.sort(key=_date_key, reverse=True)
    if sort == "name":
        entries.sort(key=lambda e: e.name.casefold())
    elif sort == "downloads":
        entries.sort(key=lambda e: -1 if e.downloads is None else e.downloads, reverse=True)
    elif sort == "status":
        rank = {s: i for i, s in enumerate(STATUS_ORDER)}
        entries.sort(key=lambda e: rank.get(e.status, 99))
    return entries


class Picked(Sequence):
    """The entries of `base` at positions `idx`, looked up only when a row is read.

    A keystroke over 100k rows then touches only the haystack strings it scans, never the
    Entry objects (scattered in memory: reading each costs a cache miss), and nothing is copied.
    """

    __slots__ = ("base", "idx")

    def __init__(self, base: Sequence[Entry], idx: Sequence[int]) -> None:
        self.base, self.idx = base, idx

    def __len__(self) -> int:
        return len(self.idx)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self.base[j] for j in self.idx[i]]
        return self.base[self.idx[i]]

    def __iter__(self):
        return map(self.base.__getitem__, self.idx)


class Joined(Sequence):
    """`head` then `tail`, as one sequence, without copying either."""

    __slots__ = ("head", "tail")

    def __init__(self, head: list, tail: Sequence) -> None:
        self.head, self.tail = head, tail

    def __len__(self) -> int:
        return len(self.head) + len(self.tail)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self.head)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.head[i] if i < n else self.tail[i - n]

    def __iter__(self):
        yield from self.head
        yield from self.tail


class Section:
    """One list of entries, kept sorted per sort order with haystacks alongside (memoised)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._by_sort: dict[str, list[Entry]] = {}
        self._hays: dict[str, list[str]] = {}  # built on the first query, not at start
        # The last text match: typing forward narrows it, so the next keystroke scans only it.
        self._last: tuple[str, list[str], Sequence[int], list[str]] | None = None

    def sorted(self, sort: str) -> list[Entry]:
        if sort not in self._by_sort:
            self._by_sort[sort] = sort_entries(self.entries, sort)
        return self._by_sort[sort]

    def haystacks(self, sort: str) -> list[str]:
        if sort not in self._hays:
            self._hays[sort] = [haystack(e) for e in self.sorted(sort)]
        return self._hays[sort]

    def select(self, sort: str, words: list[str], statuses: frozenset[Status]) -> Sequence[Entry]:
        entries = self.sorted(sort)
        if not words:
            found: Sequence[Entry] = entries
        else:
            hays = self.haystacks(sort)
            idx: Sequence[int] = range(len(hays))
            last = self._last
            if last and last[0] == sort and all(any(o in w for w in words) for o in last[1]):
                # Every old word is inside a new one: the new matches are a subset of the old.
                idx, hays = last[2], last[3]
            if len(words) == 1:  # the common case, kept free of per-row function calls
                w = words[0]
                mask = [w in h for h in hays]
            else:
                mask = [all(w in h for w in words) for h in hays]
            idx, hays = list(compress(idx, mask)), list(compress(hays, mask))  # C-speed gathers
            self._last = (sort, words, idx, hays)
            found = Picked(entries, idx)
        if statuses:
            found = [e for e in found if e.status in statuses]
        return found


class TimelineModel:
    """A vendor's (or every vendor's) catalogued entries, plus its discovered repos once loaded."""

    def __init__(self, catalog_entries: list[Entry], discovered_count: int = 0) -> None:
        self._catalog = Section(catalog_entries)
        self._discovered: Section | None = None
        self.discovered_count = discovered_count
        # What the last `rows()` answer holds (saves a pass over 100k rows): catalogued entries,
        # and discovered ones (None: not known yet, the section is still loading). Kept apart so
        # the count the user reads never jumps when the discovered repos arrive in the background.
        self.shown = 0
        self.discovered_shown: int | None = None

    @property
    def total(self) -> int:
        """Every catalogued entry, whatever the filters."""
        return len(self._catalog.entries)

    @property
    def discovered_loaded(self) -> bool:
        return self._discovered is not None

    @staticmethod
    def prepare_discovered(entries: list[Entry], sort: str = "date") -> Section:
        """The discovered section, sorted and with haystacks built: ~0.4 s at 100k entries, so
        a worker thread calls this, not the UI."""
        section = Section(entries)
        section.haystacks(sort)
        return section

    def set_discovered(self, section: Section) -> None:
        self._discovered = section
        self.discovered_count = len(section.entries)

    def rows(self, query: str = "", statuses: Iterable[Status] = (), sort: str = "date",
             limits: Limits | None = None) -> Sequence[Row]:
        """Catalogued rows (with year headings when sorted by date), then the discovered ones.

        The discovered part is a view (`Joined`, `Picked`): 100k rows are never copied.
        `limits`: a period and / or a commercial class (limits.py)."""
        words = query.lower().split()
        wanted = frozenset(statuses)
        rows: list[Row] = []
        entries = self._catalog.select(sort, words, wanted)
        if limits:
            entries = limits.keep(entries)
        self.shown = len(entries)
        self.discovered_shown = 0
        if sort == "date":
            year = None
            for e in entries:
                y = str(e.date.year) if e.date else "undated"
                if y != year:
                    rows.append(Heading(y))
                    year = y
                rows.append(e)
        else:
            rows.extend(entries)
        if wanted and Status.DISCOVERED not in wanted:
            return rows
        if self._discovered is not None:
            found = self._discovered.select(sort, words, frozenset())
            if limits:
                kept = limits.keep_discovered(found, wanted)
                if kept is None:
                    return rows
                found = kept
            self.discovered_shown = len(found)
            if found:
                n = f"{len(found):,}" + (f" of {self.discovered_count:,}" if words else "")
                rows.append(Heading(f"Discovered on the Hub, not in the catalog · {n}", "section"))
                return Joined(rows, found)
        elif self.discovered_count and (not limits or limits.admits_discovered(wanted)):
            # Unfiltered, every discovered repo will show: the count is known before they load.
            self.discovered_shown = None if words else self.discovered_count
            rows.append(Heading(f"Discovered on the Hub, not in the catalog · "
                                f"{self.discovered_count:,} (loading…)", "pending"))
        return rows
