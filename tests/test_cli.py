"""The headless commands: output formats, exit codes, one-line errors, no Textual import."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from qwen_tui.cli import main

REPO = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "qwen_tui", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=120)


def test_list_json_on_fixture(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["list", "--vendor", "acme", "--catalog", str(fixture_catalog_dir), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ids = [r["id"] for r in rows]
    assert {"acme-1", "acme-2", "acme-2-max", "acme-3", "acme-3-plus"} <= set(ids)
    assert all(r["vendor"] == "acme" for r in rows)
    first = rows[0]
    assert first["id"] == "acme-3-plus" and first["status"] == "cloud-only" and first["date"] == "2026-04-02"
    for key in ("vendor", "id", "name", "generation", "date", "status", "license", "hf_repos", "sources"):
        assert key in first
    acme2 = next(r for r in rows if r["id"] == "acme-2")
    assert acme2["date"] == "2024-06" and acme2["date_precision"] == "month"
    assert acme2["repo_licenses"] == {"acme/Acme-2-70B": "acme-community"}
    assert acme2["disputes"][0]["value"] == "2024-05-30"
    assert acme2["hub"] is None  # no refresh yet: no Hub facts, none invented


def test_list_filters(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme",
                 "--status", "cloud-only", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["acme-3-plus", "acme-2-max"]
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "globex",
                 "--since", "2025-01", "--json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["globex-ultra"]


def test_list_csv(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "globex", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["id"] for r in rows] == ["globex-ultra", "globex-large", "globex-small"]
    assert rows[2]["status"] == "withdrawn" and rows[2]["hf_repos"] == "globex/globex-small"


def test_list_plain_text_when_piped(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme"]) == 0
    out = capsys.readouterr().out
    assert "Acme-3-Plus" in out and "cloud-only" in out
    assert "\x1b" not in out and "│" not in out  # no colour, no box drawing when not a terminal


def test_vendors_json_counts(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["vendors", "--catalog", str(fixture_catalog_dir), "--json"]) == 0
    vendors = {v["id"]: v for v in json.loads(capsys.readouterr().out)}
    assert vendors["acme"]["counts"] == {"open-weight": 2, "gated": 1, "cloud-only": 2}
    assert vendors["globex"]["counts"] == {"cloud-only": 2, "withdrawn": 1}


def test_license_command(capsys: pytest.CaptureFixture[str], fixture_catalog_dir: Path) -> None:
    assert main(["license", "acme-community", "--catalog", str(fixture_catalog_dir)]) == 0
    out = capsys.readouterr().out
    assert "100,000,000 monthly active users" in out and "Built with Acme" in out
    assert "Acme-2" in out and "Acme-3" in out  # used by
    assert main(["license", "acme-community", "--catalog", str(fixture_catalog_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mau_cap"] == 100_000_000 and data["commercial_use"] == "conditional"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["list", "--status", "opn"], "--status: unknown status 'opn' (choose from: open-weight, gated"),
        (["list", "--since", "2024-1"], "--since: '2024-1' is not YYYY-MM-DD or YYYY-MM"),
        (["list", "--vendor", "nosuch"], "--vendor: unknown vendor 'nosuch' (choose from: "),
        (["license", "nosuch"], "unknown license id 'nosuch' (choose from: acme-community"),
        (["list", "--frobnicate"], "unrecognized arguments: --frobnicate"),
        (["bogus"], "invalid choice: 'bogus'"),
        (["list", "--json", "--csv"], "not allowed with argument"),
        (["list", "--catalog", "/nonexistent/dir"], "--catalog /nonexistent/dir: not a directory"),
    ],
)
def test_usage_errors_are_one_line_exit_2(args: list[str], needle: str, fixture_catalog_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    if "--catalog" not in args:
        args = [*args, "--catalog", str(fixture_catalog_dir)]
    assert main(args) == 2
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert needle in err, err
    assert err.count("\n") == 0 and "Traceback" not in err
    assert captured.out == ""


def test_broken_user_catalog_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "vendors").mkdir()
    (tmp_path / "vendors" / "x.toml").write_text("[vendor\n", "utf-8")
    proc = run_cli("list", "--catalog", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "x.toml:1: invalid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_user_catalog_in_config_dir_is_read(isolated_dirs: dict[str, Path], fixture_catalog_dir: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    shutil.copytree(fixture_catalog_dir, isolated_dirs["config"] / "catalog")
    assert main(["list", "--vendor", "globex", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_version_names_dependencies() -> None:
    proc = run_cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("qwen-tui ") and "textual " in proc.stdout and "huggingface_hub " in proc.stdout


def test_headless_commands_do_not_import_textual(fixture_catalog_dir: Path) -> None:
    code = (
        "import sys, io, contextlib\n"
        "from qwen_tui.cli import main\n"
        "for argv in (['list', '--json'], ['list', '--csv'], ['list'], ['vendors'], ['license', 'mit']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main(argv + ['--catalog', sys.argv[1]]) == 0, argv\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'huggingface_hub', 'httpx2'))\n"
        "print(','.join(bad))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(fixture_catalog_dir)], capture_output=True,
                          text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_bundled_list_json_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) > 100
    assert all(r["sources"] for r in rows)


def test_piped_table_aligns_by_terminal_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              fixture_catalog_dir: Path) -> None:
    # A CJK character takes two cells and a combining mark none: padding by len() misaligned
    # every column after a name like these.
    from rich.cells import cell_len

    vendors = tmp_path / "extra" / "vendors"
    vendors.mkdir(parents=True)
    (vendors / "wide.toml").write_text('''
[vendor]
id = "wide"
name = "Wide"
country = "CN"
hub_orgs = []
cloud = "Wide Cloud"
cloud_url = "https://example.org/wide/cloud"

[[release]]
id = "wide-1"
name = "通义千问-Max"
generation = "Wide 1"
date = "2025-01-02"
status = "cloud-only"
license = "proprietary"
sources = [{ url = "https://example.org/wide/1", kind = "announcement" }]

[[release]]
id = "wide-2"
name = "Cafe\u0301-Zero"
generation = "Wide 1"
date = "2025-01-03"
status = "cloud-only"
license = "proprietary"
sources = [{ url = "https://example.org/wide/2", kind = "announcement" }]
''', encoding="utf-8")
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--catalog", str(tmp_path / "extra")]) == 0
    lines = capsys.readouterr().out.splitlines()
    rows = [line for line in lines if line.startswith("20")]
    assert any("通义千问" in r for r in rows) and any("\u0301" in r for r in rows)
    status_cells = {cell_len(r[: r.index(word)]) for r in rows
                    for word in ("open-weight", "gated", "cloud-only", "withdrawn") if word in r}
    assert len(status_cells) == 1, [r for r in rows]
