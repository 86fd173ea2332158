"""Merge models.dev entries with the catalog: join what the catalog has, add what it lacks.

Pure functions over `model.Release` and `parse.TrackerEntry`.

How an entry finds its catalog release (strongest rule first; see docs/living-catalog.md):
0. listed - the release lists the entry's key in `models_dev` (catalog FORMAT.md): for what no
            rule can tell ("Claude Sonnet 3.5 v2" is "Claude 3.5 Sonnet (new)"; the mini and nano
            a release groups, as GPT-5's summary says it does).
1. repo   - one of its weights URLs names a Hub repo in the release's `hf_repos` (any vendor).
2. repo name - its name or model id is the model one of the release's Hub repos holds, written
            without org prefix and format words ("Nemotron Nano 12B v2 VL" is
            nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16): models.dev often gives no weights URL.
3. name   - its name, or its model id ("gemini-2.5-flash-image" for "Nano Banana"), has the words
            of a name the release is known by, in any order ("Claude Sonnet 3.7" is "Claude 3.7
            Sonnet"): the release name, each part of a name that lists several ("Qwen-Flash and
            Qwen3-Coder-Flash", "A / B"), and each "<stem> <item>" of a parenthesised list
            ("Llama 4 (Scout, Maverick)"). A word more or less is another model ("GPT-5 Pro").
4. size   - its name is "<family> <size>" for a release that groups sizes: the release's
            generation or name stem followed by one of its `params` ("Qwen3.5 27B" is claimed by
            "Qwen3.5 medium models (122B-A10B, 35B-A3B, 27B)", generation "Qwen3.5", params 27B).
Rules 2-4 only look at releases of the entry's own vendor, and try the entry's name as
written first, then without qualifiers ("(latest)", "(2024-05-13)", "Preview", "Instruct", "IT",
"Chat", "Base"), then without its trailing size ("Gemma 4 31B IT" -> "gemma-4", rule 3 only).
When several releases tie at the same rule, the one dated nearest the entry's release date wins.

Two kinds of entries are pointers, not releases, and models.dev keeps many of them:
* an alias ("Mistral Small (latest)", key "...-latest") names whatever is current: it joins a
  release only by its weights repo, never by name, raises no dispute, and is never a new release;
* a snapshot ("GPT-4o (2024-08-06)") joins like any entry, but its date is the snapshot's, so it
  raises no date dispute.
Entries the catalog lacks become one new release per model: entries of a vendor that share their
first weights repo ("Step 3.5 Flash" and "Step 3.5 Flash 2603") or their name without qualifiers
are one release, named after the member written without qualifiers and dated by the earliest.
An alias whose weights repo is such a new release's is cited on it, so that merging the result
again changes nothing.

Normalising (names.py): lower case; spaces, underscores and hyphens are one separator; so
"Qwen3.6 Plus", "Qwen3.6-Plus" and "qwen3.6_plus" are the same name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from qwen_tui.model import Dispute, License, PartialDate, Release, Source, Status
from qwen_tui.modelsdev.names import (
    entry_names,
    normalise,
    release_names,
    release_size_names,
    repo_model_name,
    words,
)
from qwen_tui.modelsdev.parse import TrackerEntry

__all__ = ["CLAIMED", "NAME", "REPO", "REPO_NAME", "SIZE", "Match", "Merged", "ReleaseIndex", "entry_names",
           "join", "merge", "new_release", "normalise", "release_names"]

TRACKER_NAME = "models.dev"
# Where an entry's own file lives (the catalog cites the same address for its tracker sources).
ENTRY_URL = "https://github.com/anomalyco/models.dev/blob/dev/models/{key}.toml"

CLAIMED, REPO, REPO_NAME, NAME, SIZE = 5, 4, 3, 2, 1  # match strength, strongest first

_LATEST = re.compile(r"\blatest\b", re.I)
_SNAPSHOT = re.compile(r"\(\d{4}-\d{2}-\d{2}\)")
_LINK_KIND = {
    "announcement": "announcement", "blog": "announcement", "docs": "docs", "license": "license",
    "model_card": "model-card", "paper": "paper", "weights": "model-card", "other": "docs",
}


@dataclass(frozen=True)
class Match:
    release: Release
    rule: int  # CLAIMED | REPO | REPO_NAME | NAME | SIZE


@dataclass(frozen=True)
class Merged:
    """The releases to show, and what the merge did (for the refresh summary and tests)."""

    releases: tuple[Release, ...]  # catalog releases (joined ones updated) then new ones
    joined: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # release id -> entry keys
    added: tuple[str, ...] = ()  # ids of releases made from entries the catalog lacks
    unmapped: int = 0  # entries of labs no vendor claims
    undated: int = 0  # new entries without any date: not shown
    aliases: int = 0  # "(latest)" pointers that joined no release: not releases themselves


class ReleaseIndex:
    """The catalog's releases by listed entry key, by repo, by repo name, by name and by
    "<family>-<size>"."""

    def __init__(self, releases: Iterable[Release]) -> None:
        self.listed: dict[str, Release] = {}  # the loader lets one key be listed once
        self.by_repo: dict[str, list[Release]] = {}
        self.by_repo_name: dict[tuple[str, str], list[Release]] = {}  # (vendor, model name)
        self.by_name: dict[tuple[str, str], list[Release]] = {}  # (vendor, words(name))
        self.by_size: dict[tuple[str, str], list[Release]] = {}
        for rel in releases:
            for key in rel.models_dev:
                self.listed.setdefault(key, rel)
            for repo in rel.hf_repos:
                _add(self.by_repo, repo.lower(), rel)
                _add(self.by_repo_name, (rel.vendor, repo_model_name(repo)), rel)
            for key in release_names(rel):
                _add(self.by_name, (rel.vendor, words(key)), rel)
            for key in release_size_names(rel):
                _add(self.by_size, (rel.vendor, key), rel)

    def match(self, entry: TrackerEntry, vendor: str) -> Match | None:
        listed = self.listed.get(entry.key)
        if listed is not None:
            return Match(listed, CLAIMED)
        for repo in entry.hf_repos:
            found = self.by_repo.get(repo.lower())
            if found:
                return Match(_nearest(found, entry), REPO)
        if is_alias(entry):
            return None
        full, plain, sizeless = entry_names(entry.name)
        id_full, id_plain, _ = entry_names(entry.key.partition("/")[2])
        names = tuple(dict.fromkeys((full, plain, id_full, id_plain)))
        for index, rule, keys in (
            (self.by_repo_name, REPO_NAME, names),
            (self.by_name, NAME, tuple(words(k) for k in names)),
            (self.by_size, SIZE, (full, plain)),
            (self.by_name, NAME, (words(sizeless),) if sizeless and sizeless != plain else ()),
        ):
            for key in keys:
                found = index.get((vendor, key))
                if found:
                    return Match(_nearest(found, entry), rule)
        return None


def merge(releases: Iterable[Release], entries: Iterable[TrackerEntry],
          lab_vendors: Mapping[str, str], *,
          licenses: Mapping[str, License] | None = None) -> Merged:
    """Join each entry to its catalog release, or make a new release of its vendor.

    `lab_vendors` maps a models.dev lab ("zhipuai") to a vendor id ("zhipu"); entries of other
    labs are left out. `licenses` (the catalog's) turns an entry's license text into a license id.
    """
    catalog = tuple(releases)
    index = ReleaseIndex(catalog)
    joined: dict[str, list[TrackerEntry]] = {}
    new: dict[tuple[str, str], list[TrackerEntry]] = {}
    group_of: dict[tuple[str, str], tuple[str, str]] = {}  # (vendor, repo or name) -> group
    unmapped = 0
    aliases: list[TrackerEntry] = []  # pointers that joined no catalog release (yet)
    for entry in entries:
        vendor = lab_vendors.get(entry.lab)
        if vendor is None:
            unmapped += 1
            continue
        m = index.match(entry, vendor)
        if m is not None:
            joined.setdefault(m.release.id, []).append(entry)
        elif is_alias(entry):
            aliases.append(entry)
        else:
            keys = [(vendor, "repo:" + r.lower()) for r in entry.hf_repos[:1]]
            keys.append((vendor, "name:" + entry_names(entry.name)[1]))
            group = next((group_of[k] for k in keys if k in group_of), keys[0])
            for k in keys:
                group_of.setdefault(k, group)
            new.setdefault(group, []).append(entry)
    out = [join(r, joined[r.id]) if r.id in joined else r for r in catalog]
    made: list[Release] = []
    undated = 0
    taken = {r.id for r in catalog}
    for (vendor, _), members in new.items():
        rel = new_release(vendor, members, licenses or {})
        if rel is None:
            undated += 1
        elif rel.id not in taken:
            taken.add(rel.id)
            made.append(rel)
    # An alias whose weights repo is a new release's is cited there, as it would be on the next
    # merge (where that release is an input): merging the result again then changes nothing.
    new_index = ReleaseIndex(made)
    alias_joins: dict[str, list[TrackerEntry]] = {}
    left = 0
    for entry in aliases:
        m = new_index.match(entry, lab_vendors[entry.lab])
        if m is None:
            left += 1
        else:
            alias_joins.setdefault(m.release.id, []).append(entry)
            joined.setdefault(m.release.id, []).append(entry)
    out += [join(r, alias_joins[r.id]) if r.id in alias_joins else r for r in made]
    return Merged(tuple(out), {k: tuple(e.key for e in v) for k, v in joined.items()},
                  tuple(r.id for r in made), unmapped, undated, left)


def join(rel: Release, entries: Iterable[TrackerEntry]) -> Release:
    """`rel` with models.dev cited as a tracker, and its disagreements kept as disputes.

    The catalog's own date and status stay the displayed values."""
    sources, disputes = list(rel.sources), list(rel.disputes)
    cited = {s.url for s in sources}
    claimed = {(d.field, d.value) for d in disputes}  # one dispute per value, whoever else says it
    for e in entries:
        url = entry_url(e)
        if url not in cited:
            cited.add(url)
            sources.append(Source(url, "tracker", f"{TRACKER_NAME}: {e.name}"))
        if rel.provenance == TRACKER_NAME:
            continue  # a release made of models.dev entries: its other entries are not a second opinion
        for d in _disagreements(rel, e, url):
            if (d.field, d.value) not in claimed:
                claimed.add((d.field, d.value))
                disputes.append(d)
    return replace(rel, sources=tuple(sources), disputes=tuple(disputes))


def new_release(vendor: str, entries: list[TrackerEntry],
                licenses: Mapping[str, License]) -> Release | None:
    """A release made from entries the catalog lacks (one model, its previews and snapshots).

    Named after the entry written without qualifiers ("Gemini 3.1 Flash Lite" over "... Preview"),
    else the earliest; dated by the earliest: a preview's date is when the model became available.
    """
    dates = [d for d in map(_date_of, entries) if d is not None]
    if not dates:
        return None
    date = min(dates, key=lambda d: d.sort_key)
    entries = sorted(entries, key=_naming_rank)
    first = entries[0]
    if any(e.open_weights for e in entries) or (first.open_weights is None and first.hf_repos):
        status = Status.OPEN_WEIGHT
    else:
        status = Status.CLOUD_ONLY
    repos = tuple(dict.fromkeys(r for e in entries for r in e.hf_repos))
    sources: list[Source] = []
    for e in entries:
        sources += [Source(ln.url, _LINK_KIND.get(ln.type, "docs"), ln.label) for ln in e.links]
        sources += [Source(w.url, "model-card", w.label) for w in e.weights]
        sources.append(Source(entry_url(e), "tracker", f"{TRACKER_NAME}: {e.name}"))
    sources = list({s.url: s for s in reversed(sources)}.values())[::-1]  # first of each URL
    return Release(
        id=f"{TRACKER_NAME}/{first.key}",
        vendor=vendor,
        name=first.name,
        generation=first.family,
        date=date,
        status=status,
        license=license_id(first.license, status, licenses),
        sources=tuple(sources),
        hf_repos=repos,
        origin=f"{TRACKER_NAME}:{first.key}",
        provenance=TRACKER_NAME,
    )


def _naming_rank(e: TrackerEntry) -> tuple[bool, tuple[int, int, int], str]:
    full, plain, _ = entry_names(e.name)
    d = _date_of(e)
    return (full != plain, d.sort_key if d else (9999, 99, 99), e.key)


def license_id(text: str, status: Status, licenses: Mapping[str, License]) -> str:
    """The catalog license an entry's license text names; "proprietary" for a cloud-only model
    that names none; "unknown" otherwise, and when the text fits two licenses (Kimi's and
    MiniMax's both carry the Hub tag "modified-mit"): an invented guess would be worse."""
    want = text.strip().lower()
    if want:
        named = [lic.id for lic in licenses.values()
                 if want in (lic.id.lower(), lic.spdx.lower(), *(h.lower() for h in lic.hub_ids))]
        if len(named) == 1:
            return named[0]
    if status is Status.CLOUD_ONLY and not want:
        return "proprietary"
    return "unknown"


def entry_url(e: TrackerEntry) -> str:
    return ENTRY_URL.format(key=e.key)


def is_alias(e: TrackerEntry) -> bool:
    """A moving pointer ("Gemini Flash Latest", "Codestral (latest)"), not a release."""
    return bool(_LATEST.search(e.name)) or e.key.endswith("-latest")


def is_snapshot(e: TrackerEntry) -> bool:
    """A dated API snapshot of a release ("GPT-4o (2024-08-06)"): its date is the snapshot's."""
    return bool(_SNAPSHOT.search(e.name))


def _disagreements(rel: Release, e: TrackerEntry, url: str) -> list[Dispute]:
    if is_alias(e):
        return []
    out = []
    if e.open_weights is not None and rel.status is not Status.WITHDRAWN:
        says = Status.OPEN_WEIGHT if e.open_weights else Status.CLOUD_ONLY
        # Withdrawn is excluded above, so "has weights" is open-weight or gated.
        if (says is Status.OPEN_WEIGHT) != (rel.status in (Status.OPEN_WEIGHT, Status.GATED)):
            out.append(Dispute("status", says.value, url, f"{TRACKER_NAME} open_weights = "
                               f"{str(e.open_weights).lower()} for {e.name}"))
    # A listed entry's date is not a claim about the release's: the catalog lists the members a
    # release groups (o3-pro came two months after o3) and has weighed each entry's date.
    if e.release_date is not None and not is_snapshot(e) and e.key not in rel.models_dev \
            and not _same_day(rel.date, e.release_date):
        out.append(Dispute("date", str(e.release_date), url,
                           f"{TRACKER_NAME} release_date for {e.name}"))
    return out


def _same_day(a: PartialDate, b: PartialDate) -> bool:
    """Agree at the coarser precision: "2025-04" and "2025-04-29" do not disagree."""
    if (a.year, a.month) != (b.year, b.month):
        return False
    return a.day is None or b.day is None or a.day == b.day


def _date_of(e: TrackerEntry) -> PartialDate | None:
    return e.release_date or e.last_updated


def _nearest(found: list[Release], e: TrackerEntry) -> Release:
    if len(found) == 1 or e.release_date is None:
        return found[0]
    target = _ordinal(e.release_date)
    return min(found, key=lambda r: abs(_ordinal(r.date) - target))


def _ordinal(d: PartialDate) -> int:
    return d.year * 372 + d.month * 31 + (d.day or 15)


def _add(index: dict, key: object, rel: Release) -> None:
    bucket = index.setdefault(key, [])
    if all(r is not rel for r in bucket):
        bucket.append(rel)
