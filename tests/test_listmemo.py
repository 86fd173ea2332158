"""`list --json` from its rows memo (listmemo.py): the same bytes as building them, under every
filter; a change of cache, catalog folder or memo content is never answered from a stale or
foreign memo."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from qwen_tui.cli import main
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from tests.zeta_catalog import ZETA

FETCHED = "2026-11-30T10:00:00Z"
FILTERS = [[], ["--vendor", "zeta"], ["--vendor", "ZETA"], ["--status", "gated"],
           ["--status", "cloud-only", "--status", "open-weight"], ["--since", "2025-06"],
           ["--vendor", "zeta", "--status", "open-weight", "--since", "2025-01"], ["--since", "2031-01"]]


def _hub(gated: str = "") -> None:
    repos = [HubRepo(repo_id="zeta/Zeta-1-8B", org="zeta", vendor="zeta", fetched_at=FETCHED,
                     created_at="2025-01-10T00:00:00Z", downloads=10, gated=gated)]
    with Store.open(default_paths().cache_db) as store:
        store.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                             results=[OrgResult("zeta", "zeta", True, len(repos), "", FETCHED)], repos=repos)


def _list(capsys, catalog: Path, *argv: str) -> str:
    assert main(["list", "--json", "--offline", "--catalog", str(catalog), *argv]) == 0
    return capsys.readouterr().out


def _memos() -> list[Path]:
    return sorted(default_paths().cache_dir.glob("listed-*.json"))


def _forget() -> None:
    for memo in _memos():
        memo.unlink()


def test_memoised_rows_are_the_built_rows_under_every_filter(zeta_dir: Path, capsys) -> None:
    _hub()
    for argv in FILTERS:
        _forget()
        built = _list(capsys, zeta_dir, *argv)  # no memo: built (and memoised)
        assert len(_memos()) == 2  # the rows and their index
        assert _list(capsys, zeta_dir, *argv) == built  # from the memo
        json.loads(built)
    everything = json.loads(_list(capsys, zeta_dir))
    assert {r["id"] for r in everything} >= {"zeta-1", "zeta-2-plus", "zeta-3"}
    assert [r["id"] for r in json.loads(_list(capsys, zeta_dir, "--vendor", "zeta"))] == \
        [r["id"] for r in everything if r["vendor"] == "zeta"]


def test_the_memo_answers_until_the_cache_or_catalog_changes(zeta_dir: Path, capsys) -> None:
    _hub()
    first = _list(capsys, zeta_dir, "--vendor", "zeta")
    rows = next(m for m in _memos() if not m.name.endswith(".index.json"))
    # Rewritten validly by hand, the memo is what answers: the shortcut is taken...
    rows.write_text(rows.read_text("utf-8").replace('"name": "Zeta-1"', '"name": "Zeta-One"'), "utf-8")
    assert '"name": "Zeta-One"' in _list(capsys, zeta_dir, "--vendor", "zeta")
    # ...until a refresh writes the cache: the Hub now gates the repo.
    time.sleep(0.01)
    _hub(gated="manual")
    after = json.loads(_list(capsys, zeta_dir, "--vendor", "zeta"))
    zeta1 = next(r for r in after if r["id"] == "zeta-1")
    assert (zeta1["name"], zeta1["status"]) == ("Zeta-1", "gated")
    assert [r["id"] for r in after] == [r["id"] for r in json.loads(first)]
    # A release added to the catalog folder shows at once.
    toml = zeta_dir / "vendors" / "zeta.toml"
    toml.write_text(ZETA + '\n[[release]]\nid = "zeta-0"\nname = "Zeta-0"\ngeneration = "Zeta 0"\n'
                    'date = "2024-01-01"\nstatus = "cloud-only"\nlicense = "proprietary"\n'
                    'sources = [{ url = "https://example.org/zeta/0", kind = "announcement" }]\n', "utf-8")
    os.utime(toml, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert "zeta-0" in {r["id"] for r in json.loads(_list(capsys, zeta_dir, "--vendor", "zeta"))}


@pytest.mark.parametrize("damage", ["\x1b[2J", "\\u001b[2J", "\u202e", "truncated"])
def test_a_foreign_or_damaged_memo_only_costs_the_shortcut(zeta_dir: Path, capsys, damage: str) -> None:
    _hub()
    built = _list(capsys, zeta_dir)
    rows = next(m for m in _memos() if not m.name.endswith(".index.json"))
    text = rows.read_text("utf-8")
    rows.write_text(text[: len(text) // 2] if damage == "truncated" else text.replace("Zeta-1", "Zeta" + damage + "1"),
                    "utf-8")
    out = _list(capsys, zeta_dir)
    assert out == built
    assert "\x1b" not in out and "\\u001b" not in out and "\u202e" not in out
