"""Raw model-id extraction for the independent cloud recall check (docs/recall/INDEPENDENT-cloud.md).

Reads two pricing registries that were NOT used to build the catalog, straight from their git
objects (no data is committed here):

  pydantic/genai-prices  prices/providers/<provider>.yml   (the vendors' own API providers and OpenRouter)
  simonw/llm-prices      data/<vendor>.json

Usage:  python scripts/independent_cloud_list.py GENAI_PRICES_GIT_DIR LLM_PRICES_GIT_DIR [COMMIT COMMIT]

Prints one tab-separated line per (vendor, registry, model id, name, flags); collapsing these ids
into notable releases is done by hand in the doc, because "notable" (a new generation or family,
or a flagship) is a judgement the ids alone do not carry. Needs PyYAML, which is not a dependency
of qwen-tui itself (it is present in the development virtualenv).
"""

from __future__ import annotations

import json
import subprocess
import sys

import yaml

# genai-prices provider file -> our vendor id (the vendor's own API)
GENAI_PROVIDERS = {
    "openai": "openai", "anthropic": "anthropic", "google": "google", "x_ai": "xai",
    "mistral": "mistral", "deepseek": "deepseek", "moonshotai": "moonshot", "minimax": "minimax",
    "zai": "zhipu", "zhipuai": "zhipu",
}
# OpenRouter id prefix -> our vendor id (covers vendors without their own provider file)
OPENROUTER_PREFIXES = {
    "openai": "openai", "anthropic": "anthropic", "google": "google", "x-ai": "xai",
    "mistralai": "mistral", "deepseek": "deepseek", "moonshotai": "moonshot", "minimax": "minimax",
    "z-ai": "zhipu", "thudm": "zhipu", "qwen": "alibaba", "baidu": "baidu", "tencent": "tencent",
    "bytedance-seed": "bytedance", "bytedance": "bytedance", "stepfun": "stepfun",
    "stepfun-ai": "stepfun", "01-ai": "01-ai", "meta-llama": "meta", "microsoft": "microsoft",
    "nvidia": "nvidia",
}
LLM_PRICES = {
    "openai": "openai", "anthropic": "anthropic", "google": "google", "xai": "xai",
    "mistral": "mistral", "deepseek": "deepseek", "moonshot-ai": "moonshot", "minimax": "minimax",
    "qwen": "alibaba", "meta-ai": "meta",
}


def show(git_dir: str, commit: str, path: str) -> str:
    return subprocess.run(["git", "-C", git_dir, "show", f"{commit}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def genai_rows(git_dir: str, commit: str):
    for provider, vendor in GENAI_PROVIDERS.items():
        data = yaml.safe_load(show(git_dir, commit, f"prices/providers/{provider}.yml"))
        for m in data.get("models") or []:
            flags = ",".join(k for k in ("deprecated", "removed") if m.get(k))
            yield vendor, f"genai-prices:{provider}", m["id"], m.get("name", ""), flags
    data = yaml.safe_load(show(git_dir, commit, "prices/providers/openrouter.yml"))
    for m in data.get("models") or []:
        prefix = m["id"].lstrip("~").split("/", 1)[0]
        if prefix in OPENROUTER_PREFIXES:
            yield OPENROUTER_PREFIXES[prefix], "genai-prices:openrouter", m["id"], m.get("name", ""), ""


def llm_prices_rows(git_dir: str, commit: str):
    for fname, vendor in LLM_PRICES.items():
        data = json.loads(show(git_dir, commit, f"data/{fname}.json"))
        for m in data["models"]:
            yield vendor, "llm-prices", m["id"], m.get("name", ""), ""


def main(argv: list[str]) -> int:
    if len(argv) not in (3, 5):
        print("usage: independent_cloud_list.py GENAI_PRICES_GIT_DIR LLM_PRICES_GIT_DIR [COMMIT COMMIT]",
              file=sys.stderr)
        return 2
    genai, llmp = argv[1], argv[2]
    c1, c2 = (argv[3], argv[4]) if len(argv) == 5 else ("HEAD", "HEAD")
    try:
        rows = sorted(set(genai_rows(genai, c1)) | set(llm_prices_rows(llmp, c2)))
    except subprocess.CalledProcessError as exc:
        print(f"error: git show failed: {exc.stderr.strip().splitlines()[-1]}", file=sys.stderr)
        return 2
    for row in rows:
        print("\t".join(row))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
