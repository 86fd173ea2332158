"""The explorer's first screen, memoised, so it paints before the dataset is loaded.

With 5,000 models.dev entries stored and 100,000 Hub repos, loading the dataset (reading and
decoding 3,000 merged releases, opening the cache) and reconciling "All vendors" cost ~75 ms
before the first frame, half again what an empty Textual app needs to paint. The first screen
shows little of it: the vendors with their counts, the first rows of "All vendors" and the
numbers under them. Those are kept here, as JSON beside the other memos and read through
catalog/memo.py (a file we did not write is ignored), named by a digest of everything they are
made of: the catalog files, the models.dev source, the cache file's state and every module of
this package (memokey.py). Not in it: what the app works out at each start (the
data's age, online or offline, the terminal's size, the key map).

The app paints from the memo, then loads the dataset right after the first frame, or before the
first key or click if one comes sooner, and shows it: the same rows, so the screen does not
change. A start that finds no memo loads first, as before, and writes one after its first frame.
Pure Python: no Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from qwen_tui.catalog.memo import read_memo, write_memo
from qwen_tui.evidence import Snapshot
from qwen_tui.model import Catalog, License, Status, Vendor
from qwen_tui.modelsdev.releases import TrackerSource
from qwen_tui.reconcile import Entry
from qwen_tui.tui.rows import Head, Row, TimelineModel, VendorRow, name_need, vendor_rows

if TYPE_CHECKING:
    from qwen_tui.paths import Paths
    from qwen_tui.query import Dataset
    from qwen_tui.tui.limits import Limits

MEMO_GLOB = "firstscreen-*.json"
HEAD = 100  # timeline rows kept: more than a terminal shows (a taller one loads before painting)
PACKAGE = Path(__file__).resolve().parent.parent

# (Snapshot, TrackerSource, VendorRow: names the decoder reads from this module's globals.)
__all__ = ["FirstScreen", "HeadModel", "Snapshot", "TrackerSource", "VendorRow", "build", "memo_path",
           "read", "write"]


@dataclass(frozen=True)
class FirstScreen:
    """What the first screen shows: every vendor row, the first rows of "All vendors" (newest
    first) with the whole list's length, name column and counts, and what the header and the
    detail pane read (the vendors, the licenses, the snapshot, the models.dev source)."""

    vendors: dict[str, Vendor]
    licenses: dict[str, License]  # those of the releases in `head`
    vendor_rows: tuple[VendorRow, ...]
    head: tuple[Entry, ...]  # the first entries of "All vendors" in date order
    rows: int  # rows of the whole "All vendors" list, year headings included
    name_need: int  # what the whole list's names need (rows.name_need)
    shown: int  # catalogued entries in it
    discovered: int  # discovered groups (their "loading" row and count)
    snapshot: Snapshot | None
    tracker: TrackerSource | None

    def stand_in(self) -> Dataset:
        """A dataset with no releases, only what the header and the detail pane read, for the
        app to hold until it loads the real one (no key or click reaches it before)."""
        from qwen_tui.query import Dataset

        ds = Dataset(Catalog(self.vendors, (), self.licenses))
        ds.snapshot, ds.tracker = self.snapshot, self.tracker
        return ds

    def model(self) -> HeadModel:
        return HeadModel(self)


class HeadModel(TimelineModel):
    """ "All vendors" unfiltered, from the memo: its first rows, its length and its counts."""

    def __init__(self, first: FirstScreen) -> None:
        super().__init__(list(first.head), first.discovered)
        self.first = first

    @property
    def total(self) -> int:
        return self.first.shown

    def rows(self, query: str = "", statuses=(), sort: str = "date", limits: Limits | None = None) -> Head:
        if query or statuses or sort != "date" or limits:
            raise ValueError("the first screen is unfiltered, newest first")  # the app loads first
        rows: list[Row] = list(super().rows())
        self.shown = self.first.shown
        return Head(rows, self.first.rows, self.first.name_need)


def build(ds: Dataset) -> FirstScreen:
    """The first screen of `ds`, as MainScreen.load_dataset shows it."""
    summaries = ds.vendor_summaries()
    discovered = sum(s.count(Status.DISCOVERED) for s in summaries)
    model = TimelineModel(ds.catalog_entries(None), discovered)
    rows = model.rows()
    head = tuple(r for r in islice(rows, HEAD) if isinstance(r, Entry))
    used = {lic for e in head if e.release for lic in e.release.license_ids}
    licenses = {k: v for k, v in ds.catalog.licenses.items() if k in used}
    return FirstScreen(ds.catalog.vendors, licenses, tuple(vendor_rows(summaries)), head,
                       len(rows), name_need(rows), model.shown, discovered, ds.snapshot, ds.tracker)


def memo_path(paths: Paths, catalog_dirs: list[Path] | tuple[Path, ...], *, use_cache: bool) -> Path | None:
    """Where this catalog's, models.dev source's and cache's first screen is memoised (None when
    that cannot be told). Only file metadata is read."""
    from qwen_tui.memokey import inputs_digest

    digest = inputs_digest(paths, catalog_dirs, use_cache=use_cache, code=sorted(PACKAGE.rglob("*.py")))
    return Path(paths.cache_dir) / f"firstscreen-{digest}.json" if digest else None


def read(memo: Path) -> FirstScreen | None:
    """The memoised first screen, or None: missing, unreadable, or not written by us (then its
    rows would not add up)."""
    first = read_memo(memo, FirstScreen)
    if not isinstance(first, FirstScreen) or not first.vendor_rows:
        return None
    if len(TimelineModel(list(first.head), first.discovered).rows()) > first.rows:
        return None
    return first


def write(memo: Path, first: FirstScreen) -> None:
    write_memo(memo, first, MEMO_GLOB)
