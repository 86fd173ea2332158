"""Regenerate screenshots/*.svg: the explorer on the bundled catalog, driven by keys like a person.

    .venv/bin/python scripts/screenshots.py [--out screenshots]

Runs headless (App.run_test + save_screenshot) with a throwaway cache dir, so the pictures show
the catalog as shipped (no Hub data) and never the machine's own cache.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def vendor_keys(app, vendor_id: str) -> list[str]:
    rows = app.screen.query_one("#vendors").rows
    return ["j"] * next(i for i, r in enumerate(rows) if r.id == vendor_id)


def timeline_keys(app, name: str) -> list[str]:
    from qwen_tui.reconcile import Entry

    tl = app.screen.query_one("#timeline")
    entries = [r for r in tl.rows if isinstance(r, Entry)]
    here = entries.index(tl.current)
    there = next(i for i, e in enumerate(entries) if e.name == name)
    return (["j"] if there > here else ["k"]) * abs(there - here)


SHOTS = [
    # (file, size, steps): a step is a list of keys or a callable(app) -> keys
    ("main-80x24", (80, 24), [lambda app: vendor_keys(app, "alibaba")]),
    ("main-120x40", (120, 40), [lambda app: vendor_keys(app, "alibaba"), ["tab"]]),
    ("cloud-only-80x24", (80, 24), [lambda app: vendor_keys(app, "alibaba"), ["enter", "3"]]),
    ("detail-80x24", (80, 24), [lambda app: vendor_keys(app, "alibaba"), ["enter", "3"],
                                lambda app: timeline_keys(app, "Qwen3.6-Plus"), ["enter"]]),
    ("filter-120x40", (120, 40), [["tab", "slash", *"qwen3.6", "enter"]]),
    # All vendors, cloud-only, the newest year (p 3): a vendor column, the limits in reverse video.
    ("year-cloud-only-120x40", (120, 40), [["p", "3", "tab"]]),
    ("compare-80x24", (80, 24), [lambda app: vendor_keys(app, "alibaba"), ["enter", "3"],
                                 lambda app: timeline_keys(app, "Qwen3.6-Plus"), ["space", "0"],
                                 lambda app: timeline_keys(app, "Qwen3.6-27B"), ["space", "c"]]),
    ("compare-120x40", (120, 40), [lambda app: vendor_keys(app, "alibaba"), ["enter", "3"],
                                   lambda app: timeline_keys(app, "Qwen3.6-Plus"), ["space", "0"],
                                   lambda app: timeline_keys(app, "Qwen3.6-27B"), ["space", "c"]]),
    ("help-80x24", (80, 24), [["question_mark"]]),
    # Trends (t): per year at 80 columns, per quarter from 120; the cursor starts on Alibaba.
    ("trends-80x24", (80, 24), [lambda app: vendor_keys(app, "alibaba"), ["t"]]),
    ("trends-120x40", (120, 40), [lambda app: vendor_keys(app, "alibaba"), ["t"]]),
]


async def shoot(out: Path, name: str, size: tuple[int, int], steps) -> None:
    from qwen_tui.paths import default_paths
    from qwen_tui.query import Dataset
    from qwen_tui.tui.app import QwenTuiApp

    paths = default_paths()
    from qwen_tui.tui.shiftmarks import flagship_shifts

    app = QwenTuiApp(Dataset.load(paths, use_cache=False), paths, offline=False,
                     shift_source=flagship_shifts())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the policy shifts, computed after the first frame
        await pilot.pause()
        for step in steps:
            keys = step(app) if callable(step) else step
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
        await pilot.pause()
        app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"{out / name}.svg")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["QWEN_TUI_CACHE_DIR"] = str(Path(tmp) / "cache")
        os.environ["QWEN_TUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ.pop("NO_COLOR", None)
        for name, size, steps in SHOTS:
            asyncio.run(shoot(args.out, name, size, steps))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
