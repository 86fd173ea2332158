"""Every path the app reads or writes, in one place (`qwen-tui paths` prints them)."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "qwen-tui"
CACHE_FILE = "qwen-tui.sqlite3"


@dataclass(frozen=True)
class Paths:
    """The cache and config locations the app uses."""

    cache_dir: Path
    config_dir: Path

    @property
    def cache_db(self) -> Path:
        return self.cache_dir / CACHE_FILE

    @property
    def log_file(self) -> Path:
        return self.cache_dir / "qwen-tui.log"

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def user_catalog_dir(self) -> Path:
        return self.config_dir / "catalog"


def default_paths() -> Paths:
    """Paths from QWEN_TUI_CACHE_DIR / QWEN_TUI_CONFIG_DIR, else platformdirs' user dirs."""
    import platformdirs

    cache = _from_env("QWEN_TUI_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME, appauthor=False)
    config = _from_env("QWEN_TUI_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME, appauthor=False)
    return Paths(cache_dir=Path(cache), config_dir=Path(config))


def _from_env(var: str) -> str:
    """The folder a variable names, refused in one line when the OS cannot use it as a name.

    A folder that does not exist yet is fine (it is made when first written); one the OS cannot
    even name (too long) would otherwise surface as a traceback deep in whatever reads it first.
    """
    value = os.environ.get(var, "")
    if value:
        try:
            os.stat(value)
        except OSError as exc:
            if exc.errno == errno.ENAMETOOLONG:
                from qwen_tui.errors import UsageError

                raise UsageError(f"{var}: the path is too long for this system ({len(value)} characters)") from None
    return value
