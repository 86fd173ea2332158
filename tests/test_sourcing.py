"""The sourcing rules of issue 13: a primary source on every release, no mirrors, no non-cards."""

from __future__ import annotations

import pytest

from qwen_tui.catalog.sourcing import is_primary, release_problems, source_problem
from qwen_tui.model import PartialDate, Release, Source, Status, Vendor

VENDOR = Vendor(id="acme", name="Acme", country="US", hub_orgs=("acme-ai",), cloud="",
                official_sites=("acme.ai", "github.com/acme-ai"))


def rel(*sources: Source, confidence: str = "", note: str = "") -> Release:
    return Release(id="acme-1", vendor="acme", name="Acme-1", generation="Acme 1",
                   date=PartialDate(2025, 1, 2), status=Status.OPEN_WEIGHT, license="mit",
                   sources=sources, hf_repos=("acme-ai/Acme-1",), confidence=confidence, note=note)


@pytest.mark.parametrize("url,kind", [
    ("https://acme.ai/news/acme-1", "announcement"),
    ("https://www.acme.ai/blog/acme-1", "announcement"),
    ("https://docs.acme.ai/models", "docs"),
    ("https://github.com/acme-ai/Acme-1", "docs"),
    ("https://raw.githubusercontent.com/acme-ai/Acme-1/main/README.md", "docs"),
    ("https://huggingface.co/acme-ai/Acme-1", "model-card"),
    ("https://huggingface.co/Acme-AI/Acme-1/blob/main/README.md", "model-card"),
    ("https://huggingface.co/acme-ai/Acme-1/blob/main/LICENSE", "license"),
    ("https://www.modelscope.cn/models/acme-ai/Acme-1", "model-card"),
    ("https://arxiv.org/abs/2501.00001", "paper"),
    ("https://huggingface.co/papers/2501.00001", "paper"),
    ("https://www.apache.org/licenses/LICENSE-2.0", "license"),
])
def test_primary_sources(url: str, kind: str) -> None:
    assert is_primary(Source(url, kind), VENDOR)
    assert release_problems(rel(Source(url, kind)), VENDOR) == []


@pytest.mark.parametrize("url,kind,why", [
    ("https://models.dev/acme", "tracker", "no primary source"),
    ("https://github.com/anomalyco/models.dev/blob/dev/providers/acme/models/a.toml", "tracker", "no primary source"),
    ("https://technews.example/acme-1", "news", "no primary source"),
    ("https://aiwiki.example/wiki/acme", "announcement", "no primary source"),  # not the vendor's site
    ("https://github.com/someone/awesome-llms", "docs", "no primary source"),
    ("https://acme.ai.evil.example/acme-1", "announcement", "no primary source"),
    ("https://hf-mirror.com/acme-ai/Acme-1", "model-card", "Hub mirror"),
    ("https://huggingface.co/acme-ai/Acme-1/discussions/3", "model-card", "not a model card"),
    ("https://huggingface.co/acme-ai/Acme-1/commit/0123abc", "model-card", "not a model card"),
    ("https://huggingface.co/acme-ai/Acme-1/blob/main/vocab.json", "model-card", "not a model card"),
    ("https://huggingface.co/unsloth/Acme-1-GGUF", "model-card", "third-party org"),
    ("https://build.example.com/acme/acme-1", "model-card", "not on huggingface.co"),
])
def test_not_primary(url: str, kind: str, why: str) -> None:
    problems = release_problems(rel(Source(url, kind)), VENDOR)
    assert any(why in p.message for p in problems), problems


def test_secondary_confidence_is_allowed_but_mirrors_never_are() -> None:
    assert release_problems(rel(Source("https://news.example/x", "news"), confidence="secondary",
                                note="no vendor post found"), VENDOR) == []
    mirrored = rel(Source("https://hf-mirror.com/acme-ai/Acme-1", "model-card"),
                   confidence="secondary", note="x")
    assert next(p.message for p in release_problems(mirrored, VENDOR)).startswith("cites a Hub mirror")


def test_one_primary_source_is_enough_next_to_news() -> None:
    r = rel(Source("https://technews.example/x", "news"), Source("https://acme.ai/acme-1", "announcement"))
    assert release_problems(r, VENDOR) == []
    assert source_problem(Source("https://technews.example/x", "news"), VENDOR) is None


def test_bundled_catalog_follows_the_sourcing_rules() -> None:
    from qwen_tui.catalog.loader import load_catalog
    from qwen_tui.catalog.sourcing import catalog_problems

    problems = catalog_problems(load_catalog())
    assert problems == [], "\n".join(map(str, problems[:20]))


def test_every_secondary_release_says_what_is_missing() -> None:
    from qwen_tui.catalog.loader import load_catalog

    for r in load_catalog().releases:
        assert not r.confidence or len(r.note) > 20, r.id
