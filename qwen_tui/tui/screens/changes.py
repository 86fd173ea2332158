"""`d`: what changed on the Hub between the two newest snapshots."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from qwen_tui.text import clean
from qwen_tui.tui.screens.page import Page

if TYPE_CHECKING:
    from qwen_tui.diff import Change


def changes_table(changes: Sequence[Change]) -> Table:
    table = Table(box=None, header_style="bold", padding=(0, 1), expand=True)
    table.add_column("change", no_wrap=True)
    table.add_column("vendor", no_wrap=True)
    table.add_column("repo", overflow="fold", ratio=2)
    table.add_column("before → after", overflow="fold", ratio=2)
    for c in changes:
        what = " → ".join(clean(x, 120) for x in (c.before, c.after) if x)
        table.add_row(Text(clean(c.kind)), Text(clean(c.vendor)), Text(clean(c.repo_id)), Text(what))
    return table


class ChangesScreen(Page):
    def __init__(self, title: str, changes: Sequence[Change]) -> None:
        body = changes_table(changes) if changes else Text("Nothing changed between these snapshots.")
        super().__init__(title, body)
