"""Validate models.dev's `models.json` into typed, inert tracker entries.

models.json maps "<lab>/<model>" to the `ModelMetadata` of anomalyco/models.dev
(packages/core/src/schema.ts): name, family, release_date, last_updated, open_weights, license,
links [{url, type, label}], weights [{url, label, format, quantization}], and fields we do not use
(modalities, limit, benchmarks, ...), which are ignored.

The body comes from outside, so:
* JSON that is not an object of objects, or that has more than MAX_ENTRIES entries, fails the
  whole source with one line (`ModelsDevError`); the caller keeps its previous snapshot.
* An entry with a bad key, a wrong-typed field, no usable name, or text that held escape sequences
  or control characters is dropped and counted by reason (`Parsed.dropped`).
* A link or weights item whose URL is not a plain http(s) URL is dropped and counted
  (`Parsed.links_dropped`); its entry survives.
* Every string that survives has been through `text.clean()`. Brackets stay as literal text: views
  render with `rich.text.Text`, which never reads them as markup.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from qwen_tui.model import PartialDate
from qwen_tui.text import clean

# ~230 entries today; a body a hundred times larger is not models.dev as we know it.
MAX_ENTRIES = 20_000
MAX_ITEMS = 50  # links / weights kept per entry
MAX_URL = 2_000

# "<lab>/<model>": the path of models/<lab>/<model>.toml without ".toml".
_KEY_RE = re.compile(r"^([a-z0-9][a-z0-9._-]{0,63})/([A-Za-z0-9][A-Za-z0-9._/-]{0,199})$")
_URL_FORBIDDEN = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_HF_HOSTS = ("huggingface.co", "www.huggingface.co", "hf.co")
_HF_REPO_RE = re.compile(r"^/([A-Za-z0-9][A-Za-z0-9._-]*)/([A-Za-z0-9][A-Za-z0-9._-]*)/?$")


class ModelsDevError(ValueError):
    """The whole body is unusable; `str()` is one line for the refresh summary."""


@dataclass(frozen=True)
class Link:
    url: str
    type: str = ""  # announcement | blog | docs | license | model_card | paper | weights | other
    label: str = ""


@dataclass(frozen=True)
class Weights:
    url: str
    label: str = ""
    format: str = ""
    quantization: str = ""
    hf_repo: str = field(init=False, compare=False)  # "org/name" for a Hub model page, else ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "hf_repo", hf_repo_of(self.url))


@dataclass(frozen=True)
class TrackerEntry:
    """One models.dev model, validated and inert."""

    key: str  # "<lab>/<model>"
    name: str
    family: str = ""
    release_date: PartialDate | None = None
    last_updated: PartialDate | None = None
    open_weights: bool | None = None
    license: str = ""
    links: tuple[Link, ...] = ()
    weights: tuple[Weights, ...] = ()
    # The Hub repos its weights URLs name, in order, without repeats (computed once: merge asks
    # for them several times per entry).
    hf_repos: tuple[str, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        repos = dict.fromkeys(w.hf_repo for w in self.weights if w.hf_repo)
        object.__setattr__(self, "hf_repos", tuple(repos))

    @property
    def lab(self) -> str:
        return self.key.split("/", 1)[0]


@dataclass(frozen=True)
class Parsed:
    entries: tuple[TrackerEntry, ...]
    dropped: Mapping[str, int] = field(default_factory=dict)  # reason -> entries dropped
    links_dropped: int = 0  # links / weights items with a URL that is not plain http(s)
    skipped_labs: int = 0  # well-formed entries of labs the caller did not ask for

    @property
    def dropped_total(self) -> int:
        return sum(self.dropped.values())


class _Bad(Exception):
    """One entry is unusable; the message is the reason it is counted under."""


def parse_models_json(body: bytes | str, *, labs: Collection[str] | None = None) -> Parsed:
    """Parse a models.json body. Raises ModelsDevError (one line) when the body is unusable."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        msg = exc.msg if isinstance(exc, json.JSONDecodeError) else type(exc).__name__
        raise ModelsDevError(f"models.json is not valid JSON ({clean(msg, 80)})") from None
    return parse_models(data, labs=labs)


