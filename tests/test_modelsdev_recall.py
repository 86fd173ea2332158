"""Issue 13 "Recall": the report's figures are what `list --json` shows, per vendor."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from qwen_tui.catalog import load_catalog
from qwen_tui.modelsdev.bundled import load_bundled
from qwen_tui.modelsdev.merge import entry_url, is_alias
from qwen_tui.modelsdev.recall import percent, recall
from qwen_tui.modelsdev.releases import lab_vendors
from tests.test_cli import run_cli

REPO = Path(__file__).resolve().parent.parent


def test_report_numbers_equal_list_json_origins(tmp_path: Path) -> None:
    proc = run_cli("list", "--json", env_extra={"HF_HUB_OFFLINE": "1", "QWEN_TUI_CACHE_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)
    catalog = load_catalog()
    entries = load_bundled(lab_vendors(catalog)).parsed.entries
    report = recall(catalog, entries)
    assert {r.vendor for r in report} == {v.id for v in catalog.vendors.values() if v.models_dev_labs}
    for r in report:
        # models.dev-only: the vendor's rows of origin "models.dev", one for one.
        only = {row["id"] for row in rows if row["vendor"] == r.vendor and row["origin"] == "models.dev"}
        assert only == {rel.id for rel in r.uncovered}, r.vendor
        # covered: the catalog rows that cite one of the vendor's entries (aliases aside).
        urls = {entry_url(e) for e in entries if e.lab in r.labs and not is_alias(e)}
        cited = {row["id"] for row in rows if row["origin"] == "catalog"
                 and urls & {s["url"] for s in row["sources"]}}
        assert cited == set(r.covered), r.vendor
        assert r.releases == len(only) + len(cited) and r.releases <= r.entries
    assert sum(len(r.uncovered) for r in report) == sum(row["origin"] == "models.dev" for row in rows)


def test_script_prints_the_total_it_computes() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "recall_report.py")],
                          capture_output=True, text=True, cwd=REPO, timeout=120,
                          env={"HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    catalog = load_catalog()
    report = recall(catalog, load_bundled(lab_vendors(catalog)).parsed.entries)
    covered, total = sum(len(r.covered) for r in report), sum(r.releases for r in report)
    assert 0 < covered < total
    assert proc.stdout.rstrip().endswith(
        f"catalog covers {covered} of {total} models.dev releases, {percent(covered, total)}")
    for r in report:
        for rel in r.uncovered:
            assert f"  {rel.date}  {rel.name} ({rel.id.removeprefix('models.dev/')})" in proc.stdout
