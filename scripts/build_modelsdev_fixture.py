"""Build tests/data/modelsdev/models.json from real model files of anomalyco/models.dev.

    python scripts/build_modelsdev_fixture.py CHECKOUT [--commit SHA --date ISO]

CHECKOUT is a checkout (or `git archive` export) of the public repository. The output has the
shape generateModels emits ({"<lab>/<model>": {...ModelMetadata, "id": ...}}) for the files
listed in FILES, chosen to cover the merge cases the tests check (sizes a catalog release groups,
names written differently, snapshot aliases, cloud-only entries, links, a lab no vendor claims).
PROVENANCE.md beside it records the repository, commit and paths.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from modelsdev_checkout import REPO, commit_of, models_json

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "modelsdev"
FILES = [
    "alibaba/qwen3-235b-a22b", "alibaba/qwen3-32b", "alibaba/qwen3-next-80b-a3b-thinking",
    "alibaba/qwen3.5-122b-a10b", "alibaba/qwen3.5-27b", "alibaba/qwen3.5-35b-a3b",
    "alibaba/qwen3.5-9b", "alibaba/qwen3.5-plus", "alibaba/qwen3.6-plus", "alibaba/qwen3.6-27b",
    "alibaba/qwen3.6-max-preview", "alibaba/qwen3.7-max", "alibaba/qwen3.7-plus",
    "anthropic/claude-opus-4-1", "anthropic/claude-opus-4-1-20250805", "anthropic/claude-opus-4-7",
    "anthropic/claude-fable-5", "anthropic/claude-sonnet-5",
    "cohere/command-a-03-2025", "deepreinforce/ornith-1.0-35b",
    "deepseek/deepseek-r1", "deepseek/deepseek-v4-pro",
    "google/gemini-3-pro-preview", "google/gemini-3.5-flash", "google/gemma-4-31b-it",
    "meta/llama-4-scout-17b-instruct", "meta/llama-3.3-70b-instruct",
    "minimax/MiniMax-M3", "mistral/mistral-medium-2604", "mistral/mistral-small-2603",
    "moonshotai/kimi-k2.6", "moonshotai/kimi-k2-thinking",
    "nvidia/nemotron-3-super-120b-a12b", "nvidia/nemotron-3-ultra-550b-a55b",
    "openai/gpt-5.5", "openai/gpt-oss-120b", "openai/gpt-image-2",
    "stepfun/step-3.7-flash", "tencent/hy3-preview", "xai/grok-4.3",
    "zhipuai/glm-5.2", "zhipuai/glm-5-turbo",
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("checkout", type=Path)
    ap.add_argument("--commit", default="", help="the checkout's commit, when it is not a git work tree")
    ap.add_argument("--date", default="", help="that commit's date (ISO 8601)")
    args = ap.parse_args(argv)
    commit, date = commit_of(args.checkout)
    commit, date = args.commit or commit, args.date or date
    data = models_json(args.checkout, FILES)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "models.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    lines = [
        "# tests/data/modelsdev/models.json: provenance",
        "",
        f"Built by `scripts/build_modelsdev_fixture.py` from the public repository `{REPO}`",
        f"(MIT, see LICENSE.models.dev), commit `{commit or 'unknown'}` ({date or 'date unknown'}),",
        "from these files, read as its `generateModels` reads them (id = path under models/):",
        "",
        *[f"- models/{f}.toml" for f in FILES],
        "",
    ]
    (OUT / "PROVENANCE.md").write_text("\n".join(lines), "utf-8")
    print(f"{len(data)} entries -> {OUT / 'models.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
