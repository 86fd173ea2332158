"""Run every benchmark, one after another, and print their figures (medians).

    .venv/bin/python benchmarks/run_all.py [--quick]

(a) list --json wall time          benchmarks/bench_list.py
(b)(c)(e)(f) explorer              benchmarks/bench_tui.py   (needs tmux and script for (b) and (f))
(d) refresh vs list_models loop    benchmarks/bench_refresh.py
(g) living catalog at load         benchmarks/bench_living_app.py (5,000 models.dev entries + 100k repos)
Copy the output into benchmarks/RESULTS.md with the machine and the date.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    quick = "--quick" in sys.argv
    rounds = "3" if quick else "5"
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {platform.platform()} · "
          f"{os.cpu_count()} cores · Python {platform.python_version()}")
    # Compile our modules first: a user's install has .pyc files, and PYTHONDONTWRITEBYTECODE
    # (set on some machines) would otherwise make every run compile them again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "qwen_tui")], check=True)
    runs = [
        ("bench_list.py", ["--runs", "11" if quick else "21"]),
        ("bench_tui.py", ["--rounds", rounds]),
        ("bench_refresh.py", ["--rounds", rounds]),
        ("bench_living_app.py", ["--rounds", rounds]),
    ]
    failed = 0
    for script, args in runs:
        print(f"\n## {script} {' '.join(args)}", flush=True)
        failed |= subprocess.run([sys.executable, str(HERE / script), *args]).returncode
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
