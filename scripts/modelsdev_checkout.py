"""Read a checkout of anomalyco/models.dev the way its `generateModels` builds models.json.

generateModels (packages/core/src/generate.ts) globs `models/**/*.toml`, sets each table's `id` to
the file's path relative to `models/` without ".toml", validates it as `ModelMetadata` and maps
that id to it. This module does the same reading in Python (tomllib), without the validation,
which `qwen_tui.modelsdev.parse` does on our side anyway. Used by the fixture and bundle scripts.
"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

REPO = "anomalyco/models.dev"


def model_paths(checkout: Path) -> list[Path]:
    return sorted((checkout / "models").rglob("*.toml"))


def model_id(checkout: Path, path: Path) -> str:
    return path.relative_to(checkout / "models").as_posix()[: -len(".toml")]


def read_model(checkout: Path, path: Path) -> tuple[str, dict]:
    data = tomllib.loads(path.read_text("utf-8"))
    key = model_id(checkout, path)
    data["id"] = key
    return key, data


def models_json(checkout: Path, only: list[str] | None = None) -> dict[str, dict]:
    """{"<lab>/<model>": ModelMetadata} for every model file (or the `only` ids), sorted by id."""
    out = {}
    for path in model_paths(checkout):
        key = model_id(checkout, path)
        if only is None or key in only:
            out[key] = read_model(checkout, path)[1]
    missing = sorted(set(only or ()) - set(out))
    if missing:
        raise SystemExit(f"not in {checkout}/models: {', '.join(missing)}")
    return out


def commit_of(checkout: Path) -> tuple[str, str]:
    """(commit, commit date) of a git checkout, or ("", "") when it is not one."""
    try:
        out = subprocess.run(["git", "-C", str(checkout), "log", "-1", "--format=%H %cI"],
                             capture_output=True, text=True, check=True, timeout=30).stdout.split()
        return out[0], out[1]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "", ""
