"""`y` with several candidates: pick the repo id or source URL to copy."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

MARKER = "› "  # the selection is marked by a sign, not by colour alone (NO_COLOR, 16 colours)


class CopyScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "cancel", id="copy-cancel"),
        Binding("y", "choose", "copy", id="copy-choose"),
        # The lists' own keys: j/k move here as they do everywhere else in the explorer.
        Binding("j", "move('down')", "down", id="copy-down", show=False),
        Binding("k", "move('up')", "up", id="copy-up", show=False),
    ]

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.choices = choices  # (label, value)

    def compose(self) -> ComposeResult:
        options = OptionList(*[Option(self._prompt(label, i == 0), id=str(i))
                               for i, (label, _) in enumerate(self.choices)],
                             id="copy-options", markup=False)
        options.border_title = "Copy which? (j/k, enter or y; esc cancels)"
        yield options

    @staticmethod
    def _prompt(label: str, selected: bool) -> Text:
        return Text(MARKER if selected else " " * len(MARKER), style="bold") + Text(label)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        ol = event.option_list
        for i, (label, _) in enumerate(self.choices):
            ol.replace_option_prompt_at_index(i, self._prompt(label, i == event.option_index))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.choices[event.option_index][1])

    def action_move(self, direction: str) -> None:
        ol = self.query_one(OptionList)
        ol.action_cursor_down() if direction == "down" else ol.action_cursor_up()

    def action_choose(self) -> None:
        ol = self.query_one(OptionList)
        if ol.highlighted is not None:
            self.dismiss(self.choices[ol.highlighted][1])
