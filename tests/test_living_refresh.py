"""`qwen-tui refresh` with both sources, end to end: the real huggingface_hub client against the
fake Hub (HF_ENDPOINT) and real httpx against a loopback models.dev, both started by the test."""

from __future__ import annotations

import json

import pytest
from fakehub import FakeHub

from qwen_tui.cli import main
from qwen_tui.modelsdev import snapshot
from qwen_tui.modelsdev.fetch import URL_ENV
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from tests.modelsdev_server import ModelsDevServer

MODELS = {
    "mistral/testonly-large-9": {"name": "Testonly Large 9", "release_date": "2026-11-20", "open_weights": False},
    "mistral/testonly-small-9": {"name": "Testonly Small 9", "release_date": "2026-11-21", "open_weights": False},
}


@pytest.fixture
def hub(monkeypatch):
    h = FakeHub(page_size=2)
    for name in ("Acme-1-7B", "Acme-2-1B", "Acme-9-3B"):
        h.add(f"acme/{name}")
    with h:
        monkeypatch.setenv("HF_ENDPOINT", h.url)
        yield h


@pytest.fixture
def md(monkeypatch):
    with ModelsDevServer(json.dumps(MODELS).encode(), etag='"m1"') as srv:
        monkeypatch.setenv(URL_ENV, srv.url)
        yield srv


def run(capsys, *argv, catalog):
    code = main([*argv, "--catalog", str(catalog)])
    out, err = capsys.readouterr()
    return code, out, err


def test_both_sources_then_a_304(hub, md, capsys, fixture_catalog_dir) -> None:
    code, out, err = run(capsys, "refresh", "--vendor", "acme", catalog=fixture_catalog_dir)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("refreshed 1 of 1 vendors in ") and "snapshot 1 · 3 repos seen" in lines[0]
    assert lines[-1] == "models.dev: fetched · 2 entries kept, 0 invalid dropped · snapshot 1"
    code, out, err = run(capsys, "refresh", "--vendor", "acme", catalog=fixture_catalog_dir)
    with Store.open_readonly(default_paths().cache_db) as store:
        first = snapshot.latest(store.conn)
    assert code == 0 and out.splitlines()[-1] == f"models.dev: not modified · keeping snapshot 1 of {first.fetched_at}"
    assert md.requests[-1]["if-none-match"] == '"m1"'
    # The models.dev releases are listed with their origin; the discovered repo is a group of one.
    code, out, _ = run(capsys, "list", "--json", "--vendor", "mistral", catalog=fixture_catalog_dir)
    rows = {r["name"]: r for r in json.loads(out)}
    large = rows["Testonly Large 9"]
    assert (large["origin"], large["status"]) == ("models.dev", "cloud-only")
    code, out, _ = run(capsys, "list", "--json", "--status", "discovered", catalog=fixture_catalog_dir)
    groups = [(r["name"], r["origin"], r["hf_repos"]) for r in json.loads(out)]
    assert groups == [("Acme-9-3B", "hub", ["acme/Acme-9-3B"])]
    # refresh grouped them already: the next start reads the small counts memo.
    assert list(default_paths().cache_dir.glob("groups-*.counts.json"))


def test_a_failing_models_dev_does_not_stop_the_hub(hub, md, capsys, fixture_catalog_dir) -> None:
    md.faults = [(404, "")]
    code, out, err = run(capsys, "refresh", "--vendor", "acme", catalog=fixture_catalog_dir)
    assert code == 1 and "Traceback" not in err
    assert "snapshot 1 · 3 repos seen" in out.splitlines()[0]
    assert out.splitlines()[-1] == f"models.dev: failed (HTTP 404 from {md.url}) · keeping the bundled copy"
    with Store.open_readonly(default_paths().cache_db) as store:
        assert store.latest().id == 1 and snapshot.latest(store.conn) is None


