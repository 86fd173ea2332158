"""Benchmark: `qwen_tui.sync.refresh` against a plain sequential `list_models` loop.

Both run side by side, alternating, against the same fake Hub (tests/fakehub.py) running in its own
process: 20 orgs x 1,000 repos, 100 repos a page, 50 ms added to every response. The refresh also
makes model_info calls for 2 catalogued repos per vendor and writes the SQLite snapshot; the
baseline only lists. Prints each run and the medians; the goal is a ratio of at least 8x.

    .venv/bin/python benchmarks/bench_refresh.py [--rounds 3] [--orgs 20] [--repos 1000] [--workers N]

`--budget` instead counts the Hub requests of refreshes of the bundled catalog (and of a catalog
three times its size) against a fake Hub holding every catalogued repo plus `--extra` other repos
per org, 1,000 a page like the real listing: a first refresh, then a second one right after (a few
repos changed in between). Goals (issue 11): first <= 150, tripled first < 250, second <= 40.

    .venv/bin/python benchmarks/bench_refresh.py --budget [--extra 400]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")  # else the library fetches /api/agent-harnesses

import fakehub  # noqa: E402

from qwen_tui.hub.fetch import LIST_EXPAND  # noqa: E402
from qwen_tui.model import Catalog, PartialDate, Release, Source, Status, Vendor  # noqa: E402
from qwen_tui.store import Store  # noqa: E402
from qwen_tui.sync import SyncSettings, refresh  # noqa: E402


def bench_catalog(orgs: int) -> Catalog:
    vendors = {f"v{o}": Vendor(id=f"v{o}", name=f"Vendor {o}", country="US", hub_orgs=(f"org{o}",),
                               cloud="none") for o in range(orgs)}
    src = (Source("https://example.org/bench", "announcement"),)
    releases = tuple(
        Release(id=f"r{o}", vendor=f"v{o}", name=f"R{o}", generation="1", date=PartialDate(2024, 1, 1),
                status=Status.OPEN_WEIGHT, license="apache-2.0", sources=src,
                hf_repos=(f"org{o}/Model-0001", f"org{o}/Model-0002"))
        for o in range(orgs))
    return Catalog(vendors=vendors, releases=releases, licenses={})


def run_baseline(url: str, orgs: int) -> tuple[float, int]:
    from huggingface_hub import HfApi, set_client_factory
    from huggingface_hub.utils._http import default_client_factory

    set_client_factory(default_client_factory)  # the library as it comes, not our client
    api = HfApi(endpoint=url)
    t = time.perf_counter()
    n = 0
    for o in range(orgs):
        for _ in api.list_models(author=f"org{o}", expand=LIST_EXPAND):
            n += 1
    return time.perf_counter() - t, n


def run_refresh(url: str, catalog: Catalog, settings: SyncSettings) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(Path(tmp) / "bench.sqlite3")
        assert store is not None
        t = time.perf_counter()
        report = refresh(catalog, store, endpoint=url, settings=settings)
        elapsed = time.perf_counter() - t
        store.close()
    if report.failed:
        raise SystemExit(f"refresh failed: {report.failed}")
    return elapsed, report.repos_seen


def tripled(catalog: Catalog) -> Catalog:
    """The catalog three times over: each vendor with two more orgs holding copies of its repos."""
    from dataclasses import replace

    def copies(repo: str) -> tuple[str, ...]:
        org, name = repo.split("/", 1)
        return (repo, f"{org}-2/{name}", f"{org}-3/{name}")

    vendors = {k: replace(v, hub_orgs=tuple(o + s for o in v.hub_orgs for s in ("", "-2", "-3")))
               for k, v in catalog.vendors.items()}
    releases = tuple(replace(r, hf_repos=tuple(c for repo in r.hf_repos for c in copies(repo)), repo_licenses={})
                     for r in catalog.releases)
    return replace(catalog, vendors=vendors, releases=releases)


def budget(extra: int) -> None:
    from qwen_tui.catalog.loader import load_catalog

    bundled = load_catalog([])
    for label, catalog in (("bundled catalog", bundled), ("catalog x3", tripled(bundled))):
        hub = fakehub.FakeHub(page_size=1000)
        orgs = {o for v in catalog.vendors.values() for o in v.hub_orgs}
        repos = sorted({r for rel in catalog.releases if rel.status is not Status.CLOUD_ONLY for r in rel.hf_repos})
        for repo in repos:
            hub.add(repo)
        for org in sorted(orgs):
            for i in range(extra):
                hub.add(f"{org}/other-{i:04d}")
        url = hub.start()
        try:
            with tempfile.TemporaryDirectory() as tmp:
                store = Store.open(Path(tmp) / "bench.sqlite3")
                assert store is not None
                first = refresh(catalog, store, endpoint=url)
                for repo in repos[:5]:  # a few catalogued repos pushed to in between
                    hub.update(repo, lastModified="2026-01-01T00:00:00.000Z")
                second = refresh(catalog, store, endpoint=url)
                store.close()
        finally:
            hub.stop()
        for name, rep in (("first", first), ("second", second)):
            print(f"{label}: {len(orgs)} orgs, {len(repos)} catalogued repos, {first.repos_seen:,} repos listed; "
                  f"{name} refresh: {rep.requests} requests ({rep.checks_asked} model_info, "
                  f"{rep.checks_carried} answers kept, {rep.checks_deferred} left for later), "
                  f"failed={sorted(rep.failed)}")


def main() -> None:
    if "--budget" in sys.argv:
        ap = argparse.ArgumentParser(description="Hub requests per refresh")
        ap.add_argument("--budget", action="store_true")
        ap.add_argument("--extra", type=int, default=400)
        budget(ap.parse_args().extra)
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--orgs", type=int, default=20)
    ap.add_argument("--repos", type=int, default=1000)
    ap.add_argument("--delay", type=float, default=0.05)
    ap.add_argument("--workers", type=int, default=SyncSettings().workers)
    args = ap.parse_args()
    os.environ["QWEN_TUI_CACHE_DIR"] = tempfile.mkdtemp(prefix="qwen-tui-bench-")  # the refresh log
    hub = fakehub.bench_hub(args.orgs, args.repos, page_size=100, delay=args.delay)
    url = hub.start(process=True)
    catalog = bench_catalog(args.orgs)
    settings = SyncSettings(workers=args.workers)
    print(f"fake Hub {url} (own process): {args.orgs} orgs x {args.repos} repos, 100 a page, "
          f"{args.delay * 1000:.0f} ms a response; refresh workers={args.workers}")
    base, ours = [], []
    try:
        for i in range(args.rounds):
            b, nb = run_baseline(url, args.orgs)
            r, nr = run_refresh(url, catalog, settings)
            assert nb == nr == args.orgs * args.repos, (nb, nr)
            base.append(b)
            ours.append(r)
            print(f"round {i + 1}: sequential list_models {b:6.2f} s   refresh {r:5.2f} s   ({b / r:4.1f}x)")
    finally:
        hub.stop()
    mb, mr = statistics.median(base), statistics.median(ours)
    print(f"median: sequential list_models {mb:.2f} s, refresh {mr:.2f} s, ratio {mb / mr:.1f}x "
          f"({'meets' if mb / mr >= 8 else 'misses'} the 8x goal)")


if __name__ == "__main__":
    main()
