"""The living catalog inside the app, at a realistic load: `list --json` and first paint with
~5,000 models.dev entries stored in the cache (merged with the catalog) and 100,000 Hub repos.

Run: .venv/bin/python benchmarks/bench_living_app.py [--entries 5000] [--repos 100000] [--runs 11]
     [--rounds 5] [--skip-tmux]

The cache is built as `refresh` leaves it: one Hub snapshot of --repos generated repos
(bench_tui.make_repos' shapes: families, sizes and variants), one models.dev snapshot of --entries
generated entries (bench_living.make_entries), then the memos `refresh` and the first start write
(the merged releases; the discovered groups). Then, as whole processes:

* `list --json` (no discovered rows), median of --runs, against `python -c pass`, target < 120 ms;
* the same with the bundled models.dev copy only (no snapshot stored), for comparison;
* `list --status discovered --json` (every group, all repos read), for information;
* first paint in tmux at 80x24 against an empty Textual app (bench_tui's probe), target <= 1.4x.

--baseline DIR: also time another checkout's code (e.g. a `git worktree` of the commit before a
change) on a copy of the same cache (each code's memos apart), interleaved with this one's runs
and rounds, so both meet the shared machine's same slow and fast minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_list import time_cmd  # noqa: E402
from bench_living import LABS, make_entries, make_repos  # noqa: E402
from bench_tui import EMPTY_APP, PY, tmux_first_paint  # noqa: E402

from qwen_tui.catalog.loader import load_catalog  # noqa: E402


def build_cache(cache: Path, entries: int, repos: int) -> tuple[int, int]:
    """A cache with both snapshots; entries=0: the Hub's only (the bundled models.dev copy is used)."""
    from qwen_tui.evidence import OrgResult
    from qwen_tui.modelsdev import snapshot
    from qwen_tui.modelsdev.parse import parse_models_json
    from qwen_tui.store import Store

    catalog = load_catalog()
    rng = random.Random(12)
    body = json.dumps(make_entries(entries, [r for rel in catalog.releases for r in rel.hf_repos], rng)).encode()
    # Spread the generated repos over the real vendors' orgs, as a refresh of every vendor would.
    pairs = [(v.id, o) for v in catalog.vendors.values() for o in v.hub_orgs]
    fetched = "2026-11-01T00:00:00Z"
    hub = []
    for i, r in enumerate(make_repos(repos, rng)):
        vendor, org = pairs[i % len(pairs)]
        hub.append(r.__class__(**{**r.__dict__, "repo_id": f"{org}/{r.repo_id.split('/', 1)[1]}",
                                  "org": org, "vendor": vendor, "fetched_at": fetched}))
    with Store.open(cache / "qwen-tui.sqlite3") as store:
        counts: dict[str, int] = {}
        for r in hub:
            counts[r.org] = counts.get(r.org, 0) + 1
        store.write_snapshot(started_at=fetched, endpoint="bench", repos=hub, all_orgs=pairs,
                             results=[OrgResult(v, o, True, counts.get(o, 0), "", fetched) for v, o in pairs])
        if not entries:
            return 0, len(hub)
        parsed = parse_models_json(body, labs=LABS)
        with store.atomic() as conn:
            snapshot.save(conn, url="bench", fetched_at=fetched, etag='"bench"', parsed=parsed)
    return len(parsed.entries), len(hub)


def baseline_program(checkout: Path) -> str:
    """`python <this>` runs the qwen_tui package of `checkout` (not the installed one)."""
    return (f"-c \"import sys, runpy; sys.path.insert(0, '{checkout}'); "
            f"runpy.run_module('qwen_tui', run_name='__main__', alter_sys=True)\"")


def baseline_argv(checkout: Path, *args: str) -> list[str]:
    return [PY, "-c", f"import sys, runpy; sys.path.insert(0, {str(checkout)!r}); "
            f"runpy.run_module('qwen_tui', run_name='__main__', alter_sys=True)", *args]


