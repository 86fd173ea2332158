"""The living catalog's pure parts under a realistic load: parse + merge ~5,000 models.dev
entries with the bundled catalog, and group 100,000 discovered Hub repos.

Run: .venv/bin/python benchmarks/bench_living.py [--entries 5000] [--repos 100000] [--runs 7]

The entries are generated in models.json's shape (generateModels output): every lab of our vendors,
names written the ways models.dev writes them (sizes, "(latest)" aliases, dated snapshots), a
third with Hugging Face weights URLs (some naming repos the catalog has, so joins happen), links,
and the fields we ignore (limit, modalities, benchmarks) so the JSON is as heavy as the real one.
Each figure is the median of --runs rounds, in-process (no interpreter start).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qwen_tui import grouping
from qwen_tui.catalog import load_catalog
from qwen_tui.evidence import HubRepo
from qwen_tui.grouping import group_repos
from qwen_tui.modelsdev.bundled import load_bundled
from qwen_tui.modelsdev.merge import entry_names, merge
from qwen_tui.modelsdev.parse import parse_models_json

LABS = {"alibaba": "alibaba", "anthropic": "anthropic", "deepseek": "deepseek", "google": "google",
        "meta": "meta", "microsoft": "microsoft", "minimax": "minimax", "mistral": "mistral",
        "moonshotai": "moonshot", "nvidia": "nvidia", "openai": "openai", "stepfun": "stepfun",
        "tencent": "tencent", "xai": "xai", "zhipuai": "zhipu", "baidu": "baidu",
        "bytedance": "bytedance", "01-ai": "01-ai"}
SIZES = ["0.6B", "1.7B", "4B", "8B", "14B", "32B", "30B-A3B", "235B-A22B", "70B", "405B"]
QUALIFIERS = ["", "", "", " Instruct", " (latest)", " Preview", " (2025-08-06)"]


def make_entries(n: int, catalog_repos: list[str], rng: random.Random) -> dict[str, dict]:
    labs = list(LABS)
    out: dict[str, dict] = {}
    i = 0
    while len(out) < n:
        lab = labs[i % len(labs)]
        family = f"{lab.capitalize()}{rng.randint(1, 9)}.{rng.randint(0, 9)}"
        name = f"{family} {rng.choice(SIZES)}{rng.choice(QUALIFIERS)}"
        key = f"{lab}/{name.lower().replace(' ', '-').replace('(', '').replace(')', '')}-{i}"
        entry: dict = {
            "id": key, "name": name, "family": lab, "attachment": False, "reasoning": True,
            "tool_call": True, "temperature": True,
            "release_date": f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "last_updated": "2026-06-01", "open_weights": rng.random() < 0.5,
            "limit": {"context": 131072, "output": 32768},
            "modalities": {"input": ["text", "image"], "output": ["text"]},
            "benchmarks": [{"name": "SWE-Bench Verified", "score": 61.2, "metric": "resolved"}],
        }
        if rng.random() < 0.33:
            repo = rng.choice(catalog_repos) if rng.random() < 0.3 else f"{lab}-org/{name.split(' ')[0]}-{i}"
            entry["weights"] = [{"label": "Hugging Face", "url": f"https://huggingface.co/{repo}"}]
        if rng.random() < 0.2:
            entry["links"] = [{"url": f"https://{lab}.example/blog/{i}", "type": "announcement"}]
        out[key] = entry
        i += 1
    return out


def make_repos(n: int, rng: random.Random) -> list[HubRepo]:
    """Hub-shaped repos: 2,000 families, each released on one day with its sizes, its variants
    uploaded within days and some quantisations months later (as vendors' orgs look)."""
    variants = ["", "-Instruct", "-Base", "-FP8", "-AWQ", "-GPTQ-Int4", "-GGUF", "-MLX-4bit"]
    base = {f: (rng.randint(22, 26), rng.randint(1, 12)) for f in range(2000)}
    repos = []
    for i in range(n):
        f = i % 2000
        year, month = base[f]
        late = rng.random() < 0.1
        day = f"20{year}-{min(12, month + (3 if late else 0)):02d}-{rng.randint(1, 10 if not late else 28):02d}"
        repos.append(HubRepo(repo_id=f"bench-org{i}/Bench{f}-{rng.choice(SIZES)}{rng.choice(variants)}",
                             org="bench-org", vendor="bench", fetched_at="2026-07-01T00:00:00Z",
                             created_at=f"{day}T00:00:00.000Z", license=rng.choice(["apache-2.0", "mit", "other"])))
    return repos


def cold() -> None:
    """Empty the memo caches, so each round costs what one merge in a fresh process costs."""
    entry_names.cache_clear()
    grouping._kind.cache_clear()


def median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        cold()
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=5000)
    ap.add_argument("--repos", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(12)
    catalog = load_catalog()
    catalog_repos = [r for rel in catalog.releases for r in rel.hf_repos]
    body = json.dumps(make_entries(args.entries, catalog_repos, rng)).encode()
    parse_ms, parsed = median_ms(lambda: parse_models_json(body, labs=LABS), args.runs)
    merge_ms, merged = median_ms(
        lambda: merge(catalog.releases, parsed.entries, LABS, licenses=catalog.licenses), args.runs)
    real_ms, _ = median_ms(lambda: merge(catalog.releases, load_bundled(LABS).parsed.entries, LABS,
                                         licenses=catalog.licenses), args.runs)
    repos = make_repos(args.repos, rng)
    group_ms, groups = median_ms(lambda: group_repos(repos), max(3, args.runs // 2))
    print(f"models.json: {args.entries} entries, {len(body) / 1e6:.1f} MB; catalog {len(catalog.releases)} releases")
    print(f"parse        : median {parse_ms:7.1f} ms  ({len(parsed.entries)} kept, {parsed.dropped_total} dropped)")
    print(f"merge        : median {merge_ms:7.1f} ms  ({sum(map(len, merged.joined.values()))} joined to "
          f"{len(merged.joined)} releases, {len(merged.added)} new, {merged.aliases} aliases)")
    print(f"parse+merge  : {parse_ms + merge_ms:7.1f} ms")
    print(f"bundled copy : median {real_ms:7.1f} ms  (read + parse + merge of the real snapshot)")
    print(f"group repos  : median {group_ms:7.1f} ms  ({args.repos} repos -> {len(groups)} groups)")


if __name__ == "__main__":
    main()