def parse_models(data: object, *, labs: Collection[str] | None = None) -> Parsed:
    """Validate decoded models.json data; `labs` keeps only entries of those labs."""
    if not isinstance(data, dict):
        raise ModelsDevError(f"models.json is a JSON {type(data).__name__}, not an object of models")
    if len(data) > MAX_ENTRIES:
        raise ModelsDevError(f"models.json has {len(data)} entries, more than {MAX_ENTRIES}")
    wanted = None if labs is None else frozenset(labs)
    entries: list[TrackerEntry] = []
    dropped: Counter[str] = Counter()
    links_dropped = skipped = 0
    for key, value in data.items():
        try:
            lab = _key_lab(key)
            if wanted is not None and lab not in wanted:
                skipped += 1
                continue
            entry, bad_links = _entry(key, value)
        except _Bad as bad:
            dropped[str(bad)] += 1
            continue
        entries.append(entry)
        links_dropped += bad_links
    return Parsed(tuple(entries), dict(dropped), links_dropped, skipped)


def hf_repo_of(url: str) -> str:
    """"org/name" for https://huggingface.co/org/name (a model repo page), else ""."""
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _HF_HOSTS:
        return ""
    m = _HF_REPO_RE.match(parts.path)
    if not m or m.group(1) in ("datasets", "spaces", "docs", "blog", "papers", "collections"):
        return ""
    return f"{m.group(1)}/{m.group(2)}"


def safe_url(value: object) -> str | None:
    """`value` if it is a plain absolute http(s) URL with a host and nothing hidden in it."""
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        return None
    if _URL_FORBIDDEN.search(value):
        return None
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or parts.username is not None:
        return None
    return value


def _key_lab(key: object) -> str:
    if not isinstance(key, str) or not _KEY_RE.match(key) or "//" in key or key.endswith("/"):
        raise _Bad("bad key")
    return key.split("/", 1)[0]


def _entry(key: str, value: object) -> tuple[TrackerEntry, int]:
    if not isinstance(value, dict):
        raise _Bad("not an object")
    name = _text(value, "name", required=True)
    links, bad_links = _items(value, "links", _link)
    weights, bad_weights = _items(value, "weights", _weights)
    entry = TrackerEntry(
        key=key,
        name=name,
        family=_text(value, "family", max_len=60),
        release_date=_date(value, "release_date"),
        last_updated=_date(value, "last_updated"),
        open_weights=_bool(value, "open_weights"),
        license=_text(value, "license", max_len=100),
        links=links,
        weights=weights,
    )
    return entry, bad_links + bad_weights


def _text(obj: dict, key: str, *, required: bool = False, max_len: int = 200) -> str:
    raw = obj.get(key)
    if raw is None:
        if required:
            raise _Bad(f"no {key}")
        return ""
    if not isinstance(raw, str):
        raise _Bad(f"{key} not a string")
    if len(raw) > max_len:
        raise _Bad(f"{key} too long")
    text = clean(raw, max_len)
    if text != raw:
        # Escapes, controls or bidi overrides in a model's name are an attack, not a typo.
        raise _Bad(f"{key} has control characters")
    if required and not text.strip():
        raise _Bad(f"no {key}")
    return text.strip()


def _date(obj: dict, key: str) -> PartialDate | None:
    raw = obj.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise _Bad(f"{key} not a string")
    try:
        return PartialDate.parse(raw)
    except ValueError:
        raise _Bad(f"{key} not a date") from None


def _bool(obj: dict, key: str) -> bool | None:
    raw = obj.get(key)
    if raw is None or isinstance(raw, bool):
        return raw
    raise _Bad(f"{key} not a boolean")


def _items(obj: dict, key: str, make) -> tuple[tuple, int]:
    raw = obj.get(key)
    if raw is None:
        return (), 0
    if not isinstance(raw, list):
        raise _Bad(f"{key} not a list")
    kept, bad = [], 0
    for item in raw[:MAX_ITEMS]:
        made = make(item) if isinstance(item, dict) else None
        if made is None:
            bad += 1
        elif made not in kept:
            kept.append(made)
    return tuple(kept), bad + max(0, len(raw) - MAX_ITEMS)


def _label(item: dict, key: str, max_len: int = 80) -> str | None:
    """A decorative string of a link: "" when absent, None when hostile (drops the item)."""
    raw = item.get(key)
    if raw is None:
        return ""
    if not isinstance(raw, str) or len(raw) > max_len or clean(raw, max_len) != raw:
        return None
    return raw.strip()


def _link(item: dict) -> Link | None:
    url = safe_url(item.get("url"))
    kind, label = _label(item, "type", 20), _label(item, "label")
    if url is None or kind is None or label is None:
        return None
    return Link(url, kind, label)


def _weights(item: dict) -> Weights | None:
    url = safe_url(item.get("url"))
    label, fmt, quant = _label(item, "label"), _label(item, "format", 40), _label(item, "quantization", 40)
    if url is None or label is None or fmt is None or quant is None:
        return None
    return Weights(url, label, fmt, quant)
