"""Can a company use it commercially? A class per release, from the catalog's structured terms.

* unrestricted: weights licensed for commercial use with no user cap, naming duty, use policy or
  other stated condition (Apache-2.0, MIT ...). Attribution / notice duties are allowed.
* conditional: commercial use allowed with conditions (MAU caps, naming, acceptable-use policies).
* unknown: the catalog has not verified the terms (commercial_use = "unknown"), or a discovered
  repo whose license the catalog does not describe. Never passes as unrestricted.
* non-commercial: research-only or non-commercial licenses.
* none: no weights are licensed at all (a cloud-only release).

A release whose sizes carry different licenses is judged per size; its class is the strictest of
its sizes (so "unrestricted" holds for every size) and `Verdict.mixed` says the sizes differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from qwen_tui.model import License, Release, Status
from qwen_tui.reconcile import Entry


class Commercial(StrEnum):
    UNRESTRICTED = "unrestricted"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"
    NON_COMMERCIAL = "non-commercial"
    NONE = "none"


# Least to most restrictive, for the strictest-size rule; `none` never mixes with sizes.
_STRICTNESS = (Commercial.UNRESTRICTED, Commercial.CONDITIONAL, Commercial.UNKNOWN,
               Commercial.NON_COMMERCIAL, Commercial.NONE)


def license_class(lic: License | None) -> Commercial:
    """The class of one license's terms; a license id the catalog does not know is `unknown`."""
    if lic is None or lic.commercial_use == "unknown":
        return Commercial.UNKNOWN
    if lic.commercial_use == "no":
        return Commercial.NON_COMMERCIAL
    if lic.commercial_use == "conditional":
        return Commercial.CONDITIONAL
    # commercial_use == "yes": still conditional if any restriction is recorded.
    if lic.mau_cap or lic.naming or lic.use_policy or lic.commercial_condition:
        return Commercial.CONDITIONAL
    return Commercial.UNRESTRICTED


@dataclass(frozen=True)
class Verdict:
    """A release's class, and each size's (repo, license id, class) when it has weights."""

    cls: Commercial
    per_repo: tuple[tuple[str, str, Commercial], ...] = ()
    reason: str = ""

    @property
    def mixed(self) -> bool:
        return len({c for _, _, c in self.per_repo}) > 1


def classify_release(release: Release, licenses: dict[str, License]) -> Verdict:
    if release.status is Status.CLOUD_ONLY:
        return Verdict(Commercial.NONE, reason="no weights licensed (cloud-only)")
    if not release.hf_repos:  # weights withdrawn, or said to exist (models.dev) with no repo located
        cls = license_class(licenses.get(release.license))
        why = "weights withdrawn by the vendor" if release.status is Status.WITHDRAWN else "no Hub repo located"
        return Verdict(cls, reason=f"{release.license} ({cls}); {why}")
    per_repo = tuple((repo, release.license_of(repo), license_class(licenses.get(release.license_of(repo))))
                     for repo in release.hf_repos)
    worst = max((c for _, _, c in per_repo), key=_STRICTNESS.index)
    if len({c for _, _, c in per_repo}) > 1:
        sizes = "; ".join(f"{repo}: {lic} ({c})" for repo, lic, c in per_repo)
        return Verdict(worst, per_repo, f"sizes differ, judged per size, strictest wins: {sizes}")
    return Verdict(worst, per_repo, f"{release.license} ({worst})")


def classify_entry(entry: Entry, licenses: dict[str, License]) -> Verdict:
    if entry.release is None:  # a discovered Hub repo: no structured terms in the catalog
        return Verdict(Commercial.UNKNOWN, reason="discovered Hub repo: license terms not in the catalog")
    return classify_release(entry.release, licenses)


def parse_commercial(value: str, flag: str = "--commercial") -> Commercial:
    from qwen_tui.errors import UsageError

    try:
        return Commercial(value)
    except ValueError:
        choices = ", ".join(c.value for c in Commercial)
        raise UsageError(f"{flag}: unknown class {value!r} (choose from: {choices})") from None


def filter_entries(entries: Iterable[Entry], wanted: set[Commercial],
                   licenses: dict[str, License]) -> list[Entry]:
    """The entries whose release class is one of `wanted` (order kept)."""
    return [e for e in entries if classify_entry(e, licenses).cls in wanted]
