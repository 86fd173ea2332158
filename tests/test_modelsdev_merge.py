"""Merging models.dev entries with the bundled catalog: join, never duplicate; disputes kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwen_tui.catalog import load_catalog
from qwen_tui.model import Catalog, PartialDate, Release, Source, Status
from qwen_tui.modelsdev.merge import (
    NAME,
    REPO,
    SIZE,
    ReleaseIndex,
    entry_names,
    merge,
    normalise,
    release_names,
)
from qwen_tui.modelsdev.parse import TrackerEntry, Weights, parse_models_json

FIXTURE = Path(__file__).parent / "data" / "modelsdev" / "models.json"
LABS = {"alibaba": "alibaba", "anthropic": "anthropic", "deepseek": "deepseek", "google": "google",
        "meta": "meta", "minimax": "minimax", "mistral": "mistral", "moonshotai": "moonshot",
        "nvidia": "nvidia", "openai": "openai", "stepfun": "stepfun", "tencent": "tencent",
        "xai": "xai", "zhipuai": "zhipu"}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def entries() -> dict[str, TrackerEntry]:
    return {e.key: e for e in parse_models_json(FIXTURE.read_bytes()).entries}


def _match(catalog: Catalog, entry: TrackerEntry) -> tuple[str, int] | None:
    m = ReleaseIndex(catalog.releases).match(entry, LABS[entry.lab])
    return (m.release.id, m.rule) if m else None


def test_normalise_treats_spaces_and_hyphens_alike() -> None:
    assert normalise("Qwen3.6 Plus") == normalise("Qwen3.6-Plus") == normalise(" qwen3.6_plus ")
    assert entry_names("Claude Opus 4.1 (latest)")[1] == "claude-opus-4.1"
    assert entry_names("Gemma 4 31B IT") == ("gemma-4-31b-it", "gemma-4-31b", "gemma-4")


def test_same_repo_joins(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    assert _match(catalog, entries["alibaba/qwen3.5-122b-a10b"]) == ("qwen3.5-medium", REPO)
    assert _match(catalog, entries["meta/llama-4-scout-17b-instruct"])[1] == REPO


def test_name_written_differently_joins(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    rel_id, rule = _match(catalog, entries["alibaba/qwen3.6-plus"])
    assert catalog.release(rel_id).name == "Qwen3.6-Plus" and rule == NAME
    assert _match(catalog, entries["google/gemini-3-pro-preview"])[0] == \
        next(r.id for r in catalog.releases if r.name == "Gemini 3 Pro")


def test_release_grouping_sizes_claims_each_size(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    medium = catalog.release("qwen3.5-medium")
    assert medium.name.startswith("Qwen3.5 medium models")
    assert _match(catalog, entries["alibaba/qwen3.5-27b"]) == ("qwen3.5-medium", SIZE)
    assert _match(catalog, entries["alibaba/qwen3.5-35b-a3b"]) == ("qwen3.5-medium", SIZE)
    merged = merge(catalog.releases, entries.values(), LABS, licenses=catalog.licenses)
    assert set(merged.joined["qwen3.5-medium"]) == {
        "alibaba/qwen3.5-122b-a10b", "alibaba/qwen3.5-27b", "alibaba/qwen3.5-35b-a3b"}


def test_parenthesised_lists_and_and_names(catalog: Catalog) -> None:
    llama4 = next(r for r in catalog.releases if r.name == "Llama 4 (Scout, Maverick)")
    assert {"llama-4", "llama-4-scout", "llama-4-maverick"} <= release_names(llama4)
    flash = next(r for r in catalog.releases if r.name == "Qwen-Flash and Qwen3-Coder-Flash")
    assert {"qwen-flash", "qwen3-coder-flash"} <= release_names(flash)


def test_merge_never_duplicates_a_catalog_release(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    merged = merge(catalog.releases, entries.values(), LABS, licenses=catalog.licenses)
    assert merged.releases[: len(catalog.releases)] != catalog.releases  # joined ones changed
    assert len(merged.releases) == len(catalog.releases) + len(merged.added)
    catalog_repos = {r.lower() for rel in catalog.releases for r in rel.hf_repos}
    catalog_names = {normalise(rel.name) for rel in catalog.releases}
    for rel in merged.releases[len(catalog.releases):]:
        assert rel.provenance == "models.dev" and rel.id.startswith("models.dev/")
        assert not {r.lower() for r in rel.hf_repos} & catalog_repos
        assert normalise(rel.name) not in catalog_names
    ids = [r.id for r in merged.releases]
    assert len(ids) == len(set(ids))
    # Every fixture entry of a mapped lab is accounted for, and the two unmapped labs counted.
    accounted = sum(len(v) for v in merged.joined.values()) + merged.aliases + len(merged.added)
    assert merged.unmapped == 2  # cohere, deepreinforce
    assert accounted + merged.undated <= len(entries) - merged.unmapped


def test_new_entries_become_releases_of_their_vendor(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    # The bundled catalog grows: leave these two out of it so the fixture's entries stay new.
    releases = tuple(r for r in catalog.releases if r.name not in ("Kimi K2.6", "Claude Fable 5"))
    merged = merge(releases, entries.values(), LABS, licenses=catalog.licenses)
    new = {r.id: r for r in merged.releases if r.provenance == "models.dev"}
    fable = new["models.dev/anthropic/claude-fable-5"]
    assert (fable.vendor, fable.name, fable.status, fable.license) == \
        ("anthropic", "Claude Fable 5", Status.CLOUD_ONLY, "proprietary")
    assert fable.date == PartialDate(2026, 6, 9)
    assert Source("https://github.com/anomalyco/models.dev/blob/dev/models/anthropic/claude-fable-5.toml",
                  "tracker", "models.dev: Claude Fable 5") in fable.sources
    kimi = new["models.dev/moonshotai/kimi-k2.6"]  # lab "moonshotai" -> vendor "moonshot"
    assert kimi.vendor == "moonshot" and kimi.status is Status.OPEN_WEIGHT
    assert kimi.hf_repos == ("moonshotai/Kimi-K2.6",)
    assert "https://huggingface.co/moonshotai/Kimi-K2.6" in {s.url for s in kimi.sources}
    # A catalog release keeps provenance "catalog".
    assert all(r.provenance == "catalog" for r in merged.releases[: len(releases)])


def test_aliases_are_not_releases(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    merged = merge(catalog.releases, entries.values(), LABS, licenses=catalog.licenses)
    assert "anthropic/claude-opus-4-1" not in {k for v in merged.joined.values() for k in v}
    assert merged.aliases == 1
    assert not any("(latest)" in r.name for r in merged.releases if r.provenance == "models.dev")
    opus41 = next(r for r in catalog.releases if r.name == "Claude Opus 4.1")
    assert merged.joined[opus41.id] == ("anthropic/claude-opus-4-1-20250805",)


def test_lab_mapping_is_a_parameter(catalog: Catalog, entries: dict[str, TrackerEntry]) -> None:
    merged = merge(catalog.releases, entries.values(), {"zhipuai": "zhipu"}, licenses=catalog.licenses)
    assert merged.unmapped == len(entries) - 2
    # Both zhipuai entries reach Zhipu's catalog releases (GLM-5-Turbo is catalogued now), none is left out.
    assert merged.joined["glm-5-turbo"] == ("zhipuai/glm-5-turbo",)
    assert "zhipuai/glm-5.2" in {k for v in merged.joined.values() for k in v}
    assert [r.name for r in merged.releases if r.provenance == "models.dev"] == []


def _release(**kw: object) -> Release:
    base = dict(id="acme-1", vendor="acme", name="Acme One", generation="Acme", date=PartialDate(2026, 3, 1),
                status=Status.CLOUD_ONLY, license="proprietary",
                sources=(Source("https://acme.example/blog", "announcement"),))
    return Release(**{**base, **kw})  # type: ignore[arg-type]


def _entry(**kw: object) -> TrackerEntry:
    base = dict(key="acme/acme-one", name="Acme One", release_date=PartialDate(2026, 3, 1), open_weights=False)
    return TrackerEntry(**{**base, **kw})  # type: ignore[arg-type]


def test_disagreement_is_kept_and_the_catalog_value_shown() -> None:
    rel = _release()
    merged = merge([rel], [_entry(open_weights=True, release_date=PartialDate(2026, 2, 27))], {"acme": "acme"})
    (out,) = merged.releases
    assert out.status is Status.CLOUD_ONLY and out.date == PartialDate(2026, 3, 1)  # the catalog's
    url = "https://github.com/anomalyco/models.dev/blob/dev/models/acme/acme-one.toml"
    assert {(d.field, d.value, d.source) for d in out.disputes} == {
        ("status", "open-weight", url), ("date", "2026-02-27", url)}
    assert out.sources[0] == rel.sources[0] and out.sources[-1].kind == "tracker"
    # Merging again adds nothing twice.
    again = merge(merged.releases, [_entry(open_weights=True, release_date=PartialDate(2026, 2, 27))],
                  {"acme": "acme"})
    assert again.releases == merged.releases


def test_agreement_at_coarser_precision_is_no_dispute() -> None:
    rel = _release(date=PartialDate(2026, 3), status=Status.GATED)
    (out,) = merge([rel], [_entry(open_weights=True, release_date=PartialDate(2026, 3, 17))],
                   {"acme": "acme"}).releases
    assert out.disputes == ()


def test_snapshot_dates_raise_no_date_dispute() -> None:
    rel = _release(name="Acme 4o")
    snap = _entry(key="acme/acme-4o-2024-08-06", name="Acme 4o (2024-08-06)", release_date=PartialDate(2024, 8, 6))
    (out,) = merge([rel], [snap], {"acme": "acme"}).releases
    assert out.disputes == () and out.sources[-1].kind == "tracker"


def test_ties_go_to_the_release_dated_nearest() -> None:
    old = _release(id="old", name="Acme Small", date=PartialDate(2024, 9, 18))
    new = _release(id="new", name="Acme Small", date=PartialDate(2026, 3, 16))
    merged = merge([old, new], [_entry(name="Acme Small", release_date=PartialDate(2026, 3, 17))], {"acme": "acme"})
    assert merged.joined == {"new": ("acme/acme-one",)}


def test_new_entries_sharing_a_repo_are_one_release() -> None:
    w = (Weights("https://huggingface.co/acme/Acme-Flash"),)
    a = _entry(key="acme/acme-flash", name="Acme Flash", release_date=PartialDate(2026, 1, 29),
               open_weights=True, weights=w)
    b = _entry(key="acme/acme-flash-2603", name="Acme Flash 2603", release_date=PartialDate(2026, 4, 2),
               open_weights=True, weights=w)
    merged = merge([], [b, a], {"acme": "acme"})
    (rel,) = merged.releases
    assert (rel.name, rel.date, rel.status, rel.hf_repos) == \
        ("Acme Flash", PartialDate(2026, 1, 29), Status.OPEN_WEIGHT, ("acme/Acme-Flash",))
    assert sum(s.kind == "tracker" for s in rel.sources) == 2


def test_license_text_maps_to_catalog_ids(catalog: Catalog) -> None:
    e = _entry(license="MIT", open_weights=True, weights=(Weights("https://huggingface.co/acme/A"),))
    (rel,) = merge([], [e], {"acme": "acme"}, licenses=catalog.licenses).releases
    assert rel.license == "mit"
    (rel,) = merge([], [_entry(license="Weird License 9", open_weights=True)], {"acme": "acme"},
                   licenses=catalog.licenses).releases
    assert rel.license == "unknown"  # never guessed


def test_undated_new_entry_is_counted_not_invented() -> None:
    merged = merge([], [_entry(release_date=None)], {"acme": "acme"})
    assert merged.releases == () and merged.undated == 1


def test_names_only_match_releases_of_the_entrys_own_vendor() -> None:
    mistral = _release(id="nemo", vendor="mistral", name="Mistral Nemotron")
    entry = _entry(key="nvidia/mistral-nemotron", name="Mistral Nemotron", open_weights=True)
    merged = merge([mistral], [entry], {"nvidia": "nvidia", "mistral": "mistral"})
    assert merged.joined == {} and merged.added == ("models.dev/nvidia/mistral-nemotron",)
    assert merged.releases[1].vendor == "nvidia"


def test_a_license_text_two_catalog_licenses_claim_is_not_guessed() -> None:
    # Kimi's and MiniMax's licenses both carry the Hub tag "modified-mit": a models.dev entry naming
    # it must not get whichever comes first (a MiniMax model under Kimi's terms), but "unknown".
    from qwen_tui.modelsdev.merge import license_id

    licenses = load_catalog().licenses
    claimants = [lic.id for lic in licenses.values() if "modified-mit" in lic.hub_ids]
    assert len(claimants) == 2
    assert license_id("modified-mit", Status.OPEN_WEIGHT, licenses) == "unknown"
    assert license_id("MIT", Status.OPEN_WEIGHT, licenses) == "mit"
    assert license_id("", Status.CLOUD_ONLY, licenses) == "proprietary"
