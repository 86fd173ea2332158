"""`qwen-tui` with no command: open the explorer (the only path that imports Textual)."""

from __future__ import annotations

import argparse


def run_explorer(args: argparse.Namespace) -> int:
    from qwen_tui.tui import run

    return run(args)
