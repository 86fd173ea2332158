"""Read and validate catalog TOML files (format: `FORMAT.md` beside this file).

Validation is strict because every fact the app shows must be sourced: an unknown key is more
likely a typo that would silently drop a fact than an extension. Every error names the file, the
line (where it can be found), the entry and the field.
"""

from __future__ import annotations

import re
import tomllib

from pathlib import Path
from typing import Any

from qwen_tui.errors import CatalogError
from qwen_tui.model import (
    CATALOG_STATUSES,
    COMMERCIAL_USE,
    DISPUTE_FIELDS,
    RELEASE_TAGS,
    SOURCE_KINDS,
    Catalog,
    Dispute,
    License,
    PartialDate,
    Release,
    Source,
    Status,
    Vendor,
)

from qwen_tui.catalog import BUNDLED_DIR

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
_VENDOR_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_URL_RE = re.compile(r"^https?://[^\s]+$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")

_VENDOR_KEYS = {"id", "name", "country", "hub_orgs", "cloud", "cloud_url", "sources"}
_VENDOR_REQUIRED = {"id", "name", "country", "hub_orgs", "cloud"}
_RELEASE_KEYS = {
    "id", "name", "generation", "date", "status", "license", "hf_repos", "params",
    "repo_licenses", "tags", "summary", "sources", "disputes",
}
_RELEASE_REQUIRED = {"id", "name", "generation", "date", "status", "license", "sources"}
_LICENSE_KEYS = {
    "id", "name", "url", "hub_ids", "spdx", "osi_approved", "commercial_use",
    "commercial_condition", "mau_cap", "attribution", "naming", "use_policy", "summary", "sources",
}
_LICENSE_REQUIRED = {"id", "name", "url", "osi_approved", "commercial_use", "sources"}
_SOURCE_KEYS = {"url", "kind", "title"}
_DISPUTE_KEYS = {"field", "value", "source", "note"}


class _File:
    """One TOML file being validated: knows its path and text, to point errors at a line."""

    def __init__(self, path: Path, label: str) -> None:
        self.path = path
        self.label = label
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CatalogError(label, f"cannot read: {exc.strerror or exc}") from None
        try:
            self.text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogError(label, f"not UTF-8 (byte {exc.start})") from None
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            msg = str(exc)
            line = None
            m = re.search(r"at line (\d+)", msg)
            if m:
                line = int(m.group(1))
                msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
            raise CatalogError(label, f"invalid TOML: {msg}", line=line) from None

    def line_of(self, entry_id: object, table: str | None = None) -> int | None:
        """The line where `id = "<entry_id>"` stands, or the first `[table]` header."""
        if isinstance(entry_id, str):
            pat = re.compile(r'^\s*id\s*=\s*["\']' + re.escape(entry_id) + r'["\']', re.M)
            m = pat.search(self.text)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        if table:
            m = re.search(r"^\s*\[+\s*" + re.escape(table) + r"\s*\]+", self.text, re.M)
            if m:
                return self.text.count("\n", 0, m.start()) + 1
        return None

    def error(self, message: str, *, entry_id: object = None, kind: str = "", index: int = 0,
              field: str | None = None, table: str | None = None) -> CatalogError:
        if isinstance(entry_id, str) and entry_id:
            entry = f"{kind} '{entry_id}'"
        elif kind:
            entry = f"{kind} #{index + 1}"
        else:
            entry = None
        return CatalogError(self.label, message, line=self.line_of(entry_id, table),
                            entry=entry, field=field)


