"""Hostile text is inert: escapes, controls, markup and huge strings never reach a terminal live."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qwen_tui.cli import main
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from qwen_tui.text import MAX_TEXT, clean

# What a terminal would act on: ESC, C0/C1 controls (incl. CSI U+009B, OSC U+009D), DEL and the
# bidi overrides/isolates. A cleaned string must contain none of them.
LIVE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

NASTY_PIECES = [
    "\x1b[31m", "\x1b[2J", "\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;https://evil.example/\x1b\\", "\x1bP1$r\x1b\\",
    "\x9b31m", "\x9d0;title\x9c", "\x07", "\x00", "\r", "\b", "\u202e", "\u2066", "[bold red]", "[/]",
    "[link=https://evil.example]x[/link]", "[@click=app.quit]q[/]", "\ud800", "é", "漢字",
]
nasty_text = st.lists(st.one_of(st.sampled_from(NASTY_PIECES), st.text(max_size=20)), max_size=25).map("".join)


@given(nasty_text)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_clean_leaves_nothing_live(text: str) -> None:
    out = clean(text)
    assert LIVE.search(out) is None
    assert len(out) <= MAX_TEXT
    out.encode("utf-8")  # lone surrogates from invalid UTF-8 are gone too


def test_clean_keeps_markup_as_text_and_caps_megabytes() -> None:
    assert clean("[bold]Qwen[/bold]") == "[bold]Qwen[/bold]"
    huge = clean("A" * 5_000_000)
    assert len(huge) == MAX_TEXT and huge.endswith("…")


def _seed_hostile_cache(text: str) -> None:
    """A cache whose rows hold raw hostile text, as if the ingest-side cleaning had been skipped:
    the output side must hold on its own."""
    store, _ = Store.open(default_paths().cache_db)
    repos = [HubRepo(repo_id="acme/" + text[:60] or "acme/x", org="acme", vendor="acme",
                     fetched_at="2026-01-01T00:00:00Z", license=text, license_name=text,
                     created_at="2026-01-01T00:00:00Z", downloads=1)]
    store.write_snapshot(started_at="2026-01-01T00:00:00Z", endpoint="http://127.0.0.1:1",
                         results=[OrgResult("acme", "acme", True, 1, "", "2026-01-01T00:00:00Z")],
                         repos=repos, all_orgs=[("acme", "acme")])
    store.close()


@pytest.mark.parametrize("fmt", [[], ["--csv"], ["--json"]])
def test_cli_output_has_no_live_sequences(fmt: list[str], fixture_catalog_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    payload = "".join(NASTY_PIECES[:17]) + "x" * 100_000
    _seed_hostile_cache(payload)
    assert main(["list", "--catalog", str(fixture_catalog_dir), "--vendor", "acme",
                 "--status", "discovered", *fmt]) == 0
    out = capsys.readouterr().out
    assert LIVE.search(out.replace("\n", "").replace("\r", "")) is None or fmt == ["--json"]
    if fmt == ["--json"]:
        rows = json.loads(out)  # JSON escapes controls as \\u001b: the bytes on screen are inert
        assert "\x1b" not in out and rows and rows[0]["status"] == "discovered"
    assert len(out) < 60_000  # megabyte strings are cut, not printed
