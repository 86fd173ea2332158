"""Status rules: join a catalog release with Hub evidence into what the app shows.

Pure functions, no I/O. The catalog says what a vendor announced; the Hub says what can be
downloaded now. Where they disagree both are kept and the disagreement is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from qwen_tui.model import License, PartialDate, Release, Status

if TYPE_CHECKING:  # type names only: `list --json` with no cache never loads the store
    from qwen_tui.evidence import HubRepo, RepoCheck


@dataclass(frozen=True)
class Fact:
    """One piece of evidence and where it came from."""

    text: str
    source: str


@dataclass(frozen=True)
class RepoView:
    """A catalogued (or discovered) repo with what the Hub said of it, if anything."""

    repo_id: str
    license_id: str  # the catalog's license for this repo ('' for discovered repos)
    hub: HubRepo | None  # None: not seen in the listing (or no refresh yet)
    state: str  # 'listed' | 'renamed' | 'missing' | 'unknown'
    renamed_to: str = ""
    children: int | None = None


@dataclass(frozen=True)
class Entry:
    """A row of the timeline: a catalogued release, or a Hub repo no release claims."""

    vendor: str
    id: str
    name: str
    generation: str
    date: PartialDate | None
    status: Status
    license: str
    release: Release | None
    repos: tuple[RepoView, ...] = ()
    evidence: tuple[Fact, ...] = ()
    conflicts: tuple[str, ...] = ()
    downloads: int | None = None
    likes: int | None = None
    children: int | None = None

    @property
    def catalog_status(self) -> Status | None:
        return self.release.status if self.release else None

    @property
    def disputed(self) -> bool:
        return bool(self.release and self.release.disputed)

    @property
    def flagged(self) -> bool:
        """Sources disagree: the catalog's own disputes, or catalog vs Hub."""
        return self.disputed or bool(self.conflicts)


def hub_source(repo: HubRepo | None = None, fetched_at: str = "") -> str:
    when = repo.fetched_at if repo else fetched_at
    return f"Hugging Face Hub, fetched {when}" if when else "Hugging Face Hub"


def license_agrees(lic: License | None, license_id: str, hub: HubRepo) -> bool | None:
    """Does the Hub's license tag mean the catalog's license? None when the Hub gives none."""
    tag = hub.license.strip().lower()
    if not tag:
        return None
    names = {license_id.lower()}
    if lic is not None:
        names |= {h.lower() for h in lic.hub_ids}
        if lic.spdx:
            names.add(lic.spdx.lower())
    if tag in names:
        return True
    if tag == "other" and hub.license_name:
        return hub.license_name.strip().lower() in names
    return False


