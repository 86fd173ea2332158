"""Every key binding, with an id (rebindable from `[keys]` in the config file) and a group.

One registry so that `?` lists exactly what the widgets bind, and the config loader can name the
ids it knows. Widgets take their BINDINGS from here.
"""

from __future__ import annotations

from textual.binding import Binding

APP = [
    Binding("question_mark", "help", "help", id="help", key_display="?"),
    Binding("r", "refresh", "refresh", id="refresh"),
    Binding("d", "diff", "changes", id="diff", show=False),
    Binding("ctrl+p", "command_palette", "commands", id="palette", show=False, priority=True),
    Binding("ctrl+l", "redraw", "redraw the screen", id="redraw", show=False),
    # Textual takes the terminal raw, so ctrl+z reaches the app as a key: bind it to the suspend
    # a shell user expects (`fg` brings the explorer back, fully redrawn).
    Binding("ctrl+z", "suspend_process", "suspend (fg to return)", id="suspend", show=False),
    Binding("q", "quit", "quit", id="quit"),
]

MAIN = [
    Binding("tab", "next_pane", "next pane", id="next-pane", show=False),
    Binding("shift+tab", "prev_pane", "previous pane", id="prev-pane", show=False),
    Binding("slash", "filter", "filter", id="filter", key_display="/"),
    Binding("escape", "back", "back / clear filters (kept across vendors)", id="back",
            show=False, priority=True),
    # priority: the screen moves the focus while the key is handled, so keys typed ahead (a
    # paste, a burst over a slow SSH link) land in the pane that enter opened.
    Binding("enter", "open", "open", id="open", show=False, priority=True),
    Binding("1", "status('open-weight')", "only open-weight (toggle)", id="status-open", show=False),
    Binding("2", "status('gated')", "only gated (toggle)", id="status-gated", show=False),
    Binding("3", "status('cloud-only')", "only cloud-only (toggle)", id="status-cloud", show=False),
    Binding("4", "status('withdrawn')", "only withdrawn (toggle)", id="status-withdrawn", show=False),
    Binding("5", "status('discovered')", "only discovered (toggle)", id="status-discovered", show=False),
    Binding("0", "status('')", "every status", id="status-all", show=False),
    Binding("s", "sort", "sort", id="sort"),
    Binding("c", "compare", "compare", id="compare"),
    Binding("y", "copy", "copy id/URL", id="copy"),
    # Issue 15: the Trends view, and the commercial-use class filter.
    Binding("t", "trends", "trends: vendors x periods", id="trends", show=False),
    Binding("m", "commercial", "commercial use (cycle)", id="commercial", show=False),
    # Issue 14: a year limit, one key (`p` `3`: the cloud-only releases of the newest year).
    Binding("p", "period", "year: all → newest → older (cycle)", id="period", show=False),
]

LIST = [
    Binding("down,j", "cursor(1)", "down", id="down", show=False),
    Binding("up,k", "cursor(-1)", "up", id="up", show=False),
    Binding("pagedown,ctrl+f", "page(1)", "page down", id="page-down", show=False),
    Binding("pageup,ctrl+b", "page(-1)", "page up", id="page-up", show=False),
    Binding("g,home", "first", "first", id="first", show=False),
    Binding("G,end", "last", "last", id="last", show=False),
]

TIMELINE = [
    Binding("space", "mark", "mark", id="mark"),
]

DETAIL = [
    Binding("down,j", "scroll_down", "scroll down", id="detail-down", show=False),
    Binding("up,k", "scroll_up", "scroll up", id="detail-up", show=False),
    Binding("g,home", "scroll_home", "top", id="detail-top", show=False),
    Binding("G,end", "scroll_end", "bottom", id="detail-bottom", show=False),
]

TRENDS = [
    Binding("left,h", "move(0, -1)", "earlier period", id="cell-left", show=False),
    Binding("right,l", "move(0, 1)", "later period", id="cell-right", show=False),
    Binding("up,k", "move(-1, 0)", "vendor above", id="cell-up", show=False),
    Binding("down,j", "move(1, 0)", "vendor below", id="cell-down", show=False),
    Binding("enter", "open_cell", "open its timeline", id="cell-open"),
    # The same id as the key that opens the view, so a rebound `t` closes it too.
    Binding("t", "close", "close trends", id="trends", show=False),
    Binding("escape", "close", "back", id="trends-close"),
]

GROUPS: list[tuple[str, list[Binding]]] = [
    ("Anywhere", APP),
    ("Main screen", MAIN),
    ("Vendor and timeline lists", LIST),
    ("Timeline", TIMELINE),
    ("Trends view", TRENDS),
    ("Detail", DETAIL),
]

KNOWN_IDS = frozenset(b.id for _, group in GROUPS for b in group if b.id)


def keys_for(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys a binding answers to now (the keymap wins), as the user would type them."""
    keys = keymap.get(binding.id or "", binding.key)
    if binding.key_display and binding.id not in keymap:
        return binding.key_display
    pretty = {"question_mark": "?", "slash": "/", "escape": "esc", "space": "space"}
    return ", ".join(pretty.get(k.strip(), k.strip()) for k in keys.split(","))