def test_a_failing_hub_does_not_stop_models_dev(hub, md, capsys, fixture_catalog_dir) -> None:
    hub.fault("list:acme", status=503)
    code, out, _ = run(capsys, "refresh", "--vendor", "acme", "--workers", "1", catalog=fixture_catalog_dir)
    assert code == 1
    # Every Hub vendor asked for failed the same way: one line for the Hub, then models.dev's.
    assert "refused the refresh (HTTP 503)" in out.splitlines()[0]
    assert out.splitlines()[-1].startswith("models.dev: fetched · 2 entries kept")
    with Store.open_readonly(default_paths().cache_db) as store:
        assert snapshot.latest(store.conn).id == 1


def test_source_picks_one(hub, md, capsys, fixture_catalog_dir) -> None:
    code, out, err = run(capsys, "refresh", "--source", "models.dev", catalog=fixture_catalog_dir)
    assert (code, out) == (0, "models.dev: fetched · 2 entries kept, 0 invalid dropped · snapshot 1\n"), err
    assert hub.requests == []  # the Hub was not asked
    before = len(md.requests)
    code, out, err = run(capsys, "refresh", "--source", "hub", "--vendor", "acme", catalog=fixture_catalog_dir)
    assert code == 0 and "models.dev" not in out and len(md.requests) == before
    code, _, err = run(capsys, "refresh", "--source", "models.dev", "--vendor", "acme", catalog=fixture_catalog_dir)
    assert code == 2
    assert err == "qwen-tui: error: --vendor, --endpoint, --workers and --timeout apply to the Hub; add --source hub\n"
    code, _, err = run(capsys, "refresh", "--vendor", "nope", catalog=fixture_catalog_dir)
    assert code == 2 and "--vendor: unknown vendor 'nope'" in err and len(md.requests) == before  # nothing fetched


def test_paths_and_diff_show_the_models_dev_snapshots(md, capsys, fixture_catalog_dir) -> None:
    code, out, _ = run(capsys, "paths", catalog=fixture_catalog_dir)
    assert f"models.dev url   {md.url}" in out
    assert "(bundled: https://github.com/anomalyco/models.dev f3fc692, 2026-07-01)" in out.split("models.dev data  ")[1]
    assert run(capsys, "refresh", "--source", "models.dev", catalog=fixture_catalog_dir)[0] == 0
    changed = dict(MODELS)
    changed["mistral/testonly-large-9"] = {**MODELS["mistral/testonly-large-9"], "release_date": "2026-11-25"}
    del changed["mistral/testonly-small-9"]
    changed["mistral/testonly-tiny-9"] = {"name": "Testonly Tiny 9", "release_date": "2026-11-26", "open_weights": True}
    md.body, md.etag = json.dumps(changed).encode(), '"m2"'
    assert run(capsys, "refresh", "--source", "models.dev", catalog=fixture_catalog_dir)[0] == 0
    code, out, _ = run(capsys, "paths", catalog=fixture_catalog_dir)
    assert "models.dev data  snapshot 2 in the cache db: fetched " in out
    code, out, _ = run(capsys, "diff", catalog=fixture_catalog_dir)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "no snapshots yet; run `qwen-tui refresh`"
    assert lines[1].startswith("models.dev: changes from snapshot 1 (") and lines[1].endswith(": 3")
    assert [ln.split()[:2] for ln in lines[2:]] == [["changed", "mistral/testonly-large-9"],
                                                    ["removed", "mistral/testonly-small-9"],
                                                    ["added", "mistral/testonly-tiny-9"]]
    assert "release_date: 2026-11-20 -> 2026-11-25" in lines[2]
    code, out, _ = run(capsys, "diff", "--json", catalog=fixture_catalog_dir)
    doc = json.loads(out)["models_dev"]
    kinds = [c["kind"] for c in doc["changes"]]
    assert (doc["from"]["id"], doc["to"]["id"], kinds) == (1, 2, ["changed", "removed", "added"])
