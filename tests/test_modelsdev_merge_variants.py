"""Issue 12 "Merge, never duplicate": models.dev entries that are a catalog release written
differently join it, and different releases never merge.

The entries are the real ones of the bundled models.dev copy (qwen_tui/modelsdev/data), matched
against the real bundled catalog, plus a few made-up releases for the guards no real pair shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from qwen_tui.catalog import load_catalog
from qwen_tui.model import Catalog, PartialDate, Release, Source, Status
from qwen_tui.modelsdev.bundled import load_bundled
from qwen_tui.modelsdev.merge import CLAIMED, NAME, REPO_NAME, ReleaseIndex, merge
from qwen_tui.modelsdev.parse import TrackerEntry
from qwen_tui.modelsdev.releases import lab_vendors
from tests.test_catalog_loader import GOOD_VENDOR, load_error, make_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def bundled(catalog: Catalog) -> dict[str, TrackerEntry]:
    return {e.key: e for e in load_bundled(lab_vendors(catalog)).parsed.entries}


def _match(catalog: Catalog, entry: TrackerEntry) -> tuple[str, int] | None:
    m = ReleaseIndex(catalog.releases).match(entry, lab_vendors(catalog)[entry.lab])
    return (m.release.id, m.rule) if m else None


@pytest.mark.parametrize(("key", "release"), [
    ("anthropic/claude-3-7-sonnet-20250219", "claude-3.7-sonnet"),  # "Claude Sonnet 3.7"
    ("anthropic/claude-3-5-haiku-20241022", "claude-3.5-haiku"),  # "Claude Haiku 3.5"
])
def test_word_order_of_family_tier_and_version_does_not_matter(
        catalog: Catalog, bundled: dict[str, TrackerEntry], key: str, release: str) -> None:
    assert _match(catalog, bundled[key]) == (release, NAME)


@pytest.mark.parametrize(("key", "release"), [
    ("google/gemini-2.5-flash-image", "gemini-2.5-flash-image"),  # "Nano Banana"
    ("google/gemini-3-pro-image-preview", "gemini-3-pro-image"),  # "Nano Banana Pro"
    ("google/gemini-3.1-flash-image-preview", "gemini-3.1-flash-image"),  # "Nano Banana 2"
])
def test_the_model_id_is_a_name_too(catalog: Catalog, bundled: dict[str, TrackerEntry],
                                    key: str, release: str) -> None:
    assert bundled[key].name.startswith("Nano Banana")  # the display name shares nothing
    assert _match(catalog, bundled[key]) == (release, NAME)


@pytest.mark.parametrize(("key", "release"), [
    ("nvidia/nemotron-nano-9b-v2", "nemotron-nano-2"),  # nvidia/NVIDIA-Nemotron-Nano-9B-v2
    ("nvidia/nemotron-nano-12b-v2-vl", "nemotron-nano-2-vl"),  # ...-12B-v2-VL-BF16
    ("nvidia/nemotron-3-nano-omni-30b-a3b-reasoning", "nemotron-3-nano-omni"),  # ...-Reasoning-BF16
    ("nvidia/llama-3.3-nemotron-super-49b-v1", "llama-nemotron"),  # Llama-3_3-Nemotron-Super-49B-v1
    ("nvidia/llama-3.3-nemotron-super-49b-v1.5", "llama-nemotron"),  # ...-49B-v1_5
])
def test_an_entry_named_like_a_hub_repo_of_a_release_joins_it(
        catalog: Catalog, bundled: dict[str, TrackerEntry], key: str, release: str) -> None:
    assert bundled[key].hf_repos == ()  # models.dev gives no weights URL for these
    assert _match(catalog, bundled[key]) == (release, REPO_NAME)


@pytest.mark.parametrize(("key", "release"), [
    ("anthropic/claude-3-5-sonnet-20241022", "claude-3.5-sonnet-v2"),  # "v2" is "(new)"
    ("nvidia/llama-3.1-nemotron-ultra-253b", "llama-nemotron"),  # "(Nano, Super, Ultra)"
    ("openai/gpt-4.1-mini", "gpt-4.1"),  # "API-only family (GPT-4.1, mini, nano)"
    ("openai/gpt-5-nano", "gpt-5"),  # "the API offers gpt-5, mini and nano"
    ("openai/gpt-5.2-pro", "gpt-5.2"),  # "released with a GPT-5.2 Pro variant"
    ("google/gemini-3.1-pro-preview-customtools", "gemini-3.1-pro"),
    ("alibaba/qwen-turbo", "qwen2.5-turbo"),  # "API model (qwen-turbo)"
])
def test_a_release_lists_the_models_dev_ids_it_covers(
        catalog: Catalog, bundled: dict[str, TrackerEntry], key: str, release: str) -> None:
    assert key in catalog.release(release).models_dev
    assert _match(catalog, bundled[key]) == (release, CLAIMED)


# Entries a release once listed, until the catalog gained each as a release of its own (shipped on
# its own date): they join that release now, not the one they were first grouped under.
@pytest.mark.parametrize(("key", "release", "not_this"), [
    ("openai/gpt-5.1-codex-max", "gpt-5.1-codex-max", "gpt-5.1"),
    ("openai/gpt-5.4-mini", "gpt-5.4-mini", "gpt-5.4"),
    ("openai/gpt-5.4-nano", "gpt-5.4-mini", "gpt-5.4"),
    ("openai/o3-pro", "o3-pro", "o3"),
])
def test_an_entry_with_a_release_of_its_own_joins_that_release(
        catalog: Catalog, bundled: dict[str, TrackerEntry], key: str, release: str, not_this: str) -> None:
    assert key not in catalog.release(not_this).models_dev
    assert _match(catalog, bundled[key])[0] == release


# Each entry and the catalog release it must not join. Helpers may add the missing releases
# ("GPT-5 Pro") to the catalog, so an entry may well join its own release: never this one.
@pytest.mark.parametrize(("key", "not_this"), [
    ("openai/gpt-5-pro", "gpt-5"),  # the catalog's GPT-5 groups mini and nano, not Pro
    ("openai/gpt-5.4-pro", "gpt-5.4"), ("openai/gpt-5.5-pro", "gpt-5.5"),
    ("openai/gpt-5.5-instant", "gpt-5.5"), ("openai/o1-pro", "o1"),
    ("openai/gpt-5.2-codex", "gpt-5.2"), ("openai/gpt-5.3-codex", "gpt-5-codex"),
    ("google/gemini-2.5-flash-lite", "gemini-2.5-flash"), ("google/gemini-2.0-flash-lite", "gemini-2.0-flash"),
    ("google/gemini-3.1-flash-lite", "gemini-3.1-flash-image"),
    ("google/gemini-2.5-flash-tts", "gemini-2.5-flash"), ("google/gemini-2.5-pro-tts", "gemini-2.5-pro"),
    ("nvidia/llama-3.1-nemotron-safety-guard-8b-v3", "llama-nemotron"),
    ("nvidia/nemotron-cascade-2-30b-a3b", "nemotron-3-nano"),
    ("zhipuai/glm-4.5-flash", "glm-4.5"), ("zhipuai/glm-4.6v", "glm-4.6"),
    ("alibaba/qwen3.6-flash", "qwen3.6-plus"), ("alibaba/qwen-omni-turbo", "qwen2.5-turbo"),
])
def test_different_releases_never_merge(catalog: Catalog, bundled: dict[str, TrackerEntry],
                                        key: str, not_this: str) -> None:
    assert catalog.release(not_this) is not None
    m = _match(catalog, bundled[key])
    assert m is None or m[0] != not_this


def test_the_release_itself_still_joins(catalog: Catalog, bundled: dict[str, TrackerEntry]) -> None:
    assert _match(catalog, bundled["google/gemini-2.5-flash"])[0] == "gemini-2.5-flash"
    assert _match(catalog, bundled["openai/gpt-5"])[0] == "gpt-5"


def _release(**kw: object) -> Release:
    base = dict(id="acme-1", vendor="acme", name="Acme One", generation="Acme", date=PartialDate(2026, 3, 1),
                status=Status.CLOUD_ONLY, license="proprietary",
                sources=(Source("https://acme.example/blog", "announcement"),))
    return Release(**{**base, **kw})  # type: ignore[arg-type]


def _entry(key: str, name: str, **kw: object) -> TrackerEntry:
    base = dict(release_date=PartialDate(2026, 3, 1), open_weights=False)
    return TrackerEntry(key=key, name=name, **{**base, **kw})  # type: ignore[arg-type]


def test_word_order_never_drops_or_adds_a_word() -> None:
    # Same words in another order join; one word more ("Pro", "Lite", "v2") is another model.
    plain = _release(id="gpt-5", name="GPT-5")
    pro = _entry("acme/gpt-5-pro", "GPT-5 Pro")
    flash = _release(id="flash", name="Gemini 2.5 Flash")
    lite = _entry("acme/gemini-2.5-flash-lite", "Gemini 2.5 Flash-Lite")
    sonnet = _release(id="sonnet", name="Claude 3.5 Sonnet")
    v2 = _entry("acme/claude-3-5-sonnet-20241022", "Claude Sonnet 3.5 v2")
    merged = merge([plain, flash, sonnet], [pro, lite, v2], {"acme": "acme"})
    assert merged.joined == {}
    assert len(merged.added) == 3
    both = merge([_release(id="pro", name="GPT-5 Pro")], [_entry("acme/gpt-5", "GPT-5")], {"acme": "acme"})
    assert both.joined == {}  # nor does the bigger name claim the smaller


def test_a_repo_name_only_joins_its_own_vendors_release() -> None:
    rel = _release(vendor="mistral", status=Status.OPEN_WEIGHT, hf_repos=("mistralai/Mistral-Nemotron-FP8",))
    entry = _entry("nvidia/mistral-nemotron", "Mistral Nemotron", open_weights=True)
    merged = merge([rel], [entry], {"nvidia": "nvidia", "mistral": "mistral"})
    assert merged.joined == {} and merged.added == ("models.dev/nvidia/mistral-nemotron",)


def test_a_listed_member_raises_status_but_not_date_disputes() -> None:
    # o3-pro followed o3 by two months: its date is its own, not a claim about o3's.
    o3 = _release(id="o3", name="o3", date=PartialDate(2025, 4, 16), models_dev=("acme/o3-pro",))
    pro = _entry("acme/o3-pro", "o3-pro", release_date=PartialDate(2025, 6, 10), open_weights=True)
    (out,) = merge([o3], [pro], {"acme": "acme"}).releases
    assert [(d.field, d.value) for d in out.disputes] == [("status", "open-weight")]
    assert out.sources[-1].title == "models.dev: o3-pro"


def test_a_name_join_still_raises_its_date_dispute() -> None:
    rel = _release(id="claude-3.7-sonnet", name="Claude 3.7 Sonnet", date=PartialDate(2025, 2, 24))
    e = _entry("acme/claude-3-7-sonnet-20250219", "Claude Sonnet 3.7", release_date=PartialDate(2025, 2, 19))
    (out,) = merge([rel], [e], {"acme": "acme"}).releases
    assert [(d.field, d.value) for d in out.disputes] == [("date", "2025-02-19")]


def test_bundled_merge_leaves_no_duplicate(catalog: Catalog, bundled: dict[str, TrackerEntry]) -> None:
    merged = merge(catalog.releases, bundled.values(), lab_vendors(catalog), licenses=catalog.licenses)
    added = set(merged.added)
    for key in ("anthropic/claude-3-7-sonnet-20250219", "anthropic/claude-3-5-haiku-20241022",
                "anthropic/claude-3-5-sonnet-20241022", "google/gemini-2.5-flash-image",
                "nvidia/nemotron-nano-9b-v2", "openai/gpt-4.1-nano", "alibaba/qwen-turbo"):
        assert f"models.dev/{key}" not in added
    assert "openai/gpt-5-pro" not in merged.joined["gpt-5"]
    assert "google/gemini-2.5-flash-lite" not in merged.joined["gemini-2.5-flash"]


def test_every_listed_id_is_in_the_bundled_copy_and_joins_its_release(
        catalog: Catalog, bundled: dict[str, TrackerEntry]) -> None:
    listed = {key: rel.id for rel in catalog.releases for key in rel.models_dev}
    assert listed  # the check below must not pass by having nothing to check
    merged = merge(catalog.releases, bundled.values(), lab_vendors(catalog), licenses=catalog.licenses)
    for key, rel_id in listed.items():
        assert key in bundled, f"{rel_id}: models_dev lists {key!r}, not in the bundled models.dev copy"
        assert key in merged.joined[rel_id]


_LISTED = 'hf_repos = ["zeta/Zeta-1"]\nmodels_dev = [{}]'
_ZETA_LABS = GOOD_VENDOR.replace('cloud = "Zeta Cloud"', 'cloud = "Zeta Cloud"\nmodels_dev_labs = ["zeta"]')


@pytest.mark.parametrize(("listed", "says"), [
    ('"zeta-1"', "a models.dev id"),  # no lab
    ('"zeta/Zeta 1"', "a models.dev id"),
    ('"acme/zeta-1"', "not one of this vendor's models_dev_labs"),
    ('"zeta/zeta-1", "zeta/zeta-1"', "listed twice"),
])
def test_bad_models_dev_lists_are_one_line_errors(tmp_path: Path, listed: str, says: str) -> None:
    text = _ZETA_LABS.replace('hf_repos = ["zeta/Zeta-1"]', _LISTED.format(listed))
    err = str(load_error(make_catalog(tmp_path, text)))
    assert says in err and "zeta.toml" in err and "models_dev" in err and "\n" not in err


def test_an_id_listed_by_two_releases_is_an_error(tmp_path: Path) -> None:
    second = _ZETA_LABS.split("[[release]]")[1].replace('"zeta-1"', '"zeta-2"')
    text = _ZETA_LABS + "\n[[release]]" + second
    text = text.replace('hf_repos = ["zeta/Zeta-1"]', _LISTED.format('"zeta/zeta-1"'))
    err = str(load_error(make_catalog(tmp_path, text)))
    assert "zeta/zeta-1" in err and "also listed by release 'zeta-1'" in err and "models_dev" in err


def test_a_good_models_dev_list_loads(tmp_path: Path) -> None:
    text = _ZETA_LABS.replace('hf_repos = ["zeta/Zeta-1"]', _LISTED.format('"zeta/zeta-1-mini"'))
    rel = load_catalog([make_catalog(tmp_path, text)]).release("zeta-1")
    assert rel is not None and rel.models_dev == ("zeta/zeta-1-mini",)
