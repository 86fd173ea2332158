"""The explorer (Textual). Importing this package is light: Textual loads only when `run` is called."""

from __future__ import annotations


def run(args) -> int:
    """Open the explorer for parsed CLI args (.catalog, .no_cache; --offline has already set
    HF_HUB_OFFLINE, which hub.settings.offline_mode reads); returns the exit code."""
    from qwen_tui.tui.start import main

    return main(args)
