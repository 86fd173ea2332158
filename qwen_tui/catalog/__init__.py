"""The curated catalog: vendors, releases and licenses shipped as TOML inside the package.

`loader` parses and validates; `memo` keeps the validated result so most runs skip the parse.
"""

from pathlib import Path

BUNDLED_DIR = Path(__file__).parent / "data"


def load_catalog(*args, **kwargs):
    from qwen_tui.catalog.loader import load_catalog as _load

    return _load(*args, **kwargs)


def shorten_path(path: str, limit: int = 160) -> str:
    """A path fit for a one-line message (a 5,000-character path would bury the reason)."""
    return path if len(path) <= limit else path[: limit // 2] + "…" + path[-limit // 2:]


def check_catalog_dir(path: Path) -> None:
    """Raise a one-line UsageError unless `path` is a folder we can look into."""
    from qwen_tui.errors import UsageError

    try:
        ok = path.is_dir()
    except OSError as exc:  # too long a name, a symlink loop, a component that is a file
        raise UsageError(f"--catalog {shorten_path(str(path))}: {exc.strerror or exc}") from None
    if not ok:
        raise UsageError(f"--catalog {shorten_path(str(path))}: not a directory")
