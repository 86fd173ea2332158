"""Entries, vendors and licenses as plain dicts (for --json) and rows (for --csv).

The JSON schema is documented in README.md ("`list --json` schema"); change both together.
Every string from outside was cleaned on the way into the cache; `json.dumps` escapes the rest.
"""

from __future__ import annotations

from typing import Any

from qwen_tui.model import License
from qwen_tui.query import VendorSummary
from qwen_tui.reconcile import Entry
from qwen_tui.text import clean

CSV_COLUMNS = ("vendor", "id", "name", "generation", "date", "status", "catalog_status",
               "license", "hf_repos", "params", "downloads", "likes", "flagged", "sources", "origin")


def origin(e: Entry) -> str:
    """Who asserts this row: "catalog", "models.dev" (an entry the catalog lacks) or "hub"
    (discovered repos grouped by name)."""
    return e.release.provenance if e.release else "hub"


def entry_dict(e: Entry) -> dict[str, Any]:
    """One entry for --json. Strings that can come from the Hub are cleaned again here, so the
    output is inert even if a cache row somehow was not (the ingest side cleans them first)."""
    rel = e.release
    made_by = origin(e)
    hub_seen = any(v.state != "unknown" for v in e.repos)
    d: dict[str, Any] = {
        "vendor": e.vendor,
        "id": clean(e.id),
        "origin": origin(e),
        "name": clean(e.name),
        "generation": e.generation,
        "date": str(e.date) if e.date else None,
        "date_precision": e.date.precision if e.date else None,
        "date_source": "hub-created" if made_by == "hub" else made_by,
        "status": e.status.value,
        "catalog_status": rel.status.value if rel else None,
        "license": clean(e.license),
        "repo_licenses": ({v.repo_id: _hub_license(v.hub) for v in e.repos if v.hub and v.hub.license}
                          if made_by == "hub" else dict(rel.repo_licenses) if rel is not None else {}),
        "hf_repos": [clean(v.repo_id) for v in e.repos],
        "params": list(rel.params) if rel else [],
        "tags": list(rel.tags) if rel else [],
        "sources": [{"url": s.url, "kind": s.kind, "title": s.title} for s in rel.sources] if rel else [],
        "disputes": [{"field": d.field, "value": d.value, "source": d.source, "note": d.note}
                     for d in rel.disputes] if rel else [],
        "conflicts": [clean(c, 1000) for c in e.conflicts],
        "evidence": [{"text": clean(f.text, 1000), "source": clean(f.source, 1000)} for f in e.evidence],
        "hub": None,
    }
    if hub_seen:
        d["hub"] = {
            "downloads": e.downloads,
            "likes": e.likes,
            "derivatives": e.children,
            "repos": [
                {
                    "id": clean(v.repo_id),
                    "state": v.state,
                    "renamed_to": clean(v.renamed_to) or None,
                    "gated": clean(v.hub.gated) if v.hub and v.hub.gated else False,
                    "license": clean(v.hub.license) if v.hub else None,
                    "downloads": v.hub.downloads if v.hub else None,
                    "downloads_all_time": v.hub.downloads_all_time if v.hub else None,
                    "likes": v.hub.likes if v.hub else None,
                    "derivatives": v.children,
                    "created_at": v.hub.created_at if v.hub else None,
                    "last_modified": v.hub.last_modified if v.hub else None,
                    "fetched_at": v.hub.fetched_at if v.hub else None,
                }
                for v in e.repos
            ],
        }
    return d


def _hub_license(hub) -> str:
    """A discovered repo's license tag, with the card's license_name behind "other"."""
    return clean(hub.license_name if hub.license == "other" and hub.license_name else hub.license)


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...) exfiltrates);
# a leading ' makes it text, as OWASP's CSV-injection advice and the spreadsheets themselves expect.
FORMULA_STARTS = ("=", "+", "-", "@")


def csv_cell(value: object) -> str:
    """One CSV cell: inert text (CSV escapes no control characters) that no spreadsheet evaluates."""
    text = clean(value, 4000)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def entry_row(e: Entry) -> list[str]:
    """One CSV row, every cell through `csv_cell`."""
    rel = e.release
    return [csv_cell(cell) for cell in [
        e.vendor, e.id, e.name, e.generation, str(e.date) if e.date else "", e.status.value,
        rel.status.value if rel else "", e.license, ";".join(v.repo_id for v in e.repos),
        ";".join(rel.params) if rel else "",
        "" if e.downloads is None else str(e.downloads), "" if e.likes is None else str(e.likes),
        "yes" if e.flagged else "", ";".join(s.url for s in rel.sources) if rel else "", origin(e),
    ]]


def vendor_dict(s: VendorSummary) -> dict[str, Any]:
    v = s.vendor
    return {
        "id": v.id, "name": v.name, "country": v.country, "hub_orgs": list(v.hub_orgs),
        "cloud": v.cloud, "cloud_url": v.cloud_url or None,
        "counts": {status.value: n for status, n in s.counts.items()},
        "releases": s.total,
    }


def license_dict(lic: License) -> dict[str, Any]:
    return {
        "id": lic.id, "name": lic.name, "url": lic.url, "spdx": lic.spdx or None,
        "osi_approved": lic.osi_approved, "commercial_use": lic.commercial_use,
        "commercial_condition": lic.commercial_condition or None, "mau_cap": lic.mau_cap,
        "attribution": lic.attribution or None, "naming": lic.naming or None,
        "use_policy": lic.use_policy or None, "summary": lic.summary or None,
        "hub_ids": list(lic.hub_ids),
        "sources": [{"url": s.url, "kind": s.kind, "title": s.title} for s in lic.sources],
    }