def interleaved(argvs: list[list[str]], envs: list[dict[str, str]], runs: int) -> list[list[float]]:
    out: list[list[float]] = [[] for _ in argvs]
    for _ in range(runs):
        for i, (argv, env) in enumerate(zip(argvs, envs, strict=True)):
            out[i] += time_cmd(argv, env, 1)
    return out


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--repos", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--skip-tmux", action="store_true")
    ap.add_argument("--baseline", type=Path, metavar="DIR", help="another checkout to time alongside")
    args = ap.parse_args()
    med = statistics.median
    # Compile both codes first, as an installed package is (run_all.py does the same): under
    # PYTHONDONTWRITEBYTECODE (set on this machine) every start would compile our modules again,
    # ~20 ms of a first paint that no user's install pays.
    for checkout in (ROOT, *([args.baseline] if args.baseline else [])):
        subprocess.run([PY, "-m", "compileall", "-q", str(Path(checkout) / "qwen_tui")], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        cache, config = Path(tmp) / "cache", Path(tmp) / "config"
        t = time.perf_counter()
        kept, n_repos = build_cache(cache, args.entries, args.repos)
        took = time.perf_counter() - t
        print(f"cache: {kept:,} models.dev entries stored, {n_repos:,} Hub repos ({took:.1f} s to build)")
        env = dict(os.environ, QWEN_TUI_CACHE_DIR=str(cache), QWEN_TUI_CONFIG_DIR=str(config),
                   HF_HUB_OFFLINE="1", TERM="xterm")
        env.pop("NO_COLOR", None)
        lst = [PY, "-m", "qwen_tui", "list", "--json"]
        t = time.perf_counter()
        subprocess.run(lst, env=env, stdout=subprocess.DEVNULL, check=True)  # merge + write the memos
        cold = time.perf_counter() - t
        from qwen_tui.paths import default_paths  # noqa: F401 - (env-driven; measured in children)

        t = time.perf_counter()
        subprocess.run([PY, "-m", "qwen_tui", "vendors", "--json"], env=env, stdout=subprocess.DEVNULL, check=True)
        grouping = time.perf_counter() - t
        out = subprocess.run(lst, env=env, capture_output=True, check=True).stdout
        rows = json.loads(out)
        origins = {o: sum(r["origin"] == o for r in rows) for o in ("catalog", "models.dev")}
        base_env = None
        if args.baseline:
            base_cache = Path(tmp) / "baseline-cache"
            shutil.copytree(cache, base_cache, ignore=shutil.ignore_patterns("*.json"))
            base_env = dict(env, QWEN_TUI_CACHE_DIR=str(base_cache))
            for cmd in (["list", "--json"], ["vendors", "--json"], ["list", "--json"]):  # its memos
                subprocess.run(baseline_argv(args.baseline, *cmd), env=base_env, stdout=subprocess.DEVNULL,
                               check=True)
        bare = time_cmd([PY, "-c", "pass"], env, args.runs)
        if base_env is not None:
            warm, base_warm = interleaved([lst, baseline_argv(args.baseline, "list", "--json")],
                                          [env, base_env], args.runs)
        else:
            warm = time_cmd(lst, env, args.runs)
        hub_only = Path(tmp) / "hub-only"
        build_cache(hub_only, 0, args.repos)
        bundled_env = dict(env, QWEN_TUI_CACHE_DIR=str(hub_only))
        subprocess.run(lst, env=bundled_env, stdout=subprocess.DEVNULL, check=True)
        subprocess.run([PY, "-m", "qwen_tui", "vendors", "--json"], env=bundled_env, stdout=subprocess.DEVNULL,
                       check=True)  # groups memoised, as refresh leaves them
        bundled = time_cmd(lst, bundled_env, args.runs)
        disc = time_cmd([PY, "-m", "qwen_tui", "list", "--status", "discovered", "--json"], env,
                        max(3, args.runs // 3))
        print(f"rows: {origins['catalog']} catalog + {origins['models.dev']:,} models.dev releases")
        print(f"list --json, first run (parse+merge, memos written): {ms(cold)}")
        print(f"vendors --json, first run (groups {n_repos:,} repos once, memoised): {ms(grouping)}")
        print(f"list --json, 5k entries stored : median {ms(med(warm))}  (min {ms(min(warm))}; "
              f"bare python {ms(med(bare))})  target < 120 ms")
        if base_env is not None:
            print(f"list --json, 5k entries stored, baseline {args.baseline} (same rounds): median "
                  f"{ms(med(base_warm))}  (min {ms(min(base_warm))})")
        print(f"list --json, {n_repos:,} repos, bundled models.dev copy: median {ms(med(bundled))}")
        print(f"list --status discovered --json: median {ms(med(disc))}  (every group, all repos read)")
        if args.skip_tmux:
            return
        script = Path(tmp) / "empty_app.py"
        script.write_text(EMPTY_APP, "utf-8")
        # One untimed start of each first: the explorer writes its first screen's memo after the
        # first frame of a start that found none (firstscreen.py), as a user's first start does;
        # the timed rounds are the starts after it. That first start is printed apart.
        cold = [tmux_first_paint(e, "bench-living", p, "pipe") for e, p in
                ((env, "-m qwen_tui"), (bundled_env, "-m qwen_tui"))]
        if base_env is not None:
            tmux_first_paint(base_env, "bench-living", baseline_program(args.baseline), "pipe")
        floor, app, hub_app, base_app = [], [], [], []
        for _ in range(args.rounds):  # interleaved: the shared machine's slow minutes hit all of them
            floor.append(tmux_first_paint(env, "bench-living", str(script), "pipe"))
            app.append(tmux_first_paint(env, "bench-living", "-m qwen_tui", "pipe"))
            hub_app.append(tmux_first_paint(bundled_env, "bench-living", "-m qwen_tui", "pipe"))
            if base_env is not None:
                base_app.append(tmux_first_paint(base_env, "bench-living", baseline_program(args.baseline), "pipe"))
        print(f"first paint, tmux 80x24, empty Textual app: median {ms(med(floor))}")
        print(f"first start (no first-screen memo yet): {ms(cold[0])} with {kept:,} entries, "
              f"{ms(cold[1])} with the bundled copy (one run each, untimed rounds)")
        cases = [(f"{kept:,} entries stored + {n_repos:,} repos", app),
                 (f"bundled models.dev + {n_repos:,} repos", hub_app)]
        if base_env is not None:
            cases.append((f"{kept:,} entries stored + {n_repos:,} repos, baseline {args.baseline}", base_app))
        for label, times in cases:
            ratio = med(a / b for a, b in zip(times, floor, strict=True))
            print(f"first paint, {label}: median {ms(med(times))} -> {ratio:.2f}x the empty app  "
                  f"target <= 1.4x  ({', '.join(ms(x) for x in times)})")


if __name__ == "__main__":
    main()
