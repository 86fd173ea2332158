"""The recall tables in docs/recall/ are what the project quotes for issue 13's recall figure, so
they are checked like data: every "in catalog: <id>" names a release the bundled catalog holds, and
each vendor table's "Recall against this history: N of M" line agrees with its own rows."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
try:
    import recall_tables
finally:
    sys.path.remove(str(REPO / "scripts"))

from qwen_tui.catalog.loader import load_catalog  # noqa: E402

VENDOR_TABLES = recall_tables.vendor_tables()


@pytest.fixture(scope="module")
def release_ids() -> set[str]:
    return {r.id for r in load_catalog([]).releases}


def test_every_vendor_has_a_table() -> None:
    assert len(VENDOR_TABLES) == 18
    assert [p.name for p in VENDOR_TABLES if not p.exists()] == []


@pytest.mark.parametrize("path", VENDOR_TABLES, ids=lambda p: p.stem)
def test_vendor_table_recall_line_matches_its_rows(path: Path, release_ids: set[str]) -> None:
    table = recall_tables.read_vendor_table(path.read_text(encoding="utf-8"))
    assert table.claimed is not None, f"{path.name}: no 'Recall against this history' line"
    assert table.claimed == (table.in_catalog, table.notable), (
        f"{path.name}: the line says {table.claimed[0]} of {table.claimed[1]}, "
        f"the rows give {table.in_catalog} of {table.notable}")
    assert table.unknown_ids(release_ids) == []


@pytest.mark.parametrize("name", ["INDEPENDENT-open.md", "INDEPENDENT-cloud.md"])
def test_independent_tables_name_real_releases(name: str, release_ids: set[str]) -> None:
    text = (REPO / "docs" / "recall" / name).read_text(encoding="utf-8")
    named = recall_tables.named_release_ids(text)
    assert named, f"{name}: no release ids found (has the table format changed?)"
    assert sorted(named - release_ids) == []


def test_parser_counts_and_rejects() -> None:
    text = "\n".join([
        "| Release | Date | Status | Catalog |",
        "| --- | --- | --- | --- |",
        "| A | 2024 | open | in catalog: a-1 |",
        "| B | 2024 | open | in catalog: b-1 (named in its summary; not counted separately) |",
        "| C | 2025 | cloud | left out: no dated page |",
        "| D | 2025 | cloud | not counted: tooling |",
        "| E | 2026 | open | in catalog: ghost |",
        "",
        "Recall against this history: 2 of 3 notable releases in the catalog.",
    ])
    table = recall_tables.read_vendor_table(text)
    assert (table.in_catalog, table.notable) == (2, 3)
    assert table.claimed == (2, 3)
    assert table.unknown_ids({"a-1", "b-1"}) == ["ghost"]


def test_report_script_prints_the_total() -> None:
    proc = subprocess.run([sys.executable, str(REPO / "scripts" / "recall_tables.py")],
                          capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "total:" in proc.stdout and " of " in proc.stdout
