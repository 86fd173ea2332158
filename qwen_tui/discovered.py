"""Discovered Hub repos as grouped rows: one row per candidate release, not per repo.

Grouping (grouping.py) 100,000 repos costs 1-2 s, which must never be paid at start-up. The groups
of a Hub snapshot are memoised as JSON in the cache dir (never a pickle: see catalog/memo.py),
keyed by the cache file, the snapshot (id and finish time), the set of repo ids the releases claim
(a models.dev snapshot that claims a repo takes it out of the discovered ones) and the grouping
code. `refresh` computes them once, right after writing; start-up reads only the small per-vendor
counts file. No Textual here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from qwen_tui.catalog.memo import read_memo, write_memo
from qwen_tui.model import Status
from qwen_tui.reconcile import Entry, Fact, RepoView, hub_source

if TYPE_CHECKING:  # grouping itself is imported only to group (start-up reads the counts memo)
    from qwen_tui.evidence import HubRepo, Snapshot
    from qwen_tui.grouping import RepoGroup

MEMO_GLOB = "groups-*.json"


def memo_paths(memo_dir: Path, db: Path, snap: Snapshot, claimed: Iterable[str]) -> tuple[Path, Path] | None:
    """(the groups memo, the counts memo) for this snapshot and claimed set."""
    h = hashlib.sha256(f"{Path(db).absolute()}\n{snap.id}\n{snap.finished_at}\n".encode())
    h.update("\n".join(sorted(claimed)).encode())
    try:
        for code in (Path(__file__), Path(__file__).with_name("grouping.py")):
            h.update(f"\n{code.stat().st_mtime_ns}".encode())
    except OSError:
        return None
    stem = Path(memo_dir) / f"groups-{h.hexdigest()[:24]}"
    return stem.with_suffix(".json"), stem.with_suffix(".counts.json")


def group_by_vendor(repos: Iterable[HubRepo]) -> dict[str, tuple[RepoGroup, ...]]:
    from qwen_tui.grouping import group_repos

    by_vendor: dict[str, list[HubRepo]] = {}
    for r in repos:
        by_vendor.setdefault(r.vendor, []).append(r)
    return {v: tuple(group_repos(rs)) for v, rs in sorted(by_vendor.items())}


def groups(memos: tuple[Path, Path] | None,
           unclaimed: Callable[[], Iterable[HubRepo]]) -> dict[str, tuple[RepoGroup, ...]]:
    """The groups of the unclaimed repos, from the memo or computed (and memoised)."""
    from qwen_tui.grouping import RepoGroup

    if memos is not None:
        found = read_memo(memos[0], dict[str, tuple[RepoGroup, ...]])
        if found is not None:
            return found
    out = group_by_vendor(unclaimed())
    if memos is not None:
        write_memo(memos[0], out, MEMO_GLOB)  # (removes the old counts file too)
        write_memo(memos[1], {v: len(g) for v, g in out.items()})
    return out


def counts(memos: tuple[Path, Path] | None,
           unclaimed: Callable[[], Iterable[HubRepo]]) -> dict[str, int]:
    """Groups per vendor: the small memo when there is one, else the groups themselves."""
    if memos is not None:
        found = read_memo(memos[1], dict[str, int])
        if found is not None:
            return found
    return {v: len(g) for v, g in groups(memos, unclaimed).items()}


def group_entry(group: RepoGroup, vendor: str, repos: dict[str, HubRepo]) -> Entry:
    """One discovered row: the group's name, its repos (with what the Hub said of each), its date
    (the earliest createdAt, a Hub date), its most common license tag, summed downloads and likes."""
    from qwen_tui.grouping import HUB_DATE

    views = tuple(RepoView(r, "", repos.get(r.lower()), "listed") for r in group.hf_repos)
    hubs = [v.hub for v in views if v.hub is not None]
    when = max((h.fetched_at for h in hubs), default="")
    n = len(group.hf_repos)
    orgs = sorted({r.split("/", 1)[0] for r in group.hf_repos})
    date_note = f"; earliest created {group.date} ({HUB_DATE})" if group.date else "; no creation date"
    facts = (Fact(f"Hub: {n} repo{'s' if n != 1 else ''} under {', '.join(orgs[:3])}"
                  f"{'…' if len(orgs) > 3 else ''} grouped by name{date_note}; not in the catalog",
                  hub_source(fetched_at=when)),)
    # No Release behind the row: a group is a candidate, and a Hub tag is not the catalog's
    # reviewed terms (the commercial-use view and the compare table keep saying "unknown").
    return Entry(
        vendor=vendor, id=f"hub/{vendor}/{group.key}", name=group.name,
        generation=group.name.split(" (", 1)[0], date=group.date, status=Status.DISCOVERED,
        license=group.licenses[0] if group.licenses else "unknown", release=None, repos=views, evidence=facts,
        downloads=_sum(h.downloads for h in hubs), likes=_sum(h.likes for h in hubs),
        children=_sum(h.children for h in hubs),
    )


def _sum(values: Iterable[int | None]) -> int | None:
    seen = [v for v in values if v is not None]
    return sum(seen) if seen else None
