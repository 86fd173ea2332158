"""A small user catalog (vendor "zeta", models.dev lab "zeta") shared by the living-catalog and
list-memo tests: releases that models.dev entries join, dispute and leave alone."""

from __future__ import annotations

import textwrap

ZETA = textwrap.dedent("""
    [vendor]
    id = "zeta"
    name = "Zeta Labs"
    country = "US"
    hub_orgs = ["zeta"]
    cloud = "Zeta Cloud"
    models_dev_labs = ["zeta"]

    [[release]]
    id = "zeta-1"
    name = "Zeta-1"
    generation = "Zeta 1"
    date = "2025-01-10"
    status = "open-weight"
    license = "apache-2.0"
    hf_repos = ["zeta/Zeta-1-8B"]
    params = ["8B"]
    sources = [{ url = "https://example.org/zeta/zeta-1", kind = "announcement" }]

    [[release]]
    id = "zeta-2-plus"
    name = "Zeta 2 Plus"
    generation = "Zeta 2"
    date = "2025-06-01"
    status = "cloud-only"
    license = "proprietary"
    sources = [{ url = "https://example.org/zeta/zeta-2-plus", kind = "announcement" }]

    [[release]]
    id = "zeta-3"
    name = "Zeta3 medium models (30B, 8B)"
    generation = "Zeta3"
    date = "2025-09-01"
    status = "open-weight"
    license = "apache-2.0"
    hf_repos = ["zeta/Zeta3-30B"]
    params = ["30B", "8B"]
    sources = [{ url = "https://example.org/zeta/zeta-3", kind = "announcement" }]
""")
