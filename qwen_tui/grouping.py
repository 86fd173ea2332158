"""Group discovered Hub repos into candidate releases by name. Pure: no I/O, no Textual.

A vendor's orgs hold one repo per size, format and quantisation of each model (177 for Alibaba,
1,092 for Meta). A release, as the catalog writes it, is one announcement: it may group several
sizes and every variant of them. So (see docs/living-catalog.md):

1. Variants are one model. A repo name is split into tokens at "-"; tokens naming a variant
   (Instruct, Base, Chat, it, hf, FP8, AWQ, GPTQ + Int4, GGUF, MLX, 4bit, bnb, Q4_K_M, ...) and
   size tokens (7B, 1.5B, 8x7B, 235B + A22B, 17B + 16E, E2B, 125m) are set aside; what is left is
   the family ("Qwen2.5-Coder", "Llama-2", "Mistral-v0.1"). Orgs are ignored, so the same model
   in two orgs of a vendor (or an unsloth/mlx-community re-upload) is one model.
2. Sizes of a family are one group when they came out together, several when they did not. The
   models of a family (its sizes, each dated by its earliest repo) are clustered by date: a size
   first seen more than WINDOW_DAYS after the cluster's first one starts a new group. Sizes
   uploaded within a window are one announcement (Qwen2.5's seven sizes on one day); a family name
   reused months later is a new release (Mixtral-8x7B in Dec 2023, Mixtral-8x22B in Apr 2024,
   both "Mixtral-v0.1" by name). Quantised variants follow their model, however late they came.
3. A group's date is its earliest repo's createdAt - a Hub date, marked as such - and its
   licenses are those its repos' license tags carry, most common first. Repos with no createdAt
   (the Hub's pre-2022 placeholder) form their own undated group of the family.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from qwen_tui.model import PartialDate, Release, Source, Status

WINDOW_DAYS = 45
HUB_DATE = "hub-created"  # what a group's date is: the Hub's createdAt of its earliest repo

_VARIANT = {
    "instruct", "base", "chat", "it", "hf", "fp8", "fp16", "bf16", "fp4", "nvfp4", "mxfp4", "int4",
    "int8", "awq", "gptq", "gguf", "mlx", "ggml", "onnx", "openvino", "ov", "exl2", "bnb", "4bit",
    "8bit", "3bit", "6bit", "unsloth", "dynamic", "w4a16", "w8a8", "w8a16", "thinking", "dflash",
    "eagle", "eagle3", "qat", "q4", "q8", "quantized", "mlc", "ct2", "safetensors",
}
# Quant levels (Q4_K_M, IQ2_XS, 4.0bpw, 4bit) and context lengths (4k, 128k) are variants too.
_QUANT = re.compile(r"^(?:i?q\d(?:_[a-z0-9]+)*|\d+(?:\.\d+)?bpw|[0-9]+-?bit|\d+k)$")
_SIZE = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[bmt]$|^e\d+b$")
_ACTIVE = re.compile(r"^a\d+(?:\.\d+)?[bm]$|^\d+e$")  # "A22B" active params, "16E" experts


class RepoRecord(Protocol):
    """What grouping reads of a repo (`evidence.HubRepo` has it)."""

    @property
    def repo_id(self) -> str: ...
    @property
    def created_at(self) -> str | None: ...
    @property
    def license(self) -> str: ...


@dataclass(frozen=True)
class RepoGroup:
    key: str  # the family key, with "@<first day>" when the family has several groups
    name: str  # readable: "Qwen2.5-Coder (1.5B, 7B)", or one model's name: "Mixtral-8x22B-v0.1"
    hf_repos: tuple[str, ...]  # sorted
    sizes: tuple[str, ...]  # as the repos write them, smallest first
    date: PartialDate | None  # earliest createdAt among its repos (a Hub date)
    licenses: tuple[str, ...]  # license tags, most common first
    date_source: str = HUB_DATE

    @property
    def repo_count(self) -> int:
        return len(self.hf_repos)


@dataclass(frozen=True)
class ParsedName:
    family: str  # lower-case key
    display: str  # the family as the repo writes it
    size: str  # "" when the name has none, else e.g. "235B-A22B"
    model: str = ""  # the name without its variant tokens, sizes in place: "Mixtral-8x22B-v0.1"


def parse_name(repo_id: str) -> ParsedName:
    """Split a repo name into family, size and (dropped) variant tokens."""
    name = repo_id.rsplit("/", 1)[-1]
    if "_" in name:
        name = _DIGIT_UNDERSCORE.sub(".", name)  # "Qwen-1_8B" -> "Qwen-1.8B"
    tokens = [t for t in name.split("-") if t]
    kept: list[str] = []
    size: list[str] = []
    model: list[str] = []
    for tok in tokens:
        kind = _kind(tok.lower())
        if (kind == _SIZE_TOKEN and kept) or (kind == _ACTIVE_TOKEN and size):
            size.append(tok)
            model.append(tok)
        elif kind != _VARIANT_TOKEN:
            kept.append(tok)
            model.append(tok)
    if not kept:  # a name that is all size/variant tokens: keep it whole rather than empty
        kept = model = tokens
        size = []
    display = "-".join(kept)
    return ParsedName(display.lower(), display, "-".join(size), "-".join(model))


_DIGIT_UNDERSCORE = re.compile(r"(?<=\d)_(?=\d)")
_PLAIN_TOKEN, _SIZE_TOKEN, _ACTIVE_TOKEN, _VARIANT_TOKEN = range(4)


@lru_cache(maxsize=16384)
def _kind(low: str) -> int:
    # Tokens repeat across a vendor's repos ("instruct", "7b", "gguf"): classified once each.
    if _SIZE.match(low):
        return _SIZE_TOKEN
    if _ACTIVE.match(low):
        return _ACTIVE_TOKEN
    if low in _VARIANT or _QUANT.match(low):
        return _VARIANT_TOKEN
    return _PLAIN_TOKEN


def group_repos(repos: Iterable[RepoRecord], window_days: int = WINDOW_DAYS) -> list[RepoGroup]:
    """Group repos into candidate releases; groups come newest first (undated last)."""
    # family -> size -> [repo records]
    families: dict[str, dict[str, list[RepoRecord]]] = {}
    displays: dict[str, Counter[str]] = {}
    labels: dict[str, ParsedName] = {}
    for repo in repos:
        p = parse_name(repo.repo_id)
        sizes = families.get(p.family)
        if sizes is None:  # (not setdefault: that would build a dict and a Counter per repo)
            sizes = families[p.family] = {}
            displays[p.family] = Counter()
        sizes.setdefault(p.size.lower(), []).append(repo)
        displays[p.family][p.display] += 1
        labels[repo.repo_id] = p
    groups: list[RepoGroup] = []
    for family, sizes in families.items():
        display = displays[family].most_common(1)[0][0]
        models = sorted(((_earliest(rs), size, rs) for size, rs in sizes.items()),
                        key=lambda m: (m[0] is None, m[0] or "", m[1]))
        clusters: list[list[tuple[str | None, str, list[RepoRecord]]]] = []
        for model in models:
            day = model[0]
            last = clusters[-1] if clusters else None
            if last is not None and _same_cluster(last[0][0], day, window_days):
                last.append(model)
            else:
                clusters.append([model])
        for cluster in clusters:
            key = family if len(clusters) == 1 else f"{family}@{cluster[0][0] or 'undated'}"
            groups.append(_group(key, display, cluster, labels))
    groups.sort(key=lambda g: (g.date is not None, g.date.sort_key if g.date else (0, 0, 0), g.key),
                reverse=True)
    return groups


def group_release(group: RepoGroup, vendor: str) -> Release | None:
    """A discovered group as a `Release` (provenance "hub"); None when it has no date."""
    if group.date is None:
        return None
    return Release(
        id=f"hub/{vendor}/{group.key}",
        vendor=vendor,
        name=group.name,
        generation=group.name.split(" (", 1)[0],
        date=group.date,
        status=Status.DISCOVERED,
        license=group.licenses[0] if group.licenses else "unknown",
        sources=tuple(Source(f"https://huggingface.co/{r}", "model-card") for r in group.hf_repos[:1]),
        hf_repos=group.hf_repos,
        params=group.sizes,
        origin=f"hub:{group.key}",
        provenance="hub",
    )


def _group(key: str, display: str, cluster: list[tuple[str | None, str, list[RepoRecord]]],
           labels: dict[str, ParsedName]) -> RepoGroup:
    repos = [r for _, _, rs in cluster for r in rs]
    sizes = sorted({_first(rs, labels).size for _, s, rs in cluster if s}, key=_size_value)
    if len(cluster) == 1:
        name = _first(repos, labels).model  # one model: its own name, sizes where it writes them
    elif sizes:
        name = f"{display} ({', '.join(sizes)})"
    else:
        name = display
    days = [d for d, _, _ in cluster if d]
    licenses = Counter(lic for lic in map(_license, repos) if lic)
    return RepoGroup(
        key=key, name=name, hf_repos=tuple(sorted(r.repo_id for r in repos)), sizes=tuple(sizes),
        date=_day(min(days)) if days else None,
        licenses=tuple(lic for lic, _ in sorted(licenses.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


def _first(repos: list[RepoRecord], labels: dict[str, ParsedName]) -> ParsedName:
    # The name as the earliest repo writes it ("1.5B", not "1.5b" from a later re-upload).
    if len(repos) == 1:
        return labels[repos[0].repo_id]
    first = min(repos, key=lambda r: (r.created_at is None, r.created_at or "", r.repo_id))
    return labels[first.repo_id]


def _size_value(size: str) -> tuple[float, str]:
    m = re.match(r"(?:(\d+)x)?(\d+(?:\.\d+)?)([bmkt])", size.lower().removeprefix("e"))
    if not m:
        return (0.0, size)
    scale = {"k": 1e3, "m": 1e6, "b": 1e9, "t": 1e12}[m.group(3)]
    return (float(m.group(1) or 1) * float(m.group(2)) * scale, size)


def _earliest(repos: list[RepoRecord]) -> str | None:
    days = [r.created_at[:10] for r in repos if r.created_at]
    return min(days) if days else None


def _same_cluster(first_day: str | None, day: str | None, window_days: int) -> bool:
    if first_day is None or day is None:
        return first_day is None and day is None
    return _days(day) - _days(first_day) <= window_days


def _days(day: str) -> int:
    import datetime as dt

    try:
        return dt.date.fromisoformat(day).toordinal()
    except ValueError:
        return 0


def _day(day: str) -> PartialDate | None:
    try:
        return PartialDate.parse(day)
    except ValueError:
        return None


def _license(repo: RepoRecord) -> str:
    lic = repo.license or ""
    if lic == "other":
        name = getattr(repo, "license_name", "") or ""
        return name or lic
    return lic
