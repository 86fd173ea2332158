"""`?`: every key binding, grouped, with the keys in effect after the config's keymap."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from qwen_tui.tui import keys
from qwen_tui.tui.screens.page import Page


def help_table(keymap: dict[str, str]) -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 1), expand=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    table.add_column(style="dim", no_wrap=True)
    for title, group in keys.GROUPS:
        table.add_row(Text(title, style="bold underline"), "", "")
        for b in group:
            table.add_row(Text(keys.keys_for(b, keymap)), Text(b.description), Text(b.id or ""))
        table.add_row("", "", "")
    table.add_row(Text("Status", style="bold underline"), "", "")
    table.add_row(Text("● ◐ ○ × +"), Text("open-weight, gated, cloud-only, withdrawn, discovered"), "")
    table.add_row(Text("!"), Text("sources disagree (see the detail)"), "")
    table.add_row(Text("◇ ◆"), Text("not from the catalog: from models.dev; Hub repos grouped by name. "
                                    "Vendor counts and openness bars count every origin"), "")
    table.add_row(Text("✓"), Text("marked for compare"), "")
    table.add_row(Text("⇡ ⇣"), Text("policy shift of the vendor's flagships: opening, closing "
                                    "(docs/pivot.md)"), "")
    table.add_row("", "", "")
    table.add_row(Text("Trends and commercial use", style="bold underline"), "", "")
    table.add_row(Text("Trends"), Text("per year below 120 columns, per quarter from 120"), "")
    table.add_row(Text("Commercial"), Text("all → unrestricted → conditional → non-commercial → none → "
                                            "unknown"), "")
    return table


class HelpScreen(Page):
    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__("Keys — rebind by id in [keys] of the config file (qwen-tui paths)",
                         help_table(keymap))
