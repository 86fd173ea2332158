"""One vocabulary for commercial use (issue 14, item 7): the CLI's `license`, the explorer's
detail and its compare page all say "commercial use" and the catalog's own word (yes / no /
conditional (…)), the word `--json` carries as `commercial_use`."""

from __future__ import annotations

import io
import json

from rich.console import Console

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.cli import main
from qwen_tui.present.detail import _group, compare_table, license_lines
from qwen_tui.query import Dataset


def plain(renderable, width: int = 160) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    for r in renderable if isinstance(renderable, list) else [renderable]:
        console.print(r)
    return console.export_text()


def test_cli_detail_and_compare_say_commercial_use_in_the_same_words(capsys, fixture_catalog_dir):
    ds = Dataset(load_catalog([fixture_catalog_dir], bundled=False))
    for lic_id, word in [("cc-by-nc-4.0", "no"), ("apache-2.0", "yes")]:
        assert main(["license", lic_id, "--catalog", str(fixture_catalog_dir)]) == 0
        cli = capsys.readouterr().out
        assert main(["license", lic_id, "--json", "--catalog", str(fixture_catalog_dir)]) == 0
        assert json.loads(capsys.readouterr().out)["commercial_use"] == word
        assert f"commercial use: {word}\n" in cli
        detail = " ".join(plain(_group(license_lines(ds.catalog.licenses[lic_id], lic_id))).split())
        assert f"commercial use {word}" in detail
    entries = [e for e in ds.entries() if e.license in ("cc-by-nc-4.0", "apache-2.0")][:2]
    compare = plain(compare_table(entries, ds.catalog))
    row = next(line for line in compare.splitlines() if "commercial" in line)
    assert row.strip("│ ").split()[:2] == ["commercial", "use"] and "not allowed" not in compare
    assert {"no", "yes"} <= set(row.split())
