"""The core data model: vendors, releases, licenses, sources and statuses.

Pure data (frozen dataclasses); no I/O, no Textual. Everything the views show is built from these.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """How a release can be had. `discovered` is computed, never written in a catalog file."""

    OPEN_WEIGHT = "open-weight"
    GATED = "gated"
    CLOUD_ONLY = "cloud-only"
    WITHDRAWN = "withdrawn"
    DISCOVERED = "discovered"


CATALOG_STATUSES = (Status.OPEN_WEIGHT, Status.GATED, Status.CLOUD_ONLY, Status.WITHDRAWN)

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


@dataclass(frozen=True)
class PartialDate:
    """A date that keeps its precision: a day ("2024-09-19") or only a month ("2024-09")."""

    year: int
    month: int
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse "YYYY-MM-DD" or "YYYY-MM"; raise ValueError naming what is wrong."""
        import datetime as _dt

        m = _DATE_RE.match(text) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not YYYY-MM-DD or YYYY-MM")
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} has month {month}")
        if day is not None:
            try:
                _dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a calendar date") from None
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day is not None else "month"

    @property
    def sort_key(self) -> tuple[int, int, int]:
        # A month-precision date sorts after the days of its month it might be, i.e. at its end.
        return (self.year, self.month, self.day if self.day is not None else 32)

    def __lt__(self, other: PartialDate) -> bool:
        return self.sort_key < other.sort_key

    def __str__(self) -> str:
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


SOURCE_KINDS = ("announcement", "model-card", "paper", "docs", "tracker", "license", "news")
RELEASE_TAGS = (
    "text", "code", "math", "vision", "audio", "omni", "reasoning", "embedding", "moe",
    "speech", "image-gen", "video-gen",
)
DISPUTE_FIELDS = ("date", "status", "license", "params", "name")
COMMERCIAL_USE = ("yes", "no", "conditional", "unknown")  # unknown: terms not verified
# A release with no primary source says so instead of citing a weaker one as if it were primary.
CONFIDENCE = ("secondary",)


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a URL and what kind of document it is."""

    url: str
    kind: str
    title: str = ""


@dataclass(frozen=True)
class Dispute:
    """Another source's claim that disagrees with the catalog's primary value."""

    field: str
    value: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class Retirement:
    """The vendor announced that a hosted model (or the weights) is retired or will be."""

    date: PartialDate
    source: str
    note: str = ""


@dataclass(frozen=True)
class License:
    """A license with the terms users ask about, structured."""

    id: str
    name: str
    url: str
    osi_approved: bool
    commercial_use: str
    sources: tuple[Source, ...]
    commercial_condition: str = ""
    mau_cap: int | None = None
    attribution: str = ""
    naming: str = ""
    use_policy: str = ""
    summary: str = ""
    spdx: str = ""
    hub_ids: tuple[str, ...] = ()
    use_restrictions: str = ""
    derivatives: str = ""  # what counts as a derivative (distillation, synthetic data) and its duties
    outputs: str = ""
    governing_law: str = ""
    # A license that changed over time: each version is its own entry sharing one `family`.
    family: str = ""
    effective: PartialDate | None = None
    origin: str = ""  # the file it came from, for error messages and provenance


@dataclass(frozen=True)
class Vendor:
    """A model maker: where it publishes on the Hub and where it sells access."""

    id: str
    name: str
    country: str
    hub_orgs: tuple[str, ...]
    cloud: str
    cloud_url: str = ""
    sources: tuple[Source, ...] = ()
    models_dev_labs: tuple[str, ...] = ()  # models.dev lab folders that are this vendor's
    official_sites: tuple[str, ...] = ()  # "host" or "host/path": where the vendor speaks itself
    origin: str = ""


@dataclass(frozen=True)
class Release:
    """One announced release (it may group several sizes), as the catalog records it."""

    id: str
    vendor: str
    name: str
    generation: str
    date: PartialDate
    status: Status
    license: str
    sources: tuple[Source, ...]
    hf_repos: tuple[str, ...] = ()
    params: tuple[str, ...] = ()
    repo_licenses: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    disputes: tuple[Dispute, ...] = ()
    confidence: str = ""  # "secondary": no primary source was found (see `note`)
    note: str = ""
    retired: Retirement | None = None
    origin: str = ""
    # Who asserted this release: the bundled/user "catalog", the "models.dev" tracker (an entry the
    # catalog lacks), or the "hub" (discovered repos grouped by name).
    provenance: str = "catalog"
    # models.dev entries ("<lab>/<model>") the catalog says are this release, where no general
    # rule can tell ("Claude Sonnet 3.5 v2" is "Claude 3.5 Sonnet (new)"; GPT-5's mini and nano).
    models_dev: tuple[str, ...] = ()

    @property
    def disputed(self) -> bool:
        return bool(self.disputes)

    def license_of(self, repo_id: str) -> str:
        """The license id of one repo of this release (a size may differ from the release's)."""
        for repo, lic in self.repo_licenses:
            if repo.lower() == repo_id.lower():
                return lic
        return self.license

    @property
    def license_ids(self) -> tuple[str, ...]:
        """Every license this release's repos are under, the release's own first."""
        ids = [self.license]
        for _, lic in self.repo_licenses:
            if lic not in ids:
                ids.append(lic)
        return tuple(ids)


@dataclass(frozen=True)
class Catalog:
    """The validated catalog: vendors, releases (newest first) and licenses."""

    vendors: dict[str, Vendor]
    releases: tuple[Release, ...]
    licenses: dict[str, License]

    def releases_of(self, vendor_id: str) -> tuple[Release, ...]:
        return tuple(r for r in self.releases if r.vendor == vendor_id)

    def release(self, release_id: str) -> Release | None:
        for r in self.releases:
            if r.id == release_id:
                return r
        return None
