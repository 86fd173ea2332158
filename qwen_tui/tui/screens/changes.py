"""`d`: what changed on the Hub between the two newest snapshots."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text

from qwen_tui.text import clean
from qwen_tui.tui.screens.page import Page


def changes_table(changes: Sequence) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1), expand=True)
    table.add_column("change", no_wrap=True)
    table.add_column("vendor", no_wrap=True)
    table.add_column("repo", overflow="fold", ratio=2)
    table.add_column("before → after", overflow="fold", ratio=2)
    for c in changes:
        before, after = getattr(c, "before", None), getattr(c, "after", None)
        what = " → ".join(clean(x, 120) for x in (before, after) if x not in (None, ""))
        table.add_row(Text(clean(getattr(c, "kind", ""))), Text(clean(getattr(c, "vendor", ""))),
                      Text(clean(getattr(c, "repo_id", ""))), Text(what))
    return table


class ChangesScreen(Page):
    def __init__(self, title: str, changes: Sequence) -> None:
        body = changes_table(changes) if changes else Text("Nothing changed between these snapshots.")
        super().__init__(title, body)
