"""How much of models.dev the catalog covers, per vendor: a recall figure we can measure.

The unit is a release as the merge sees it. The entries of a vendor's models.dev labs, less the
"(latest)" aliases (pointers, never releases), are merged with the catalog exactly as the app
merges them; a dated snapshot ("GPT-4o (2024-08-06)") folds into the release it is a snapshot of,
as the merge folds it. Each catalog release the entries join is one release both have (covered);
each release the merge makes from entries the catalog lacks is one the catalog misses (the
"models.dev" rows of `list --json`). So several entries one catalog release groups (GPT-5, its
mini and its nano) count once, as do the entries one new release is made of.

models.dev is not a held-out list of notable releases: it lists what its contributors added,
lacks some labs (the bundled copy has no entries for Baidu, ByteDance, Microsoft or 01.AI, so
those vendors have no `models_dev_labs` and are not counted) and lists sizes and endpoints the
catalog groups. The figure says how much of that list the catalog has, nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qwen_tui.model import Catalog, Release
from qwen_tui.modelsdev.merge import is_alias, merge
from qwen_tui.modelsdev.parse import TrackerEntry


@dataclass(frozen=True)
class VendorRecall:
    vendor: str
    labs: tuple[str, ...]
    entries: int  # entries of its labs, aliases left out
    covered: tuple[str, ...]  # ids of the catalog releases its entries joined
    uncovered: tuple[Release, ...]  # releases made from entries the catalog lacks, oldest first

    @property
    def releases(self) -> int:
        return len(self.covered) + len(self.uncovered)


def recall(catalog: Catalog, entries: Iterable[TrackerEntry]) -> list[VendorRecall]:
    """One VendorRecall per vendor with `models_dev_labs`, in vendor id order."""
    lab_vendor = {lab: v.id for v in catalog.vendors.values() for lab in v.models_dev_labs}
    kept = [e for e in entries if e.lab in lab_vendor and not is_alias(e)]
    merged = merge(catalog.releases, kept, lab_vendor, licenses=catalog.licenses)
    lab_of = {e.key: e.lab for e in kept}
    covered: dict[str, set[str]] = {}
    for rel_id, keys in merged.joined.items():
        for key in keys:
            covered.setdefault(lab_vendor[lab_of[key]], set()).add(rel_id)
    added = set(merged.added)
    new = [r for r in merged.releases if r.id in added]
    out = []
    for vid in sorted(v.id for v in catalog.vendors.values() if v.models_dev_labs):
        labs = catalog.vendors[vid].models_dev_labs
        out.append(VendorRecall(
            vendor=vid,
            labs=labs,
            entries=sum(1 for e in kept if e.lab in labs),
            covered=tuple(sorted(covered.get(vid, ()))),
            uncovered=tuple(sorted((r for r in new if r.vendor == vid),
                                   key=lambda r: (r.date.sort_key, r.name))),
        ))
    return out


def percent(covered: int, total: int) -> str:
    return f"{100 * covered / total:.1f}%" if total else "n/a"
