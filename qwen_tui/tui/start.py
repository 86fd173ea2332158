"""The explorer's start: the app for parsed CLI args, run until it quits.

The first frame is what the user waits for, so this reads as little as it can before it: the
first screen's memo when there is one (firstscreen.py), the dataset otherwise.
"""

from __future__ import annotations

from qwen_tui.query import Dataset, catalog_folders
from qwen_tui.tui import keys
from qwen_tui.tui.app import QwenTuiApp


def build(args) -> QwenTuiApp:
    """The app for parsed CLI args (.catalog, .no_cache): painted from the first screen's memo
    when there is one (the dataset loads after the first frame), else from the dataset, loaded
    here first."""
    from qwen_tui.paths import default_paths
    from qwen_tui.tui import firstscreen
    from qwen_tui.tui.config import load_config
    from qwen_tui.tui.shiftmarks import flagship_shifts

    paths = default_paths()
    use_cache = not args.no_cache
    catalog_dirs = list(args.catalog)

    def load() -> Dataset:
        return Dataset.load(paths, catalog_dirs, use_cache=use_cache)

    memo = firstscreen.memo_path(paths, catalog_dirs, use_cache=use_cache)
    first = firstscreen.read(memo) if memo is not None else None
    dataset = first.stand_in() if first is not None else load()
    config, warning = load_config(paths.config_file, keys.KNOWN_IDS)
    # The flagship facts of the folders the catalog was read from (as Dataset.load reads them).
    flagship_dirs = catalog_folders(paths, catalog_dirs)
    # `--offline` has set HF_HUB_OFFLINE (cli/__init__.py): the app asks hub.settings.offline_mode.
    return QwenTuiApp(dataset, paths, reload=load, config=config, warnings=[warning],
                      shift_source=flagship_shifts(flagship_dirs), first=first, first_memo=memo)


def main(args) -> int:
    """Build the app from CLI args and run it."""
    app = build(args)
    app.run()
    code = app.return_code or 0
    app.remember_first_screen()  # (not yet written if a key quit before the first frame's end)
    if app.refreshing:
        # Quit during a refresh that still waits on the Hub: its fetch threads (a socket read
        # can last the whole read timeout, then retries) would hold the process open for
        # minutes at interpreter exit. The terminal is restored by now, and the snapshot is
        # written in one SQLite transaction, so ending here keeps the previous snapshot whole.
        import os
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code
