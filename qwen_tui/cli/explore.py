"""`qwen-tui` with no command: open the explorer (the only path that imports Textual)."""

from __future__ import annotations

import argparse
import os
import sys

from qwen_tui.errors import UsageError


def terminal_problem() -> str:
    """Why the explorer cannot run here ('' if it can). Without this check, Textual paints its
    frames into a file or a pipe and waits forever for keys that never come; on TERM=dumb it
    redraws overlapping frames at full CPU and never sees `q`."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return ("the explorer needs a terminal (stdin and stdout are not one); "
                "for plain output use `qwen-tui list` (or `qwen-tui list --json`)")
    if os.environ.get("TERM", "").strip().lower() == "dumb":
        return ("the explorer cannot draw on TERM=dumb (no cursor movement); set TERM to your "
                "terminal's type (e.g. xterm-256color), or use `qwen-tui list`")
    return ""


def run_explorer(args: argparse.Namespace) -> int:
    problem = terminal_problem()
    if problem:
        raise UsageError(problem)
    import gc

    # Start-up allocates a few hundred thousand objects (Textual's modules, styles, widgets), and
    # the cyclic GC would walk them all several times before the first frame: ~30 ms of a 300 ms
    # budget. It is paused until the first frame is out; then the app freezes the start-up
    # objects (never scanned again) and turns it back on (QwenTuiApp._resume_gc).
    gc.disable()
    from qwen_tui.tui import run

    return run(args)
