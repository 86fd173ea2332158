"""The sourcing rules: does every release rest on a primary source?

Primary means the vendor speaking for itself: its announcement, blog, docs or GitHub README (on a
site listed in the vendor's `official_sites`), its model card on huggingface.co (or ModelScope)
under one of its own Hub orgs, a paper, or its license file. Trackers (models.dev, Epoch AI),
news and aggregator pages may corroborate, never stand alone; a Hub mirror or a third-party org's
copy of a card is never cited at all. A release for which no primary source was found says so
with `confidence = "secondary"` and a `note` instead of passing a weaker source off as primary.

Pure: it reads a `Catalog` and returns problems; `scripts/sourcing_report.py` prints them and
`tests/test_sourcing.py` fails on any in the bundled catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from qwen_tui.model import Catalog, Release, Source, Vendor

PRIMARY_KINDS = ("announcement", "model-card", "paper", "docs", "license")
HUB_HOSTS = ("huggingface.co", "hf.co")
MODELSCOPE_HOSTS = ("modelscope.cn", "modelscope.ai")
# Where papers live, whoever wrote them.
PAPER_HOSTS = ("arxiv.org", "openreview.net", "aclanthology.org", "proceedings.mlr.press",
               "proceedings.neurips.cc")
# Hosts that publish license texts on their stewards' behalf.
LICENSE_HOSTS = ("apache.org", "opensource.org", "spdx.org", "creativecommons.org")
# A model card is the repo's front page or its README; anything else under a repo (discussions,
# commits, config files, tokenizer files) is not the card.
_CARD_PATH = re.compile(r"^/(?P<org>[^/]+)/(?P<repo>[^/]+)(?:/(?:blob|raw)/[^/]+/README\.md)?/?$", re.I)
_MODELSCOPE_CARD = re.compile(r"^/models/(?P<org>[^/]+)/(?P<repo>[^/]+)(?:/summary)?/?$", re.I)


@dataclass(frozen=True)
class Problem:
    vendor: str
    release: str
    message: str

    def __str__(self) -> str:
        return f"{self.vendor}/{self.release}: {self.message}"


def _host(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return host, parts.path or "/"


def _on(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


def on_official_site(url: str, vendor: Vendor) -> bool:
    """True when `url` is under one of the vendor's own sites ("host" or "host/path-prefix")."""
    host, path = _host(url)
    if host == "raw.githubusercontent.com":  # a README or LICENSE read raw is still the repo's
        host = "github.com"
    path = path.lower()
    for site in vendor.official_sites:
        site_host, _, site_path = site.lower().partition("/")
        if _on(host, site_host) and (not site_path or path == "/" + site_path
                                     or path.startswith("/" + site_path + "/")):
            return True
    return False


def _own_org(org: str, vendor: Vendor) -> bool:
    return org.lower() in {o.lower() for o in vendor.hub_orgs}


def source_problem(src: Source, vendor: Vendor) -> str | None:
    """Why `src` must not be cited as it is (a mirror, a non-card under 'model-card'), or None."""
    host, path = _host(src.url)
    if "hf-mirror" in host or (host.endswith("huggingface.co") and host not in HUB_HOSTS):
        return f"cites a Hub mirror ({host}): link huggingface.co itself"
    if src.kind == "model-card":
        if host in HUB_HOSTS:
            m = _CARD_PATH.match(path)
            if not m or m.group("org").lower() in ("datasets", "spaces", "collections", "papers", "blog"):
                return f"'model-card' source is not a model card page: {src.url}"
            if not _own_org(m.group("org"), vendor):
                return f"'model-card' source is a third-party org's repo ({m.group('org')}): {src.url}"
        elif any(_on(host, h) for h in MODELSCOPE_HOSTS):
            m = _MODELSCOPE_CARD.match(path)
            if not m:
                return f"'model-card' source is not a ModelScope model page: {src.url}"
        else:
            return f"'model-card' source is not on huggingface.co or ModelScope ({host})"
    return None


def is_primary(src: Source, vendor: Vendor) -> bool:
    if src.kind not in PRIMARY_KINDS or source_problem(src, vendor):
        return False
    host, path = _host(src.url)
    if src.kind == "model-card":
        return True  # source_problem() already checked host, page and org
    if on_official_site(src.url, vendor):
        return True
    if host in HUB_HOSTS:
        # A card or LICENSE file in the vendor's own repo is the vendor speaking.
        m = re.match(r"^/([^/]+)/[^/]+", path)
        if src.kind == "paper" and path.startswith("/papers/"):
            return True
        return m is not None and _own_org(m.group(1), vendor) and src.kind in ("license", "docs", "announcement")
    if src.kind == "paper":
        return any(_on(host, h) for h in PAPER_HOSTS)
    if src.kind == "license":
        return any(_on(host, h) for h in LICENSE_HOSTS)
    return False


def release_problems(rel: Release, vendor: Vendor) -> list[Problem]:
    out = [Problem(rel.vendor, rel.id, p) for p in
           (source_problem(s, vendor) for s in rel.sources) if p]
    if not any(is_primary(s, vendor) for s in rel.sources) and rel.confidence != "secondary":
        kinds = ", ".join(sorted({s.kind for s in rel.sources}))
        out.append(Problem(rel.vendor, rel.id,
                           f"no primary source (has: {kinds}); cite the vendor's own page, a card "
                           "under its Hub org, a paper or the license — or set confidence = "
                           "\"secondary\" with a note (if the vendor owns a cited site, add it to "
                           "its official_sites)"))
    return out


def catalog_problems(catalog: Catalog) -> list[Problem]:
    out: list[Problem] = []
    for rel in catalog.releases:
        vendor = catalog.vendors.get(rel.vendor)
        if vendor is not None:
            out.extend(release_problems(rel, vendor))
    return sorted(out, key=lambda p: (p.vendor, p.release, p.message))
