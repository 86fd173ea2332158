"""The bundled catalog: complete enough to answer the question, and every fact sourced."""

from __future__ import annotations

from collections import Counter

import pytest

from qwen_tui.catalog import load_catalog
from qwen_tui.model import Catalog, PartialDate, Status

EIGHTEEN_VENDORS = {
    "alibaba", "meta", "mistral", "deepseek", "google", "openai", "microsoft", "nvidia", "zhipu",
    "moonshot", "minimax", "tencent", "baidu", "bytedance", "xai", "anthropic", "01-ai", "stepfun",
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_all_eighteen_vendors_with_releases(catalog: Catalog) -> None:
    assert set(catalog.vendors) == EIGHTEEN_VENDORS
    per_vendor = Counter(r.vendor for r in catalog.releases)
    for vendor in EIGHTEEN_VENDORS:
        assert per_vendor[vendor] >= 5, (vendor, per_vendor[vendor])
    assert len(catalog.releases) >= 150


def test_every_release_and_license_has_a_source(catalog: Catalog) -> None:
    assert all(r.sources for r in catalog.releases)
    assert all(lic.sources and lic.url for lic in catalog.licenses.values())
    for r in catalog.releases:
        for s in r.sources:
            assert s.url.startswith(("https://", "http://")), (r.id, s.url)


def test_every_vendor_lists_its_hub_orgs(catalog: Catalog) -> None:
    for vendor in catalog.vendors.values():
        if any(r.hf_repos for r in catalog.releases_of(vendor.id)):
            assert vendor.hub_orgs, vendor.id
        orgs = {o.lower() for o in vendor.hub_orgs}
        for r in catalog.releases_of(vendor.id):
            for repo in r.hf_repos:
                assert repo.split("/")[0].lower() in orgs, (r.id, repo)


def test_no_repo_is_claimed_twice(catalog: Catalog) -> None:
    counts = Counter(repo.lower() for r in catalog.releases for repo in r.hf_repos)
    assert [repo for repo, n in counts.items() if n > 1] == []


def test_the_qwen_story(catalog: Catalog) -> None:
    qwen = catalog.releases_of("alibaba")
    assert len(qwen) >= 40
    plus = next(r for r in qwen if r.name.startswith("Qwen3.6-Plus"))
    assert plus.status is Status.CLOUD_ONLY and plus.date == PartialDate(2026, 4, 2) and not plus.hf_repos
    years_open = {r.date.year for r in qwen if r.status is Status.OPEN_WEIGHT}
    assert {2023, 2024, 2025, 2026} <= years_open
    for gen in ("Qwen1.5", "Qwen2", "Qwen2.5", "Qwen3", "Qwen3.5", "Qwen3.6"):
        assert any(r.generation == gen and r.status is Status.OPEN_WEIGHT for r in qwen), gen
    q25 = catalog.release("qwen2.5")
    assert q25 is not None and q25.license == "apache-2.0"
    # Qwen2.5-3B and -72B are not Apache-2.0: the per-repo licenses say so.
    assert {q25.license_of(r) for r in q25.hf_repos if "-3B" in r} == {"qwen-research"}
    assert {q25.license_of(r) for r in q25.hf_repos if "-72B" in r} == {"qwen"}


def test_gated_lines_are_marked(catalog: Catalog) -> None:
    assert any(r.status is Status.GATED for r in catalog.releases_of("meta"))
    assert any(r.status is Status.GATED for r in catalog.releases_of("google"))
    assert all(r.status is Status.CLOUD_ONLY for r in catalog.releases_of("anthropic"))


def test_named_licenses_have_structured_terms(catalog: Catalog) -> None:
    lic = catalog.licenses
    for llama in ("llama2", "llama3", "llama3.1", "llama3.2", "llama3.3", "llama4"):
        assert lic[llama].mau_cap == 700_000_000, llama
        assert lic[llama].commercial_use == "conditional" and lic[llama].use_policy
    assert lic["qwen"].mau_cap == 100_000_000
    assert lic["qwen-research"].commercial_use == "no"
    assert lic["apache-2.0"].osi_approved and lic["mit"].osi_approved
    assert not lic["proprietary"].osi_approved
    for name in ("gemma", "deepseek", "mrl", "mnpl", "nvidia-open-model-license", "modified-mit",
                 "grok-2-community", "cc-by-nc-4.0"):
        assert name in lic, name
    for license_ in lic.values():
        if license_.commercial_use == "conditional":
            assert license_.commercial_condition


def test_every_disputed_value_has_its_source(catalog: Catalog) -> None:
    disputed = [r for r in catalog.releases if r.disputed]
    assert disputed  # dates disagree in real life; the catalog keeps both
    for r in disputed:
        for d in r.disputes:
            assert d.source.startswith("http") and d.value


def test_dates_are_in_range(catalog: Catalog) -> None:
    for r in catalog.releases:
        assert PartialDate(2023, 1, 1).sort_key <= r.date.sort_key <= PartialDate(2026, 12, 31).sort_key, r.id
