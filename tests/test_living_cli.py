"""The living catalog end to end through the CLI: origin on every row, the bundled models.dev copy
on a first offline start, merge cases and grouped discoveries through `list`, a loopback
models.dev and a real cache."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from qwen_tui.cli import main
from qwen_tui.evidence import HubRepo, OrgResult
from qwen_tui.modelsdev.bundled import load_bundled
from qwen_tui.modelsdev.fetch import URL_ENV
from qwen_tui.paths import default_paths
from qwen_tui.store import Store
from tests.modelsdev_server import ModelsDevServer

ROOT = Path(__file__).resolve().parent.parent
FETCHED = "2026-11-30T10:00:00Z"


HF = "https://huggingface.co/"
MODELS = {
    # joins Zeta-1 by its weights repo
    "zeta/zeta-1-8b": {"name": "Zeta 1 8B Instruct", "release_date": "2025-01-10", "open_weights": True,
                       "weights": [{"url": HF + "zeta/Zeta-1-8B", "label": "8B"}]},
    # joins "Zeta 2 Plus" by its name written differently; its date disagrees (kept as a dispute)
    "zeta/zeta-2-plus": {"name": "Zeta-2-Plus", "release_date": "2025-06-03", "open_weights": False},
    # joins the release that groups sizes, by "<generation> <size>"
    "zeta/zeta3-8b": {"name": "Zeta3 8B", "release_date": "2025-09-01", "open_weights": True},
    # new: cloud-only
    "zeta/zeta-4-max": {"name": "Zeta 4 Max", "release_date": "2025-11-01", "open_weights": False,
                        "links": [{"url": "https://example.org/zeta/4", "type": "announcement", "label": "blog"}]},
    # new: open weights in the vendor's org, which the Hub gates: the Hub decides
    "zeta/zeta-4-mini": {"name": "Zeta 4 Mini", "release_date": "2025-11-02", "open_weights": True,
                         "weights": [{"url": HF + "zeta/Zeta-4-Mini", "label": "Mini"}]},
    # hostile: markup stays text; an escape sequence drops the entry (counted)
    "zeta/zeta-odd": {"name": "[bold]Zeta Odd[/bold]", "release_date": "2025-12-01", "open_weights": False},
    "zeta/zeta-evil": {"name": "Zeta \x1b[2J Evil", "release_date": "2025-12-01", "open_weights": False},
}


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with ModelsDevServer(json.dumps(MODELS).encode(), etag='"zeta-1"') as srv:
        monkeypatch.setenv(URL_ENV, srv.url)
        yield srv


def _hub_snapshot(repos: list[HubRepo]) -> None:
    with Store.open(default_paths().cache_db) as store:
        store.write_snapshot(started_at=FETCHED, endpoint="http://127.0.0.1:1",
                             results=[OrgResult("zeta", "zeta", True, len(repos), "", FETCHED)], repos=repos)


def _repo(name: str, created: str, **kw) -> HubRepo:
    return HubRepo(repo_id=f"zeta/{name}", org="zeta", vendor="zeta", fetched_at=FETCHED,
                   created_at=created, **kw)


def _refresh_models_dev(catalog: Path) -> str:
    from qwen_tui.modelsdev.refresh import beside
    from qwen_tui.query import Dataset

    ds = Dataset.load(default_paths(), [catalog], use_cache=False)
    with Store.open(default_paths().cache_db) as store:
        return beside(store, ds.catalog, None)[2].line()


def _list(capsys, *argv: str) -> list[dict]:
    assert main(["list", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_merge_cases_through_list(server, zeta_dir: Path, capsys) -> None:
    _hub_snapshot([_repo("Zeta-1-8B", "2025-01-09T00:00:00Z"), _repo("Zeta3-30B", "2025-08-30T00:00:00Z"),
                   _repo("Zeta-4-Mini", "2025-11-02T00:00:00Z", gated="manual", license="apache-2.0")])
    line = _refresh_models_dev(zeta_dir)
    assert line == "models.dev: fetched · 6 entries kept, 1 invalid dropped · snapshot 1"
    rows = {r["id"]: r for r in _list(capsys, "--vendor", "zeta", "--catalog", str(zeta_dir))}
    tracker = "https://github.com/anomalyco/models.dev/blob/dev/models/{}.toml"
    # Joined: no duplicates, the catalog row gains models.dev as a tracker source.
    assert set(rows) == {"zeta-1", "zeta-2-plus", "zeta-3", "models.dev/zeta/zeta-4-max",
                         "models.dev/zeta/zeta-4-mini", "models.dev/zeta/zeta-odd"}
    assert rows["zeta-1"]["origin"] == "catalog"
    cited = {"url": tracker.format("zeta/zeta-1-8b"), "kind": "tracker", "title": "models.dev: Zeta 1 8B Instruct"}
    assert cited in rows["zeta-1"]["sources"]
    assert tracker.format("zeta/zeta3-8b") in [s["url"] for s in rows["zeta-3"]["sources"]]
    # A disagreement is kept with its source; the catalog's date is the one shown.
    plus = rows["zeta-2-plus"]
    assert plus["date"] == "2025-06-01"
    assert {"field": "date", "value": "2025-06-03", "source": tracker.format("zeta/zeta-2-plus")} == {
        k: plus["disputes"][0][k] for k in ("field", "value", "source")}
    # New releases: cloud-only from open_weights false; open weights the Hub gates: gated.
    mx = rows["models.dev/zeta/zeta-4-max"]
    assert (mx["origin"], mx["status"], mx["date"], mx["license"]) == (
        "models.dev", "cloud-only", "2025-11-01", "proprietary")
    mini = rows["models.dev/zeta/zeta-4-mini"]
    assert (mini["origin"], mini["catalog_status"], mini["status"]) == ("models.dev", "open-weight", "gated")
    assert mini["hub"]["repos"][0]["gated"] == "manual"
    assert rows["models.dev/zeta/zeta-odd"]["name"] == "[bold]Zeta Odd[/bold]"  # text, not markup
    # The claimed repo is not "discovered" any more.
    assert _list(capsys, "--status", "discovered", "--vendor", "zeta", "--catalog", str(zeta_dir)) == []
    # --csv carries the origin too.
    assert main(["list", "--csv", "--vendor", "zeta", "--catalog", str(zeta_dir)]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["id"]: r["origin"] for r in table}["models.dev/zeta/zeta-4-max"] == "models.dev"
    assert {r["origin"] for r in table} == {"catalog", "models.dev"}


def test_discovered_repos_are_grouped(zeta_dir: Path, capsys) -> None:
    _hub_snapshot([
        _repo("Zeta-1-8B", "2025-01-09T00:00:00Z"),  # claimed by the catalog
        _repo("Zeta-5-7B", "2026-02-01T10:00:00Z", license="apache-2.0", downloads=10),
        _repo("Zeta-5-7B-Instruct", "2026-02-01T11:00:00Z", license="apache-2.0", downloads=5),
        _repo("Zeta-5-7B-GGUF", "2026-03-20T00:00:00Z", license="apache-2.0"),
        _repo("Zeta-5-32B", "2026-02-03T00:00:00Z", license="other", license_name="zeta-license"),
        _repo("Zeta-Old-1B", "2023-05-01T00:00:00Z"),
    ])
    groups = _list(capsys, "--status", "discovered", "--catalog", str(zeta_dir))
    assert [(g["name"], g["origin"], g["date"], len(g["hf_repos"])) for g in groups] == [
        ("Zeta-5 (7B, 32B)", "hub", "2026-02-01", 4), ("Zeta-Old-1B", "hub", "2023-05-01", 1)]
    first = groups[0]
    assert first["hf_repos"] == ["zeta/Zeta-5-32B", "zeta/Zeta-5-7B", "zeta/Zeta-5-7B-GGUF", "zeta/Zeta-5-7B-Instruct"]
    assert first["status"] == "discovered" and first["license"] == "apache-2.0"
    assert first["date_source"] == "hub-created" and first["hub"]["downloads"] == 15
    assert first["repo_licenses"]["zeta/Zeta-5-32B"] == "zeta-license"
    assert "grouped by name; earliest created 2026-02-01 (hub-created)" in first["evidence"][0]["text"]
    # Computed once and memoised per snapshot: the vendor counts read the small counts memo.
    cache = default_paths().cache_dir
    assert len(list(cache.glob("groups-*.counts.json"))) == 1
    assert main(["vendors", "--json", "--catalog", str(zeta_dir)]) == 0
    zeta = next(v for v in json.loads(capsys.readouterr().out) if v["id"] == "zeta")
    assert zeta["counts"]["discovered"] == 2


def test_first_start_offline_lists_the_bundled_models_dev_releases(capsys) -> None:
    probe = textwrap.dedent("""
        import sys
        events = []
        sys.addaudithook(lambda e, a: events.append(e) if e.startswith("socket.") else None)
        from qwen_tui.cli import main
        code = main(sys.argv[1:])
        sys.stdout.flush()
        print("SOCKET-EVENTS:" + ",".join(events), file=sys.stderr)
        sys.exit(code)
    """)
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", probe, "list", "--json"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and proc.stderr.strip() == "SOCKET-EVENTS:", proc.stderr
    rows = json.loads(proc.stdout)
    assert {r["origin"] for r in rows} == {"catalog", "models.dev"}
    tracked = [r for r in rows if r["origin"] == "models.dev"]
    bundle = load_bundled()
    bundled_keys = {e.key for e in bundle.parsed.entries}
    assert tracked and all(r["id"].removeprefix("models.dev/") in bundled_keys for r in tracked)
    assert all(any(s["kind"] == "tracker" for s in r["sources"]) for r in tracked)
    assert not default_paths().cache_db.exists()  # a first start writes no cache


def test_open_weights_without_a_located_repo_are_not_called_cloud_only() -> None:
    # models.dev says open_weights but names no Hub repo: the terms are unknown, not "no weights".
    from qwen_tui.catalog.loader import load_catalog
    from qwen_tui.model import PartialDate, Release, Source, Status
    from qwen_tui.pivot.commercial import Commercial, classify_release

    cat = load_catalog()
    rel = Release(id="models.dev/nvidia/x", vendor="nvidia", name="X", generation="X", date=PartialDate(2026, 1),
                  status=Status.OPEN_WEIGHT, license="unknown", sources=(Source("https://example.org", "tracker"),),
                  provenance="models.dev")
    verdict = classify_release(rel, cat.licenses)
    assert verdict.cls is Commercial.UNKNOWN and "cloud-only" not in verdict.reason
    assert classify_release(replace(rel, license="apache-2.0"), cat.licenses).cls is Commercial.UNRESTRICTED
    assert classify_release(replace(rel, status=Status.CLOUD_ONLY), cat.licenses).cls is Commercial.NONE