class _Entry:
    """Typed field access on one table, raising errors that name file, entry and field."""

    def __init__(self, f: _File, table: Any, kind: str, index: int, keys: set[str],
                 required: set[str], table_name: str) -> None:
        self.f, self.kind, self.index, self.table_name = f, kind, index, table_name
        if not isinstance(table, dict):
            raise f.error(f"must be a table, not {type(table).__name__}", kind=kind, index=index,
                          table=table_name)
        self.t = table
        self.id = table.get("id")
        for key in table:
            if key not in keys:
                raise self.err(f"unknown key (allowed: {', '.join(sorted(keys))})", key)
        for key in sorted(required):
            if key not in table:
                raise self.err("missing required field", key)

    def err(self, message: str, field: str | None = None) -> CatalogError:
        return self.f.error(message, entry_id=self.id, kind=self.kind, index=self.index,
                            field=field, table=self.table_name)

    def str(self, key: str, default: str = "", *, pattern: re.Pattern[str] | None = None,
            what: str = "") -> str:
        value = self.t.get(key, default)
        if not isinstance(value, str):
            raise self.err(f"must be a string, not {type(value).__name__}", key)
        _check_inert(self, key, value)
        if key in self.t and not value.strip() and key in ("id", "name", "url", "generation"):
            raise self.err("must not be empty", key)
        if pattern is not None and key in self.t and not pattern.match(value):
            raise self.err(f"{value!r} is not {what or 'valid'}", key)
        return value

    def optional_url(self, key: str) -> str:
        """An optional field that, when given, must be an http(s) URL."""
        value = self.str(key)
        if value and not _URL_RE.match(value):
            raise self.err(f"{value!r} is not an http(s) URL", key)
        return value

    def choice(self, key: str, choices: tuple[str, ...]) -> str:
        value = self.str(key)
        if value not in choices:
            raise self.err(f"{value!r} is not one of: {', '.join(choices)}", key)
        return value

    def bool(self, key: str) -> bool:
        value = self.t.get(key)
        if not isinstance(value, bool):
            raise self.err(f"must be true or false, not {type(value).__name__}", key)
        return value

    def int(self, key: str) -> int | None:
        if key not in self.t:
            return None
        value = self.t[key]
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.err("must be a positive integer", key)
        return value

    def str_list(self, key: str, *, pattern: re.Pattern[str] | None = None, what: str = "",
                 choices: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.t.get(key, [])
        if not isinstance(value, list):
            raise self.err(f"must be a list of strings, not {type(value).__name__}", key)
        out = []
        for item in value:
            if not isinstance(item, str) or not item:
                raise self.err(f"must be a list of non-empty strings (found {item!r})", key)
            if pattern is not None and not pattern.match(item):
                raise self.err(f"{item!r} is not {what}", key)
            if choices is not None and item not in choices:
                raise self.err(f"{item!r} is not one of: {', '.join(choices)}", key)
            _check_inert(self, key, item)
            if item in out:
                raise self.err(f"{item!r} is listed twice", key)
            out.append(item)
        return tuple(out)

    def sources(self, key: str = "sources", *, required: bool = True) -> tuple[Source, ...]:
        value = self.t.get(key, [])
        if not isinstance(value, list):
            raise self.err("must be a list of { url = ..., kind = ... } tables", key)
        if required and not value:
            raise self.err("needs at least one source", key)
        out = []
        for item in value:
            if not isinstance(item, dict):
                raise self.err(f"each source must be {{ url = ..., kind = ... }}, found {item!r}", key)
            unknown = set(item) - _SOURCE_KEYS
            if unknown:
                raise self.err(f"unknown source key {sorted(unknown)[0]!r}", key)
            url, kind, title = item.get("url"), item.get("kind"), item.get("title", "")
            if not isinstance(url, str) or not _URL_RE.match(url):
                raise self.err(f"source url {url!r} is not an http(s) URL", key)
            if kind not in SOURCE_KINDS:
                raise self.err(f"source kind {kind!r} is not one of: {', '.join(SOURCE_KINDS)}", key)
            if not isinstance(title, str):
                raise self.err("source title must be a string", key)
            out.append(Source(url=url, kind=kind, title=title))
        return tuple(out)


# Escape sequences, control characters and bidi overrides have no place in catalog text: a file
# that holds one is rejected, so nothing a terminal would interpret can reach the screen from it.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
MAX_FIELD = 2000


def _check_inert(e: _Entry, key: str, value: str) -> None:
    m = _UNSAFE.search(value)
    if m:
        raise e.err(f"contains control character U+{ord(m.group()):04X}", key)
    if len(value) > MAX_FIELD:
        raise e.err(f"is {len(value)} characters long (at most {MAX_FIELD})", key)


def _parse_vendor(f: _File, table: Any) -> Vendor:
    e = _Entry(f, table, "vendor", 0, _VENDOR_KEYS, _VENDOR_REQUIRED, "vendor")
    vid = e.str("id", pattern=_VENDOR_ID_RE, what="a vendor id ([a-z0-9-])")
    if vid != f.path.stem:
        raise e.err(f"vendor id {vid!r} must equal the file name {f.path.stem!r}", "id")
    return Vendor(
        id=vid,
        name=e.str("name"),
        country=e.str("country", pattern=_COUNTRY_RE, what="an ISO 3166-1 alpha-2 code"),
        hub_orgs=e.str_list("hub_orgs", pattern=re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
                            what="a Hub org name"),
        cloud=e.str("cloud"),
        cloud_url=e.optional_url("cloud_url"),
        sources=e.sources(required=False),
        origin=f.label,
    )


def _parse_release(f: _File, table: Any, index: int, vendor_id: str) -> Release:
    e = _Entry(f, table, "release", index, _RELEASE_KEYS, _RELEASE_REQUIRED, "release")
    rid = e.str("id", pattern=_ID_RE, what="a release id ([a-z0-9.+-])")
    raw_date = e.str("date")
    try:
        date = PartialDate.parse(raw_date)
    except ValueError as exc:
        raise e.err(f"bad date: {exc}", "date") from None
    status = Status(e.choice("status", tuple(s.value for s in CATALOG_STATUSES)))
    repos = e.str_list("hf_repos", pattern=_REPO_RE, what="a Hub repo id (org/name)")
    if status in (Status.OPEN_WEIGHT, Status.GATED) and not repos:
        raise e.err(f"a {status.value} release needs at least one Hub repo", "hf_repos")
    if status is Status.CLOUD_ONLY and repos:
        raise e.err("a cloud-only release has no Hub repos", "hf_repos")
    repo_licenses_raw = e.t.get("repo_licenses", {})
    if not isinstance(repo_licenses_raw, dict):
        raise e.err('must be a table { "org/repo" = "license-id" }', "repo_licenses")
    repo_licenses = []
    for repo, lic in repo_licenses_raw.items():
        if not isinstance(lic, str):
            raise e.err(f"license of {repo!r} must be a string", "repo_licenses")
        if repo not in repos:
            raise e.err(f"{repo!r} is not in hf_repos", "repo_licenses")
        repo_licenses.append((repo, lic))
    disputes_raw = e.t.get("disputes", [])
    if not isinstance(disputes_raw, list):
        raise e.err("must be a list of { field, value, source } tables", "disputes")
    disputes = []
    for d in disputes_raw:
        if not isinstance(d, dict) or set(d) - _DISPUTE_KEYS or not {"field", "value", "source"} <= set(d):
            raise e.err("each dispute is { field = ..., value = ..., source = ..., note = ... }",
                        "disputes")
        if d["field"] not in DISPUTE_FIELDS:
            raise e.err(f"dispute field {d['field']!r} is not one of: {', '.join(DISPUTE_FIELDS)}",
                        "disputes")
        if not all(isinstance(d.get(k, ""), str) for k in _DISPUTE_KEYS):
            raise e.err("dispute values must be strings", "disputes")
        if not _URL_RE.match(d["source"]):
            raise e.err(f"dispute source {d['source']!r} is not an http(s) URL", "disputes")
        if d["field"] == "date":
            try:
                PartialDate.parse(d["value"])
            except ValueError as exc:
                raise e.err(f"bad disputed date: {exc}", "disputes") from None
        disputes.append(Dispute(d["field"], d["value"], d["source"], d.get("note", "")))
    return Release(
        id=rid,
        vendor=vendor_id,
        name=e.str("name"),
        generation=e.str("generation"),
        date=date,
        status=status,
        license=e.str("license"),
        sources=e.sources(),
        hf_repos=repos,
        params=e.str_list("params"),
        repo_licenses=tuple(repo_licenses),
        tags=e.str_list("tags", choices=RELEASE_TAGS),
        summary=e.str("summary"),
        disputes=tuple(disputes),
        origin=f.label,
    )


def _parse_license(f: _File, table: Any, index: int) -> License:
    e = _Entry(f, table, "license", index, _LICENSE_KEYS, _LICENSE_REQUIRED, "license")
    lid = e.str("id", pattern=_ID_RE, what="a license id ([a-z0-9.+-])")
    url = e.str("url", pattern=_URL_RE, what="an http(s) URL")
    commercial = e.choice("commercial_use", COMMERCIAL_USE)
    condition = e.str("commercial_condition")
    if commercial == "conditional" and not condition.strip():
        raise e.err("required when commercial_use is 'conditional'", "commercial_condition")
    return License(
        id=lid,
        name=e.str("name"),
        url=url,
        osi_approved=e.bool("osi_approved"),
        commercial_use=commercial,
        commercial_condition=condition,
        mau_cap=e.int("mau_cap"),
        attribution=e.str("attribution"),
        naming=e.str("naming"),
        use_policy=e.optional_url("use_policy"),
        summary=e.str("summary"),
        spdx=e.str("spdx"),
        hub_ids=e.str_list("hub_ids"),
        sources=e.sources(),
        origin=f.label,
    )


def _label(path: Path, root: Path, bundled: bool) -> str:
    rel = path.relative_to(root).as_posix()
    return f"<bundled>/{rel}" if bundled else str(path)


class _Builder:
    """Accumulates one or more catalog folders; a later folder's ids replace earlier ones."""

    def __init__(self) -> None:
        self.vendors: dict[str, Vendor] = {}
        self.releases: dict[str, Release] = {}
        self.licenses: dict[str, License] = {}
        self.files: list[str] = []

    def add_dir(self, root: Path, *, bundled: bool) -> None:
        if not root.is_dir():
            raise CatalogError(str(root), "is not a directory")
        known = {"vendors", "licenses"}
        for child in sorted(root.iterdir()):
            if child.suffix == ".toml" and child.name != "flagships.toml":  # catalog/flagships.py reads it
                raise CatalogError(_label(child, root, bundled),
                                   "catalog files belong in vendors/ or licenses/")
            if child.is_dir() and child.name not in known and not child.name.startswith("."):
                raise CatalogError(_label(child, root, bundled),
                                   "unknown folder (a catalog has vendors/ and licenses/)")
        # Licenses first: vendor files refer to them. Ids must be unique within one folder;
        # a later folder (the user's) may replace an earlier one's entry by reusing its id.
        seen_licenses: dict[str, str] = {}
        for path in sorted((root / "licenses").glob("*.toml")):
            f = _File(path, _label(path, root, bundled))
            self.files.append(f.label)
            _only_keys(f, {"license"})
            tables = f.data.get("license", [])
            if not isinstance(tables, list):
                raise f.error("must be an array of tables: [[license]]", table="license")
            for i, t in enumerate(tables):
                lic = _parse_license(f, t, i)
                if lic.id in seen_licenses:
                    raise f.error(f"duplicate license id (also in {seen_licenses[lic.id]})",
                                  entry_id=lic.id, kind="license", field="id")
                seen_licenses[lic.id] = f.label
                self.licenses[lic.id] = lic
        seen_releases: dict[str, str] = {}
        for path in sorted((root / "vendors").glob("*.toml")):
            f = _File(path, _label(path, root, bundled))
            self.files.append(f.label)
            _only_keys(f, {"vendor", "release"})
            if "vendor" in f.data:
                vendor = _parse_vendor(f, f.data["vendor"])
                self.vendors[vendor.id] = vendor
            elif path.stem not in self.vendors:
                raise f.error(f"no [vendor] table and no known vendor {path.stem!r} to add to",
                              table="vendor", field="vendor")
            tables = f.data.get("release", [])
            if not isinstance(tables, list):
                raise f.error("must be an array of tables: [[release]]", table="release")
            for i, t in enumerate(tables):
                rel = _parse_release(f, t, i, path.stem)
                if rel.id in seen_releases:
                    raise f.error(f"duplicate release id (also in {seen_releases[rel.id]})",
                                  entry_id=rel.id, kind="release", field="id")
                seen_releases[rel.id] = f.label
                self.releases[rel.id] = rel

    def build(self) -> Catalog:
        # Cross-references are checked once everything is read, so a user folder may supply a
        # license that its releases use.
        for rel in self.releases.values():
            for lic in rel.license_ids:
                if lic not in self.licenses:
                    raise CatalogError(rel.origin, f"unknown license id {lic!r}",
                                       entry=f"release '{rel.id}'",
                                       field="license" if lic == rel.license else "repo_licenses",
                                       line=_line_in(rel.origin, rel.id))
        releases = sorted(self.releases.values(), key=lambda r: (r.date.sort_key, r.id), reverse=True)
        return Catalog(vendors=dict(self.vendors), releases=tuple(releases),
                       licenses=dict(self.licenses), files=tuple(self.files))


def _line_in(label: str, entry_id: str) -> int | None:
    path = BUNDLED_DIR / label.removeprefix("<bundled>/") if label.startswith("<bundled>/") else Path(label)
    try:
        text = path.read_text("utf-8")
    except OSError:
        return None
    m = re.search(r'^\s*id\s*=\s*["\']' + re.escape(entry_id) + r'["\']', text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _only_keys(f: _File, allowed: set[str]) -> None:
    for key in f.data:
        if key not in allowed:
            raise f.error(f"unknown top-level key {key!r} (allowed: {', '.join(sorted(allowed))})",
                          field=key)


def load_catalog(extra_dirs: list[Path] | tuple[Path, ...] = (), *, bundled: bool = True) -> Catalog:
    """Load the bundled catalog, then each extra folder over it (later ids replace earlier ones)."""
    b = _Builder()
    if bundled:
        b.add_dir(BUNDLED_DIR, bundled=True)
    for d in extra_dirs:
        b.add_dir(Path(d), bundled=False)
    return b.build()