def reconcile(
    release: Release,
    *,
    licenses: dict[str, License],
    listed: dict[str, HubRepo],
    checks: dict[str, RepoCheck],
    org_fetched: dict[str, str],
) -> Entry:
    """The effective status of one release given the newest snapshot.

    `listed`: repos of the snapshot by lower-cased id. `checks`: model_info answers by lower-cased
    id. `org_fetched`: lower-cased org -> when its listing was fetched (orgs absent: no evidence).
    """
    if not release.hf_repos:  # no repo to find: the Hub has nothing to say (2 in 3 models.dev releases)
        return catalog_only(release)
    evidence = [asserted(release)]
    conflicts: list[str] = []
    views: list[RepoView] = []
    for repo_id in release.hf_repos:
        key = repo_id.lower()
        check = checks.get(key)
        hub = listed.get(key)
        state = "unknown"
        renamed_to = ""
        if hub is not None:
            state = "listed"
        elif check is not None and check.state == "renamed":
            state, renamed_to = "renamed", check.renamed_to
            hub = listed.get(renamed_to.lower())
        elif check is not None and check.state == "missing":
            state = "missing"
        elif check is not None and check.state == "found":
            state = "listed"  # model_info answered under this id, the listing just missed it
        elif key.split("/", 1)[0] in org_fetched:
            state = "missing"  # its org was listed in full and it was not there
        views.append(RepoView(repo_id, release.license_of(repo_id), hub, state, renamed_to,
                              check.children if check else None))

    status = release.status
    known = [v for v in views if v.state != "unknown"]
    present = [v for v in known if v.state in ("listed", "renamed")]
    if release.status is not Status.CLOUD_ONLY and known:
        when = max((v.hub.fetched_at for v in present if v.hub), default="")
        if not when:
            when = max((checks[v.repo_id.lower()].fetched_at for v in known
                        if v.repo_id.lower() in checks), default="")
        if not when:
            when = max((org_fetched.get(v.repo_id.split("/", 1)[0].lower(), "") for v in known), default="")
        src = hub_source(fetched_at=when)
        missing = [v for v in known if v.state == "missing"]
        gated = [v for v in present if (v.hub and v.hub.is_gated) or
                 (v.repo_id.lower() in checks and checks[v.repo_id.lower()].gated)]
        renamed = [v for v in present if v.state == "renamed"]
        if present:
            evidence.append(Fact(f"Hub: {len(present)} of {len(views)} catalogued repos found"
                                 + (f", {len(gated)} gated" if gated else ", none gated"), src))
        for v in renamed:
            evidence.append(Fact(f"Hub: {v.repo_id} now answers as {v.renamed_to}", src))
        if missing and not present and len(known) == len(views):
            status = Status.WITHDRAWN
            evidence.append(Fact(f"Hub: none of the {len(views)} catalogued repos exist any more", src))
            if release.status is not Status.WITHDRAWN:
                conflicts.append(f"catalog says {release.status.value}; the Hub no longer has its repos")
        elif missing:
            evidence.append(Fact(f"Hub: {len(missing)} catalogued repo(s) not found: "
                                 + ", ".join(v.repo_id for v in missing[:3])
                                 + ("…" if len(missing) > 3 else ""), src))
            conflicts.append(f"{len(missing)} of {len(views)} catalogued repos not found on the Hub")
        if present:
            if gated:
                status = Status.GATED
                if release.status is Status.OPEN_WEIGHT:
                    conflicts.append("catalog says open-weight; the Hub gates "
                                     + ", ".join(v.repo_id for v in gated[:2])
                                     + ("…" if len(gated) > 2 else ""))
            else:
                status = Status.OPEN_WEIGHT
                if release.status is Status.GATED:
                    conflicts.append("catalog says gated; no repo is gated on the Hub now")
                if release.status is Status.WITHDRAWN:
                    conflicts.append("catalog says withdrawn; the Hub still has its repos")
        for v in present:
            if v.hub is None:
                continue
            agrees = license_agrees(licenses.get(v.license_id), v.license_id, v.hub)
            if agrees is False:
                hub_lic = v.hub.license + (f" ({v.hub.license_name})" if v.hub.license_name else "")
                conflicts.append(f"{v.repo_id}: catalog license {v.license_id}, Hub tag {hub_lic}")

    downloads = _sum(v.hub.downloads for v in views if v.hub)
    likes = _sum(v.hub.likes for v in views if v.hub)
    children = _sum(v.children for v in views)
    return Entry(
        vendor=release.vendor, id=release.id, name=release.name, generation=release.generation,
        date=release.date, status=status, license=release.license, release=release,
        repos=tuple(views), evidence=tuple(evidence), conflicts=tuple(conflicts),
        downloads=downloads, likes=likes, children=children,
    )


@lru_cache(maxsize=4096)
def _created_date(day: str) -> PartialDate | None:
    """The day a repo was created (many repos share a day: parsed once each)."""
    try:
        return PartialDate.parse(day)
    except ValueError:
        return None


def discovered(repo: HubRepo) -> Entry:
    """A Hub repo in a vendor's org that no catalog release claims."""
    date = _created_date(repo.created_at[:10]) if repo.created_at else None
    license_id = repo.license_name if repo.license == "other" and repo.license_name else repo.license
    gated = f", gated ({repo.gated})" if repo.gated else ""
    return Entry(
        vendor=repo.vendor, id=repo.repo_id, name=repo.repo_id.split("/", 1)[-1], generation="",
        date=date, status=Status.DISCOVERED, license=license_id or "unknown", release=None,
        repos=(RepoView(repo.repo_id, "", repo, "listed"),),
        evidence=(Fact(f"Hub: listed under {repo.org}{gated}; not in the catalog", hub_source(repo)),),
        downloads=repo.downloads, likes=repo.likes, children=repo.children,
    )


def catalog_only(release: Release) -> Entry:
    """A release as the catalog alone describes it (no refresh yet)."""
    return Entry(
        vendor=release.vendor, id=release.id, name=release.name, generation=release.generation,
        date=release.date, status=release.status, license=release.license, release=release,
        repos=tuple(RepoView(r, release.license_of(r), None, "unknown") for r in release.hf_repos),
        evidence=(asserted(release),),
    )


def asserted(release: Release) -> Fact:
    """What the release's own source says: the catalog (its first source), or models.dev for a
    release only models.dev lists (its entry's file, the tracker source)."""
    if release.provenance == "catalog":
        src = release.sources[0].url if release.sources else release.origin
        return Fact(f"catalog: {release.status.value}, {release.license}", src)
    tracker = next((s.url for s in release.sources if s.kind == "tracker"), release.origin)
    return Fact(f"{release.provenance}: {release.status.value}, {release.license} (not in the catalog)",
                tracker)


def _sum(values) -> int | None:
    total, seen = 0, False
    for v in values:
        if v is not None:
            total += v
            seen = True
    return total if seen else None
