"""`y` with several candidates: pick the repo id or source URL to copy."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from rich.text import Text


class CopyScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("escape", "dismiss(None)", "cancel", id="copy-cancel"),
        Binding("y", "choose", "copy", id="copy-choose"),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices  # (label, value)

    def compose(self) -> ComposeResult:
        options = OptionList(*[Option(Text(label), id=str(i)) for i, (label, _) in enumerate(self.choices)],
                             id="copy-options", markup=False)
        options.border_title = "Copy which? (enter or y; esc cancels)"
        yield options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_choose(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.dismiss(self.choices[ol.highlighted][1])
