"""`qwen-tui list` on an 80-column terminal (issue 14, item 17): one line per release, no empty
columns, cells cut at a cell boundary with '…', never a word split onto a second line.

The real command runs with stdout taken for a terminal (`is_terminal`) and Rich sizing its console
from COLUMNS, as it does on a real terminal of that width."""

from __future__ import annotations

import json
import re

import pytest
from rich.cells import cell_len

from qwen_tui.cli import catalog_cmds, main

DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?\s")


def run_on_terminal(capsys, monkeypatch, width: int, *argv: str) -> list[str]:
    monkeypatch.setattr(catalog_cmds, "is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", str(width))
    assert main(list(argv)) == 0
    return capsys.readouterr().out.splitlines()


def releases(capsys, *argv: str) -> list[dict]:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("width", [80, 60, 120])
def test_list_on_a_terminal_is_one_line_per_release_and_fits(capsys, monkeypatch, width):
    lines = run_on_terminal(capsys, monkeypatch, width, "list", "--vendor", "alibaba")
    want = releases(capsys, "list", "--vendor", "alibaba")
    header = lines[1]
    data = [line for line in lines[3:] if line.strip()]
    assert all(cell_len(line) <= width for line in lines)
    assert len(data) == len(want) and all(DATE.match(line) for line in data)
    # No Hub data: no downloads column, which would only take room.
    assert "downloads" not in header and header.split()[:2] == ["date", "vendor"]
    # Every name is there whole, or cut with "…" where its column ends (never continued below).
    for line, rel in zip(data, want, strict=True):
        name = rel["name"]
        if name not in line:
            cut = re.search(r"(\S[^…]*)…", line[len("2026-09-20  alibaba  "):])
            assert cut and name.startswith(cut.group(1)), (name, line)
    if width >= 120:
        assert all(rel["name"] in line for line, rel in zip(data, want, strict=True))


def test_dates_and_statuses_are_never_cut_at_80_columns(capsys, monkeypatch):
    lines = run_on_terminal(capsys, monkeypatch, 80, "list")
    want = releases(capsys, "list")
    data = [line for line in lines[3:] if line.strip()]
    assert len(data) == len(want)
    for line, rel in zip(data, want, strict=True):
        assert line.startswith(rel["date"]) and f" {rel['status']} " in line + " ", line


def test_downloads_show_when_there_are_hub_data(capsys, monkeypatch, fixture_catalog_dir):
    from qwen_tui.evidence import HubRepo, OrgResult
    from qwen_tui.paths import default_paths
    from qwen_tui.store import Store

    at = "2026-04-03T10:00:00Z"
    store = Store.open(default_paths().cache_db)
    store.write_snapshot(started_at=at, endpoint="http://127.0.0.1:1",
                         results=[OrgResult("acme", "acme", True, 1, "", at)],
                         repos=[HubRepo(repo_id="acme/Acme-1-7B", org="acme", vendor="acme", fetched_at=at,
                                        downloads=1_234_567)], all_orgs=[("acme", "acme")])
    store.close()
    lines = run_on_terminal(capsys, monkeypatch, 80, "list", "--catalog", str(fixture_catalog_dir),
                            "--vendor", "acme")
    assert "downloads" in lines[1]
    assert any("1,234,567" in line for line in lines)


def test_no_color_status_cells_differ_by_weight(monkeypatch):
    from rich.console import Console

    from qwen_tui.model import Status
    from qwen_tui.present.status import MONO_BOLD

    console = Console(width=80, force_terminal=True, no_color=True, record=True)
    rows = [["2026-01-01", "x", s.value, s.value] for s in Status]
    table = catalog_cmds.rich_table(["date", "vendor", "release", "status"], rows, width=80,
                                    status_col=3, colour=False)
    segments = list(console.render(table))
    for s in Status:
        seg = next(seg for seg in segments if seg.text.strip() == s.value and seg.style and
                   seg.style.bold is not None)
        assert bool(seg.style.bold) is MONO_BOLD[s] and seg.style.color is None
