"""The curated catalog: vendors, releases and licenses shipped as TOML inside the package.

`loader` parses and validates; `memo` keeps the validated result so most runs skip the parse.
"""

from pathlib import Path

BUNDLED_DIR = Path(__file__).parent / "data"


def load_catalog(*args, **kwargs):  # noqa: ANN002, ANN003 - re-exported for convenience
    from qwen_tui.catalog.loader import load_catalog as _load

    return _load(*args, **kwargs)
