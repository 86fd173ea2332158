"""The bundled models.dev snapshot (a first offline start knows its releases) and the scripts
that rebuild it and the test fixture."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from qwen_tui.catalog import load_catalog
from qwen_tui.modelsdev.bundled import BUNDLE_PATH, KEPT_FIELDS, load_bundled
from qwen_tui.modelsdev.merge import merge

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "data" / "modelsdev" / "models.json"
LABS = {"alibaba": "alibaba", "anthropic": "anthropic", "deepseek": "deepseek", "google": "google",
        "meta": "meta", "minimax": "minimax", "mistral": "mistral", "moonshotai": "moonshot",
        "nvidia": "nvidia", "openai": "openai", "stepfun": "stepfun", "tencent": "tencent",
        "xai": "xai", "zhipuai": "zhipu"}


def test_bundle_is_dated_attributed_and_valid() -> None:
    bundle = load_bundled()
    assert len(bundle.commit) == 40 and bundle.date.startswith("20")
    assert bundle.repository == "https://github.com/anomalyco/models.dev"
    assert bundle.parsed.dropped == {} and bundle.parsed.links_dropped == 0
    assert len(bundle.parsed.entries) > 150
    raw = json.loads(BUNDLE_PATH.read_text("utf-8"))
    assert raw["source"]["license"] == "MIT"
    assert (BUNDLE_PATH.parent / "LICENSE.models.dev").read_text().startswith("MIT License")
    assert {e.lab for e in bundle.parsed.entries} <= set(raw["source"]["labs"])
    assert all(set(v) <= set(KEPT_FIELDS) for v in raw["models"].values())


def test_offline_first_start_knows_the_bundled_releases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    catalog = load_catalog()
    merged = merge(catalog.releases, load_bundled().parsed.entries, LABS, licenses=catalog.licenses)
    new = [r for r in merged.releases if r.provenance == "models.dev"]
    # The recall passes of issue 13 catalogued most of them; a handful stay models.dev-only.
    assert len(new) >= 5 and merged.unmapped == 0
    assert sorted(r.id for r in new) == sorted(merged.added)
    # Which vendors gain rows depends on how complete the catalog is; several always do.
    assert len({r.vendor for r in new}) >= 3
    assert any(r.status.value == "cloud-only" for r in new)
    assert any(r.status.value == "open-weight" for r in new)


def test_bundle_script_rebuilds_from_a_models_json(tmp_path: Path) -> None:
    out = tmp_path / "bundle.json"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_modelsdev_bundle.py"),
                           "--json", str(FIXTURE), "--commit", "f" * 40, "--date", "2026-07-01T16:40:28Z",
                           "--out", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    bundle = load_bundled(path=out)
    assert bundle.commit == "f" * 40
    assert sorted(e.key for e in bundle.parsed.entries) == sorted(
        k for k in json.loads(FIXTURE.read_text()) if not k.startswith(("cohere/", "deepreinforce/")))


def test_bundle_script_needs_a_date_for_a_bare_file(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_modelsdev_bundle.py"),
                           "--json", str(FIXTURE), "--out", str(tmp_path / "b.json")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--commit and --date" in proc.stderr and "Traceback" not in proc.stderr


def test_checkout_reader_builds_what_generate_models_builds(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from modelsdev_checkout import models_json
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    (tmp_path / "models" / "acme" / "nested").mkdir(parents=True)
    (tmp_path / "models" / "acme" / "one.toml").write_text(
        'name = "Acme One"\nrelease_date = "2026-01-02"\nopen_weights = true\n'
        '[[weights]]\nurl = "https://huggingface.co/acme/One"\n')
    (tmp_path / "models" / "acme" / "nested" / "two.toml").write_text('name = "Two"\n')
    data = models_json(tmp_path)
    assert list(data) == ["acme/nested/two", "acme/one"]
    assert data["acme/one"] == {"name": "Acme One", "release_date": "2026-01-02", "open_weights": True,
                                "weights": [{"url": "https://huggingface.co/acme/One"}], "id": "acme/one"}


def test_fixture_has_provenance() -> None:
    prov = (FIXTURE.parent / "PROVENANCE.md").read_text()
    data = json.loads(FIXTURE.read_text())
    assert "anomalyco/models.dev" in prov and "f3fc692299671838c7c65fd8126bf84d81a2e817" in prov
    assert all(f"models/{k}.toml" in prov for k in data)
    assert all(v["id"] == k for k, v in data.items())


def test_merging_the_merged_result_again_changes_nothing() -> None:
    catalog = load_catalog()
    entries = load_bundled().parsed.entries
    once = merge(catalog.releases, entries, LABS, licenses=catalog.licenses)
    twice = merge(once.releases, entries, LABS, licenses=catalog.licenses)
    assert twice.releases == once.releases and twice.added == ()
