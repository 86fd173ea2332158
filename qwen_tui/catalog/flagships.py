"""Which releases a vendor itself presents as its flagship: `flagships.toml` beside vendors/.

A flagship is a sourced fact, never a guess: each entry names a catalogued release and the URL where
the vendor presents it so. Validation is as strict as the catalog's (unknown keys, unknown release
ids, missing sources are errors naming file and entry). A later catalog folder may add entries or
replace an earlier folder's entry for the same release.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from qwen_tui.catalog import BUNDLED_DIR
from qwen_tui.catalog.toml_file import URL_RE
from qwen_tui.errors import CatalogError
from qwen_tui.model import Catalog
from qwen_tui.text import UNSAFE

FILE_NAME = "flagships.toml"
# flagship: the vendor calls it its flagship / most capable / most powerful model.
# open-weight-lead: the vendor presents it as its (state-of-the-art) open-weight model line's top
# release without calling it its overall flagship (OpenAI's gpt-oss).
# flagship-tier: the release is the vendor's model of a tier the vendor itself heads as its
# flagship models (Alibaba's Model Studio: 通义千问-Max / -Plus / -Turbo under 旗舰模型), or the
# vendor names it the open form of such a model (Qwen3.5-Plus is "the hosted version corresponding
# to Qwen3.5-397B-A17B"). The note names the tier. Rules: docs/pivot.md.
ROLES = ("flagship", "open-weight-lead", "flagship-tier")
_KEYS = {"release", "source", "note", "role"}


@dataclass(frozen=True)
class Flagship:
    """A release its vendor presents as its flagship (or open-weight lead), with where it says so."""

    release: str
    source: str
    note: str = ""
    role: str = "flagship"
    origin: str = ""


def load_flagships(catalog: Catalog, extra_dirs: list[Path] | tuple[Path, ...] = (), *,
                   bundled: bool = True) -> tuple[Flagship, ...]:
    """Flagship facts of the bundled folder then each extra folder (later entries replace earlier
    ones for the same release), checked against `catalog`. Sorted by release date."""
    dirs = ([BUNDLED_DIR] if bundled else []) + [Path(d) for d in extra_dirs]
    found: dict[str, Flagship] = {}
    for d in dirs:
        path = d / FILE_NAME
        if path.is_file():
            label = f"<bundled>/{FILE_NAME}" if d == BUNDLED_DIR else str(path)
            for f in _read(path, label, catalog):
                found[f.release] = f
    by_id = {r.id: r for r in catalog.releases}
    return tuple(sorted(found.values(), key=lambda f: (by_id[f.release].date.sort_key, f.release)))


def _read(path: Path, label: str, catalog: Catalog) -> list[Flagship]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(label, f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(label, f"invalid TOML: {exc}") from None
    for key in data:
        if key != "flagship":
            raise CatalogError(label, f"unknown top-level key {key!r} (allowed: flagship)", field=key)
    tables = data.get("flagship", [])
    if not isinstance(tables, list):
        raise CatalogError(label, "must be an array of tables: [[flagship]]", field="flagship")
    known = {r.id for r in catalog.releases}
    out: list[Flagship] = []
    seen: set[str] = set()
    for i, t in enumerate(tables):
        entry = f"flagship #{i + 1}"
        if not isinstance(t, dict):
            raise CatalogError(label, "must be a table", entry=entry)
        if isinstance(t.get("release"), str):
            entry = f"flagship '{t['release']}'"
        for key in t:
            if key not in _KEYS:
                raise CatalogError(label, f"unknown key (allowed: {', '.join(sorted(_KEYS))})",
                                   entry=entry, field=key)
        for key in ("release", "source"):
            if key not in t:
                raise CatalogError(label, "missing required field", entry=entry, field=key)
        for key in _KEYS & set(t):
            value = t[key]
            if not isinstance(value, str):
                raise CatalogError(label, f"must be a string, not {type(value).__name__}",
                                   entry=entry, field=key)
            m = UNSAFE.search(value)
            if m:
                raise CatalogError(label, f"contains control character U+{ord(m.group()):04X}",
                                   entry=entry, field=key)
        rid, source = t["release"], t["source"]
        role = t.get("role", "flagship")
        if rid not in known:
            raise CatalogError(label, f"unknown release id {rid!r}", entry=entry, field="release")
        if rid in seen:
            raise CatalogError(label, "listed twice", entry=entry, field="release")
        if not URL_RE.match(source):
            raise CatalogError(label, f"{source!r} is not an http(s) URL", entry=entry, field="source")
        if role not in ROLES:
            raise CatalogError(label, f"{role!r} is not one of: {', '.join(ROLES)}", entry=entry,
                               field="role")
        seen.add(rid)
        out.append(Flagship(release=rid, source=source, note=t.get("note", ""), role=role,
                            origin=label))
    return out
