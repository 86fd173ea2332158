"""The curated catalog: vendors, releases and licenses shipped as TOML inside the package."""

from qwen_tui.catalog.loader import BUNDLED_DIR, load_catalog

__all__ = ["BUNDLED_DIR", "load_catalog"]
