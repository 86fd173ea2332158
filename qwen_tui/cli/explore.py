"""`qwen-tui` with no command: open the explorer (the only path that imports Textual)."""

from __future__ import annotations

import argparse


def run_explorer(args: argparse.Namespace) -> int:
    import gc

    # Start-up allocates a few hundred thousand objects (Textual's modules, styles, widgets), and
    # the cyclic GC would walk them all several times before the first frame: ~30 ms of a 300 ms
    # budget. It is paused until the first frame is out; then the app freezes the start-up
    # objects (never scanned again) and turns it back on (QwenTuiApp._resume_gc).
    gc.disable()
    from qwen_tui.tui import run

    return run(args)
