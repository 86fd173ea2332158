"""`?`: every key binding, grouped, with the keys in effect after the config's keymap."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text

from qwen_tui.tui import keys
from qwen_tui.tui.screens.page import Page

KEY_MAX = 18  # a longer list of keys wraps in its column rather than squeeze the descriptions
DESC_MIN = 16  # narrower than this beside the ids, and each id goes under its description
PAD = 1  # cells on each side of a cell

LEGEND = [
    ("Status", [
        ("● ◐ ○ × +", "open-weight, gated, cloud-only, withdrawn, discovered"),
        ("!", "sources disagree (see the detail)"),
        ("◇ ◆", "from models.dev; Hub repos grouped by name. Both count in vendor totals"),
        ("✓", "marked for compare"),
        ("⇡ ⇣", "policy shifts of the flagships: opening, closing, ⇅ both (docs/pivot.md)"),
    ]),
    ("Trends and commercial use", [
        ("Trends", "per year below 120 columns, per quarter from 120"),
        ("Commercial", "all → unrestricted → conditional → non-commercial → none → unknown"),
    ]),
]


class HelpBody:
    """The sections one under another, each title on its own line, so that a long title never
    widens the key column. The columns line up across sections and fit the width they are given:
    descriptions wrap at words, never cut; a narrow screen puts each id under its description."""

    def __init__(self, keymap: dict[str, str]) -> None:
        self.sections: list[tuple[str, list[tuple[str, str, str]]]] = [
            (title, [(keys.keys_for(b, keymap), b.description, b.id or "") for b in group])
            for title, group in keys.GROUPS
        ] + [(title, [(k, d, "") for k, d in rows]) for title, rows in LEGEND]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        rows = [r for _, section in self.sections for r in section]
        key_w = min(KEY_MAX, max(cell_len(k) for k, _, _ in rows))
        id_w = max(cell_len(i) for _, _, i in rows)
        desc_max = max(cell_len(d) for _, d, _ in rows)
        ids_aside = width - key_w - id_w - 6 * PAD >= DESC_MIN
        room = width - key_w - (id_w + 6 * PAD if ids_aside else 4 * PAD)
        desc_w = max(1, min(desc_max, room))
        for n, (title, section) in enumerate(self.sections):
            if n:
                yield Text()
            yield Text(" " + title, style="bold underline")
            # Fixed widths: every section's columns line up with the others'.
            table = Table(box=None, show_header=False, padding=(0, PAD), expand=False, pad_edge=True)
            with_ids = ids_aside and any(i for _, _, i in section)
            table.add_column(width=key_w, style="bold", overflow="fold")
            # A legend (no ids) takes the ids' room too.
            table.add_column(width=desc_w + (id_w + 2 * PAD if ids_aside and not with_ids else 0),
                             overflow="fold")
            if with_ids:
                table.add_column(width=id_w, style="dim", no_wrap=True)
            for key, text, binding_id in section:
                if with_ids:
                    table.add_row(Text(key), Text(text), Text(binding_id))
                elif ids_aside:
                    table.add_row(Text(key), Text(text))
                else:
                    desc = Text(text)
                    if binding_id:
                        desc.append(f"\n({binding_id})", style="dim")
                    table.add_row(Text(key), desc)
            yield table


def help_table(keymap: dict[str, str]) -> HelpBody:
    return HelpBody(keymap)


class HelpScreen(Page):
    def __init__(self, keymap: dict[str, str]) -> None:
        super().__init__("Keys — rebind by id: [keys] in the config (qwen-tui paths)",
                         help_table(keymap))
