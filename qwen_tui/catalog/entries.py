"""Turn validated TOML tables into vendors, releases and licenses (format: `FORMAT.md`)."""

from __future__ import annotations

import re
from typing import Any

from qwen_tui.catalog.toml_file import URL_RE, Entry, TomlFile, check_inert, date_field
from qwen_tui.model import (
    CATALOG_STATUSES,
    COMMERCIAL_USE,
    CONFIDENCE,
    DISPUTE_FIELDS,
    RELEASE_TAGS,
    Dispute,
    License,
    PartialDate,
    Release,
    Retirement,
    Status,
    Vendor,
)

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
_VENDOR_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_LAB_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_REPO_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
# A models.dev entry key, "<lab>/<model>": the path of models/<lab>/<model>.toml (modelsdev/parse.py).
MODELS_DEV_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}/[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_SITE_RE = re.compile(r"^[a-z0-9.-]+\.[a-z]{2,}(/[A-Za-z0-9._/-]+)?$")

VENDOR_KEYS = {"id", "name", "country", "hub_orgs", "cloud", "cloud_url", "sources",
               "models_dev_labs", "official_sites"}
_VENDOR_REQUIRED = {"id", "name", "country", "hub_orgs", "cloud"}
_RELEASE_KEYS = {
    "id", "name", "generation", "date", "status", "license", "hf_repos", "params",
    "repo_licenses", "tags", "summary", "sources", "disputes", "confidence", "note", "retired",
    "models_dev",
}
_RELEASE_REQUIRED = {"id", "name", "generation", "date", "status", "license", "sources"}
_LICENSE_KEYS = {
    "id", "name", "url", "hub_ids", "spdx", "osi_approved", "commercial_use",
    "commercial_condition", "mau_cap", "attribution", "naming", "use_policy", "summary", "sources",
    "use_restrictions", "derivatives", "outputs", "governing_law", "family", "effective",
}
_LICENSE_REQUIRED = {"id", "name", "url", "osi_approved", "commercial_use", "sources"}
_DISPUTE_KEYS = {"field", "value", "source", "note"}
_RETIRED_KEYS = {"date", "source", "note"}


def parse_vendor(f: TomlFile, table: Any) -> Vendor:
    e = Entry(f, table, "vendor", 0, VENDOR_KEYS, _VENDOR_REQUIRED, "vendor")
    vid = e.string("id", pattern=_VENDOR_ID_RE, what="a vendor id ([a-z0-9-])")
    if vid != f.path.stem:
        raise e.err(f"vendor id {vid!r} must equal the file name {f.path.stem!r}", "id")
    return Vendor(
        id=vid,
        name=e.string("name"),
        country=e.string("country", pattern=_COUNTRY_RE, what="an ISO 3166-1 alpha-2 code"),
        hub_orgs=e.str_list("hub_orgs", pattern=re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$"),
                            what="a Hub org name"),
        cloud=e.string("cloud"),
        cloud_url=e.optional_url("cloud_url"),
        sources=e.sources(required=False),
        models_dev_labs=e.str_list("models_dev_labs", pattern=_LAB_RE, what="a models.dev lab id"),
        official_sites=e.str_list("official_sites", pattern=_SITE_RE,
                                  what="a host or host/path (no scheme)"),
        origin=f.label,
    )


def parse_release(f: TomlFile, table: Any, index: int, vendor_id: str) -> Release:
    e = Entry(f, table, "release", index, _RELEASE_KEYS, _RELEASE_REQUIRED, "release")
    rid = e.string("id", pattern=_ID_RE, what="a release id ([a-z0-9.+-])")
    date = date_field(e, "date", e.string("date"))
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
        for k in _DISPUTE_KEYS:
            check_inert(e, "disputes", d.get(k, ""))
        if not URL_RE.match(d["source"]):
            raise e.err(f"dispute source {d['source']!r} is not an http(s) URL", "disputes")
        if d["field"] == "date":
            try:
                PartialDate.parse(d["value"])
            except ValueError as exc:
                raise e.err(f"bad disputed date: {exc}", "disputes") from None
        disputes.append(Dispute(d["field"], d["value"], d["source"], d.get("note", "")))
    confidence = e.choice("confidence", ("", *CONFIDENCE)) if "confidence" in e.t else ""
    note = e.string("note")
    if confidence and not note.strip():
        raise e.err("required when confidence is set: say which primary source is missing", "note")
    return Release(
        id=rid,
        vendor=vendor_id,
        name=e.string("name"),
        generation=e.string("generation"),
        date=date,
        status=status,
        license=e.string("license"),
        sources=e.sources(),
        hf_repos=repos,
        params=e.str_list("params"),
        repo_licenses=tuple(repo_licenses),
        tags=e.str_list("tags", choices=RELEASE_TAGS),
        summary=e.string("summary"),
        disputes=tuple(disputes),
        confidence=confidence,
        note=note,
        retired=_retirement(e),
        origin=f.label,
        models_dev=e.str_list("models_dev", pattern=MODELS_DEV_ID_RE,
                              what="a models.dev id (<lab>/<model>)"),
    )


def parse_license(f: TomlFile, table: Any, index: int) -> License:
    e = Entry(f, table, "license", index, _LICENSE_KEYS, _LICENSE_REQUIRED, "license")
    lid = e.string("id", pattern=_ID_RE, what="a license id ([a-z0-9.+-])")
    url = e.string("url", pattern=URL_RE, what="an http(s) URL")
    commercial = e.choice("commercial_use", COMMERCIAL_USE)
    condition = e.string("commercial_condition")
    if commercial == "conditional" and not condition.strip():
        raise e.err("required when commercial_use is 'conditional'", "commercial_condition")
    family = e.string("family", pattern=_ID_RE, what="a license family id ([a-z0-9.+-])")
    effective = date_field(e, "effective", e.string("effective")) if "effective" in e.t else None
    if family and effective is None:
        raise e.err("required when family is set: the date this version took effect", "effective")
    return License(
        id=lid,
        name=e.string("name"),
        url=url,
        osi_approved=e.flag("osi_approved"),
        commercial_use=commercial,
        commercial_condition=condition,
        mau_cap=e.count("mau_cap"),
        attribution=e.string("attribution"),
        naming=e.string("naming"),
        use_policy=e.optional_url("use_policy"),
        summary=e.string("summary"),
        spdx=e.string("spdx"),
        hub_ids=e.str_list("hub_ids"),
        use_restrictions=e.string("use_restrictions"),
        derivatives=e.string("derivatives"),
        outputs=e.string("outputs"),
        governing_law=e.string("governing_law"),
        family=family,
        effective=effective,
        sources=e.sources(),
        origin=f.label,
    )


def _retirement(e: Entry) -> Retirement | None:
    raw = e.t.get("retired")
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - _RETIRED_KEYS or not {"date", "source"} <= set(raw):
        raise e.err("must be { date = \"YYYY-MM-DD\", source = \"https://...\", note = \"...\" }",
                    "retired")
    if not all(isinstance(raw.get(k, ""), str) for k in _RETIRED_KEYS):
        raise e.err("retired values must be strings", "retired")
    for k in _RETIRED_KEYS:
        check_inert(e, "retired", raw.get(k, ""))
    if not URL_RE.match(raw["source"]):
        raise e.err(f"retired source {raw['source']!r} is not an http(s) URL", "retired")
    return Retirement(date_field(e, "retired", raw["date"]), raw["source"], raw.get("note", ""))
