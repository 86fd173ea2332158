"""Catalog input that used to hang, crash or smuggle terminal controls: each gets one error line.

Issue 11 §5: deeply nested TOML, a quadratic duplicate check, a FIFO named *.toml, a path too long
for the OS, a folder that loops, and control characters in source URLs, titles and dispute notes.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qwen_tui.catalog.loader import load_catalog
from tests.test_catalog_loader import GOOD_VENDOR, load_error, make_catalog
from tests.test_cli import run_cli


def test_deeply_nested_toml_is_one_error(tmp_path: Path) -> None:
    text = GOOD_VENDOR + "deep = " + "[" * 3000 + "]" * 3000 + "\n"
    err = load_error(make_catalog(tmp_path, text))
    assert "nested too deeply" in str(err) and "zeta.toml" in str(err)


@pytest.mark.timeout(60)  # a hang guard, not a speed target: the quadratic check took ~80 s
def test_many_repos_are_checked_for_duplicates_in_linear_time(tmp_path: Path) -> None:
    repos = ", ".join(f'"zeta/Zeta-1-{i}"' for i in range(100_000))
    text = GOOD_VENDOR.replace('hf_repos = ["zeta/Zeta-1"]', f"hf_repos = [{repos}]")
    cat = load_catalog([make_catalog(tmp_path, text)])
    rel = cat.release("zeta-1")
    assert rel is not None and len(rel.hf_repos) == 100_000
    dup = GOOD_VENDOR.replace('hf_repos = ["zeta/Zeta-1"]', f'hf_repos = [{repos}, "zeta/Zeta-1-7"]')
    assert "listed twice" in str(load_error(make_catalog(tmp_path / "dup", dup)))


@pytest.mark.timeout(30)  # reading a FIFO blocks forever: the guard turns a hang into a failure
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_toml_is_refused_without_blocking(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    os.mkfifo(root / "vendors" / "x.toml")
    err = load_error(root)
    assert "x.toml" in str(err) and "not a regular file" in str(err)


def test_path_too_long_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("--catalog", str(tmp_path / ("a" * 5000)), "list")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert "aaaa" in proc.stderr and len(proc.stderr) < 400


def test_folder_that_loops_is_one_line(tmp_path: Path) -> None:
    root = make_catalog(tmp_path)
    (root / "vendors" / "x.toml").symlink_to(root / "vendors" / "x.toml")
    proc = run_cli("--catalog", str(root), "list")
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "x.toml" in proc.stderr


@pytest.mark.parametrize("where", [
    ('{ url = "https://example.org/zeta-1", kind = "announcement" }',
     '{ url = "https://example.org/\\u001b]52;c;ZXZpbA==\\u0007", kind = "announcement" }'),
    ('{ url = "https://example.org/zeta-1", kind = "announcement" }',
     '{ url = "https://example.org/zeta-1", kind = "announcement", title = "a\\u202eb" }'),
])
def test_control_characters_in_sources_are_refused(tmp_path: Path, where: tuple[str, str]) -> None:
    err = load_error(make_catalog(tmp_path, GOOD_VENDOR.replace(*where)))
    assert err.field == "sources" and "control character" in str(err)


def test_control_characters_in_dispute_note_are_refused(tmp_path: Path) -> None:
    text = GOOD_VENDOR + ('disputes = [{ field = "date", value = "2024-03-06", '
                          'source = "https://example.org/x", note = "x\\u009b31m" }]\n')
    err = load_error(make_catalog(tmp_path, text))
    assert err.field == "disputes" and "U+009B" in str(err)


@pytest.mark.parametrize("var", ["QWEN_TUI_CACHE_DIR", "QWEN_TUI_CONFIG_DIR"])
@pytest.mark.parametrize("command", [["list"], ["vendors"], ["diff"]])
def test_directory_variable_too_long_is_one_line(tmp_path: Path, var: str, command: list[str]) -> None:
    proc = run_cli(*command, env_extra={var: str(tmp_path / ("b" * 5000))})
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert var in proc.stderr and len(proc.stderr) < 400
