"""Rebuild the bundled copy of models.dev (qwen_tui/modelsdev/data/models-dev.json).

    python scripts/build_modelsdev_bundle.py --checkout DIR [--commit SHA --date ISO]
    python scripts/build_modelsdev_bundle.py --json models.json --commit SHA --date ISO

The bundle lets a first start with no network know the releases models.dev tracks; the first
successful refresh replaces it. It keeps only the labs of our vendors and only the fields the app
maps (name, family, dates, open_weights, license, links, weights), validated by the same parser
the app uses, and it records where it came from: repository, commit, date, license (MIT).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelsdev_checkout import REPO, commit_of, models_json  # noqa: E402

from qwen_tui.modelsdev.bundled import BUNDLE_PATH, KEPT_FIELDS  # noqa: E402
from qwen_tui.modelsdev.parse import ModelsDevError, parse_models  # noqa: E402

# The models.dev lab folders of our 18 vendors (models/<lab>/). At commit f3fc692 (2026-07-01)
# microsoft, baidu, bytedance and 01-ai have no folder; they are listed so a later rebuild picks
# them up if one appears.
LABS = ("alibaba", "anthropic", "deepseek", "google", "meta", "microsoft", "minimax", "mistral",
        "moonshotai", "nvidia", "openai", "stepfun", "tencent", "xai", "zhipuai", "baidu",
        "bytedance", "01-ai")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkout", type=Path, help="a checkout of anomalyco/models.dev")
    src.add_argument("--json", type=Path, help="a models.json file (https://models.dev/models.json)")
    ap.add_argument("--commit", default="", help="the snapshot's commit (read from git for a checkout)")
    ap.add_argument("--date", default="", help="the snapshot's date, ISO 8601")
    ap.add_argument("--out", type=Path, default=BUNDLE_PATH)
    args = ap.parse_args(argv)
    if args.checkout:
        commit, date = commit_of(args.checkout)
        data = models_json(args.checkout)
        origin = "models/**/*.toml read as generateModels reads them"
    else:
        commit, date = "", ""
        data = json.loads(args.json.read_text("utf-8"))
        origin = f"models.json ({args.json.name})"
    commit, date = args.commit or commit, args.date or date
    if not commit or not date:
        print("build_modelsdev_bundle: --commit and --date are required for this source", file=sys.stderr)
        return 2
    try:
        parsed = parse_models(data, labs=LABS)
    except ModelsDevError as exc:
        print(f"build_modelsdev_bundle: {exc}", file=sys.stderr)
        return 2
    keep = {e.key for e in parsed.entries}
    models = {k: {f: v for f, v in data[k].items() if f in KEPT_FIELDS} for k in sorted(keep)}
    bundle = {
        "source": {
            "repository": f"https://github.com/{REPO}", "commit": commit, "date": date,
            "from": origin, "license": "MIT", "copyright": "Copyright (c) 2025 models.dev",
            "labs": list(LABS), "built_by": "scripts/build_modelsdev_bundle.py",
        },
        "models": models,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(bundle, indent=1, ensure_ascii=False, sort_keys=False) + "\n", "utf-8")
    print(f"{len(models)} entries of {len(data)} ({parsed.dropped_total} dropped as invalid) -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
