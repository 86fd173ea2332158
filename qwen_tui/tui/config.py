"""The explorer's settings from `config.toml`: `[keys]` rebinds by id, `[refresh]` auto-refresh.

A bad file never stops the app: `load_config` returns the defaults and a one-line warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from qwen_tui.text import visible


@dataclass(frozen=True)
class Config:
    keymap: dict[str, str] = field(default_factory=dict)
    auto_after_hours: float = 0.0  # 0: never refresh on start


def load_config(path: Path, known_ids: frozenset[str]) -> tuple[Config, str]:
    """(config, warning). Unknown binding ids are skipped and named in the warning."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Config(), ""
    except OSError as exc:
        return Config(), f"config {path}: cannot read ({exc.strerror or exc}); using defaults"
    import tomllib  # here: most users have no config file, and start-up time counts

    try:
        data = tomllib.loads(raw)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return Config(), visible(f"config {path}: {exc}; using defaults")
    except RecursionError:  # tomllib recurses once per nesting level
        return Config(), visible(f"config {path}: nested too deeply to read; using defaults")
    problems: list[str] = []
    keymap: dict[str, str] = {}
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        problems.append("[keys] is not a table")
        keys = {}
    for binding_id, key in keys.items():
        if binding_id not in known_ids:
            problems.append(f"unknown key id {binding_id!r}")
        elif not isinstance(key, str) or not key.strip():
            problems.append(f"keys.{binding_id} must be a key name like \"ctrl+r\"")
        elif visible(key) != key:
            # A raw ESC (or any control or bidi character) would reach the footer and help live.
            problems.append(f"keys.{binding_id} = \"{visible(key)}\" holds a control character; "
                            f"write the key's name, like \"escape\" or \"ctrl+r\"")
        else:
            keymap[binding_id] = ",".join(k.strip() for k in key.split(","))
    hours = 0.0
    refresh = data.get("refresh", {})
    if not isinstance(refresh, dict):
        problems.append("[refresh] is not a table")
    else:
        value = refresh.get("auto_after_hours", 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            problems.append(f"refresh.auto_after_hours = {value!r} is not a number of hours >= 0")
        else:
            hours = float(value)
    # visible(): the file name and the ids quoted back are the user's, and shown live.
    warning = visible(f"config {path}: " + "; ".join(problems)) if problems else ""
    return Config(keymap, hours), warning
