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
    store = Store.open(default_paths().cache_db)
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


VALUES = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.text(max_size=30),
                   st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
RELEASE_KEYS = ["id", "name", "generation", "date", "status", "license", "hf_repos", "params", "sources",
                "tags", "repo_licenses", "disputes", "summary", "bogus"]


def _toml_value(v: object) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


@given(fields=st.dictionaries(st.sampled_from(RELEASE_KEYS), VALUES, max_size=8),
       junk=st.binary(max_size=40), mode=st.sampled_from(["typed", "junk"]))
@settings(max_examples=120, deadline=None)
def test_broken_user_catalog_is_one_line_exit_2(tmp_path_factory: pytest.TempPathFactory, fields: dict,
                                                junk: bytes, mode: str) -> None:
    root = tmp_path_factory.mktemp("cat")
    (root / "vendors").mkdir()
    if mode == "typed":
        body = '[vendor]\nid = "zz"\nname = "Z"\ncountry = "DE"\nhub_orgs = []\ncloud = ""\n\n[[release]]\n'
        body += "".join(f"{k} = {_toml_value(v)}\n" for k, v in fields.items())
        data = body.encode()
    else:
        data = b"[vendor]\nid = \"zz\"\n" + junk
    (root / "vendors" / "zz.toml").write_bytes(data)
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["list", "--catalog", str(root), "--json"])
    text = err.getvalue()
    if code == 0:
        return  # hypothesis may build a valid file; that is fine
    assert code == 2, text
    assert text.count("\n") == 1 and text.startswith("qwen-tui: error: ") and "zz.toml" in text
    assert LIVE.search(text.rstrip("\n")) is None
