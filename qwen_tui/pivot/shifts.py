"""Policy shifts: when a vendor's flagships changed from open weights to cloud-only, or back.

The rule (docs/pivot.md has the reasoning):

1. Only sourced flagship facts count (`catalog/flagships.py`): releases the vendor itself presents
   as its flagship / most capable model, (role `open-weight-lead`) as its top open-weight model,
   or (role `flagship-tier`) as a model of a tier it heads as its flagship models.
2. A flagship is *open* when its release shipped weights (catalog status open-weight, gated or
   withdrawn: withdrawn weights were published first) and *closed* when it is cloud-only. The
   catalog status is used, not the Hub's current view: a shift is about how the vendor released.
3. A vendor's flagships are grouped by the release's catalog `generation`. A generation is open
   when any of its flagships is open, closed when all are cloud-only: a cloud-only "Max" tier
   beside an open flagship of the same generation is two tiers, not a change of policy.
   Generations are ordered by their first flagship's date.
4. A *closing* is a closed generation right after at least MIN_RUN consecutive open generations;
   an *opening* is an open generation right after at least MIN_RUN consecutive closed ones. One
   generation the other way is not yet a pattern, so a single exception does not count.
   The shift is dated by the generation's first flagship of the new kind (`release`);
   `previous` is the last flagship of the old kind before it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from qwen_tui.catalog.flagships import Flagship
from qwen_tui.model import Catalog, Release, Status

MIN_RUN = 2


@dataclass(frozen=True)
class Evidence:
    release: str
    date: str
    status: str
    role: str
    source: str


@dataclass(frozen=True)
class Shift:
    vendor: str
    date: str
    direction: str  # "closing" | "opening"
    release: str
    previous: str
    evidence: tuple[Evidence, ...]

    def as_dict(self) -> dict:
        return {"vendor": self.vendor, "date": self.date, "direction": self.direction,
                "release": self.release, "previous": self.previous,
                "evidence": [asdict(e) for e in self.evidence]}


def is_open(release: Release) -> bool:
    return release.status in (Status.OPEN_WEIGHT, Status.GATED, Status.WITHDRAWN)


@dataclass(frozen=True)
class _Generation:
    name: str
    members: tuple[tuple[Release, Flagship], ...]  # by date

    @property
    def open(self) -> bool:
        return any(is_open(r) for r, _ in self.members)

    def first(self, want_open: bool) -> tuple[Release, Flagship]:
        return next(m for m in self.members if is_open(m[0]) == want_open)

    def last(self, want_open: bool) -> tuple[Release, Flagship]:
        return [m for m in self.members if is_open(m[0]) == want_open][-1]


def _evidence(release: Release, f: Flagship) -> Evidence:
    return Evidence(release.id, str(release.date), release.status.value, f.role, f.source)


def vendor_shifts(vendor: str, catalog: Catalog, flagships: tuple[Flagship, ...]) -> list[Shift]:
    by_id = {r.id: r for r in catalog.releases}
    mine = sorted(((by_id[f.release], f) for f in flagships if by_id[f.release].vendor == vendor),
                  key=lambda m: (m[0].date.sort_key, m[0].id))
    groups: dict[str, list[tuple[Release, Flagship]]] = {}
    for m in mine:
        groups.setdefault(m[0].generation, []).append(m)
    gens = [_Generation(name, tuple(ms)) for name, ms in groups.items()]  # dict keeps first-date order
    shifts: list[Shift] = []
    for i in range(MIN_RUN, len(gens)):
        run = gens[i - MIN_RUN:i]
        now = gens[i]
        if any(g.open != run[0].open for g in run) or now.open == run[0].open:
            continue
        # Extend the run backwards as far as it goes, to cite all of it.
        start = i - MIN_RUN
        while start > 0 and gens[start - 1].open == run[0].open:
            start -= 1
        release, f = now.first(now.open)
        prev_release, _ = gens[i - 1].last(run[0].open)
        evidence = [_evidence(r, fl) for g in gens[start:i] for r, fl in g.members if is_open(r) == run[0].open]
        evidence.append(_evidence(release, f))
        shifts.append(Shift(vendor=vendor, date=str(release.date),
                            direction="opening" if now.open else "closing",
                            release=release.id, previous=prev_release.id, evidence=tuple(evidence)))
    return shifts


def find_shifts(catalog: Catalog, flagships: tuple[Flagship, ...]) -> list[Shift]:
    """Every vendor's shifts, oldest first."""
    out: list[Shift] = []
    for vendor in sorted(catalog.vendors):
        out += vendor_shifts(vendor, catalog, flagships)
    by_id = {r.id: r for r in catalog.releases}
    out.sort(key=lambda s: (by_id[s.release].date.sort_key, s.vendor))
    return out
