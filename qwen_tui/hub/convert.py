"""Hub answers -> `HubRepo` and model_info checks. Every stored string goes through `clean()`.

Two inputs, one result: a listing item as the Hub's JSON (dict, camelCase keys) and a
`huggingface_hub.ModelInfo` from model_info. Listing items are converted straight from the JSON:
building a ModelInfo parses every datetime with strptime and every cardData into a ModelCardData,
which was ~70% of a refresh's client CPU; here only the fields we store are read, and dates stay the
Hub's ISO strings. A test checks both paths give the same HubRepo for the same repo.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from qwen_tui.evidence import HUB_PLACEHOLDER_CREATED_AT, HubRepo
from qwen_tui.text import MAX_TEXT, clean

MAX_TAGS = 200


def fast_clean(value: Any, max_len: int = MAX_TEXT) -> str:
    """`clean()`, skipping the regexes for short printable ASCII (which clean() leaves as is)."""
    if isinstance(value, str) and len(value) <= max_len and value.isascii() and value.isprintable():
        return value
    return clean(value, max_len)


# JavaScript's largest exact integer: a count past it did not come from a real Hub counter.
MAX_COUNT = 2**53


def count(value: Any) -> int | None:
    """A count from the Hub, or None (unknown): not an int, negative, or past 2**53."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT:
        return value
    return None


GATED_MODES = ("auto", "manual")


def gated_mode(value: Any) -> str | None:
    """The Hub's `gated`: False (open), "auto" or "manual". Anything else is unknown: None.

    None also means "not gated" in a HubRepo: a value we cannot read is never taken as gated.
    """
    return value if value in GATED_MODES else None


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:?\d{2})?)?$")


def _date(value: Any) -> str | None:
    if isinstance(value, datetime):
        value = iso(value)
    if not isinstance(value, str) or value == HUB_PLACEHOLDER_CREATED_AT or not _ISO_DATE.match(value):
        return None
    return fast_clean(value, 40)


def iso(dt: datetime) -> str:
    """A datetime in the Hub's own form, 2024-06-01T10:00:00.000Z."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond // 1000:03d}Z"


def _first_str(value: Any) -> str:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return value if isinstance(value, str) else ""


def _tags(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    value = value[:MAX_TAGS]
    try:
        joined = " ".join(value)  # TypeError when an item is not a string
    except TypeError:
        return tuple(fast_clean(t) for t in value if isinstance(t, str))
    # One C-level check for the usual case (every tag short printable ASCII, which clean() would
    # return unchanged) instead of one clean() per tag: a repo has a dozen or more tags.
    if joined.isascii() and joined.isprintable() and (len(joined) <= MAX_TEXT or max(map(len, value)) <= MAX_TEXT):
        return tuple(value)
    return tuple(fast_clean(t) for t in value)


def _license(tags: tuple[str, ...], card: Mapping[str, Any]) -> str:
    # The Hub derives the "license:" tag from the card; prefer it, fall back to the card itself.
    for t in tags:
        if t.startswith("license:"):
            return t[len("license:"):]
    return fast_clean(_first_str(card.get("license")), 80)


def _base_models(tags: tuple[str, ...], card: Mapping[str, Any]) -> tuple[str, ...]:
    base = card.get("base_model")
    if isinstance(base, str):
        names = [base]
    else:
        names = [b for b in base if isinstance(b, str)] if isinstance(base, list) else []
    if not names:
        # "base_model:org/name" (the relation forms are "base_model:finetune:org/name").
        names = [t[len("base_model:"):] for t in tags
                 if t.startswith("base_model:") and ":" not in t[len("base_model:"):]]
    return tuple(fast_clean(n) for n in names[:20])


def base_models_of(value: Any) -> tuple[str, ...] | None:
    """model_info's baseModels: a list of ids, or {"relation": ..., "models": [{"id": ...}]}."""
    if isinstance(value, Mapping):
        value = value.get("models")
    if not isinstance(value, list):
        return None
    out = []
    for v in value[:20]:
        name = v.get("id") if isinstance(v, Mapping) else v
        if isinstance(name, str) and name:
            out.append(fast_clean(name))
    return tuple(out)


def repo_from_item(item: Mapping[str, Any], *, org: str, vendor: str, fetched_at: str) -> HubRepo | None:
    """A listing item (the Hub's JSON) as a HubRepo; None when it has no usable id.

    Tuned: it runs for every repo of every org (tens of thousands a refresh), so the usual case
    (all text short printable ASCII) is settled with one check over the joined fields.
    """
    get = item.get
    rid = get("id")
    if type(rid) is not str or "/" not in rid:
        return None
    card = get("cardData")
    if not isinstance(card, Mapping):
        card = {}
    tags = _tags(get("tags"))
    created, modified = get("createdAt"), get("lastModified")
    pipeline, library = get("pipeline_tag") or "", get("library_name") or ""
    license_name = card.get("license_name") or ""
    gated = get("gated")
    texts = (rid, created, modified, pipeline, library, license_name)
    try:
        joined = " ".join(texts)  # type: ignore[arg-type]  # a field that is not a string raises TypeError
        plain = len(joined) <= MAX_TEXT and joined.isascii() and joined.isprintable()
    except TypeError:
        plain = False
    if plain:
        created = None if not created or created == HUB_PLACEHOLDER_CREATED_AT else created
        modified = modified or None
    else:
        rid = fast_clean(rid, 200)
        created, modified = _date(created), _date(modified)
        pipeline, library = fast_clean(_first_str(pipeline), 80), fast_clean(_first_str(library), 80)
        license_name = fast_clean(_first_str(license_name), 120)
    st = get("safetensors")
    return HubRepo(
        repo_id=rid,
        org=org,
        vendor=vendor,
        fetched_at=fetched_at,
        created_at=created,
        last_modified=modified,
        downloads=count(get("downloads")),
        downloads_all_time=count(get("downloadsAllTime")),
        likes=count(get("likes")),
        gated=gated_mode(gated),
        license=_license(tags, card),
        license_name=license_name,
        pipeline_tag=pipeline,
        library_name=library,
        params=count(st.get("total")) if isinstance(st, Mapping) else None,
        tags=tags,
        base_models=_base_models(tags, card),
        private=get("private") is True,
        disabled=get("disabled") is True,
    )


def repo_from_info(info: Any, *, org: str, vendor: str, fetched_at: str) -> HubRepo | None:
    """A huggingface_hub ModelInfo as a HubRepo (the same fields as `repo_from_item`)."""
    card = info.card_data.to_dict() if info.card_data is not None else {}
    st = info.safetensors
    item = {
        "id": info.id, "createdAt": info.created_at, "lastModified": info.last_modified,
        "downloads": info.downloads, "downloadsAllTime": info.downloads_all_time,
        "likes": info.likes, "gated": info.gated, "tags": info.tags, "cardData": card,
        "pipeline_tag": info.pipeline_tag, "library_name": info.library_name,
        "safetensors": {"total": st.total} if st is not None else None,
        "private": info.private, "disabled": info.disabled,
    }
    return repo_from_item(item, org=org, vendor=vendor, fetched_at=fetched_at)
