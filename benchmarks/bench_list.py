"""(a) `qwen-tui list --json` wall time, median of several runs, against a bare interpreter start.

Run: .venv/bin/python benchmarks/bench_list.py [--runs N]
Measures whole processes (fork+exec to exit), as a user or a script sees them. The first run
warms the catalog memo in a temporary cache dir and is not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def time_cmd(argv: list[str], env: dict[str, str], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QWEN_TUI_CACHE_DIR=tmp + "/cache", QWEN_TUI_CONFIG_DIR=tmp + "/config")
        cmd = [sys.executable, "-m", "qwen_tui", "list", "--json"]
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # warm the memo
        bare = time_cmd([sys.executable, "-c", "pass"], env, args.runs)
        ours = time_cmd(cmd, env, args.runs)
        cold_env = dict(env, QWEN_TUI_CACHE_DIR=tmp + "/never-warm")
        cold = []
        for i in range(max(3, args.runs // 3)):
            cold_env["QWEN_TUI_CACHE_DIR"] = f"{tmp}/cold{i}"
            cold += time_cmd(cmd, cold_env, 1)
    med = statistics.median
    print(f"(a) list --json, warm memo : median {med(ours) * 1000:6.1f} ms  "
          f"(min {min(ours) * 1000:.1f}, runs {len(ours)})  target <= 120 ms")
    print(f"    list --json, no memo   : median {med(cold) * 1000:6.1f} ms  (runs {len(cold)})")
    print(f"    bare `python -c pass`  : median {med(bare) * 1000:6.1f} ms  "
          f"-> our own work {(med(ours) - med(bare)) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
