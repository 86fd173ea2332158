"""Command line: `qwen-tui` opens the explorer; subcommands answer headless.

Each group of subcommands lives in its own module with `add_parsers(sub)`; a parser's handler is
`set_defaults(handler=fn)` where `fn(args) -> int`. Headless commands never import Textual.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from qwen_tui import __version__
from qwen_tui.errors import QwenTuiError, UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line naming the bad value and the choices, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = [f"qwen-tui {__version__}"]
    for dist in ("textual", "huggingface_hub", "rich"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist} (not installed)")
    return "\n".join(parts)


def add_common_options(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """Options accepted before and after the subcommand (`qwen-tui list --offline` works too)."""
    # On subcommands the defaults are SUPPRESS, so they do not overwrite a value given earlier.
    def d(value: object) -> object:
        return value if top else argparse.SUPPRESS

    parser.add_argument("--catalog", metavar="DIR", action="append", type=Path, default=d([]),
                        help="extra catalog folder (vendors/, licenses/) over the bundled one; repeatable")
    parser.add_argument("--offline", action="store_true", default=d(False),
                        help="never touch the network (same as HF_HUB_OFFLINE=1)")
    parser.add_argument("--no-cache", action="store_true", default=d(False),
                        help="ignore the Hub cache: answer from the catalog alone")
    # Its own dest: `refresh` has an --endpoint of its own, whose default would overwrite a value
    # given before the subcommand. main() hands it on as HF_ENDPOINT, which every refresh reads.
    # ArgumentError: the subcommand defines --endpoint itself (refresh): that one answers.
    with contextlib.suppress(argparse.ArgumentError):
        parser.add_argument("--endpoint", metavar="URL", dest="global_endpoint", default=d(None),
                            help="Hub endpoint for refreshes (same as HF_ENDPOINT; default "
                                 "https://huggingface.co)")


def _use_endpoint(url: str) -> None:
    """--endpoint given before or after any command: checked here, then set as HF_ENDPOINT for
    this process (the refresh, in the CLI or the explorer, reads it when no URL is passed)."""
    import os
    from urllib.parse import urlsplit

    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--endpoint: {url!r} is not an http(s):// URL")
    os.environ["HF_ENDPOINT"] = url


def build_parser() -> argparse.ArgumentParser:
    from qwen_tui.cli import catalog_cmds, pivot_cmds, sync_cmds

    parser = _Parser(
        prog="qwen-tui",
        description="Which AI model releases can you download and run yourself, under what "
                    "license, and which are cloud-only. With no command, opens the explorer.",
    )
    parser.add_argument("--version", action="store_true", help="print versions and exit")
    add_common_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    catalog_cmds.add_parsers(sub)
    sync_cmds.add_parsers(sub)
    pivot_cmds.add_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.version:
            print(_version_text())
            return 0
        if args.offline:
            import os

            os.environ["HF_HUB_OFFLINE"] = "1"
        if args.global_endpoint is not None:
            _use_endpoint(args.global_endpoint)
        from qwen_tui.catalog import check_catalog_dir

        for d in args.catalog:
            check_catalog_dir(d)
        handler = getattr(args, "handler", None)
        if handler is None:
            from qwen_tui.cli.explore import run_explorer

            return run_explorer(args)
        try:
            return handler(args)
        finally:
            from qwen_tui.cli.common import print_cache_warnings

            print_cache_warnings()
    except QwenTuiError as exc:
        from qwen_tui.text import visible

        # Messages quote the user's own bad input (file names, ids, values): never let a control
        # character in them reach the terminal live.
        print(f"qwen-tui: error: {visible(str(exc).removeprefix('qwen-tui: '))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("qwen-tui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `qwen-tui list | head`: the reader left; that is not an error.
        with contextlib.suppress(OSError):
            sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - stays open: it silences the flush at exit
        return 0
