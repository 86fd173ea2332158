"""`y` on the explorer's main screen, mixed into MainScreen: copy the selected release's repo id
or a source URL (a picker when there are several; tui/screens/copy.py). Kept apart so main.py
stays the screen's own logic; the picker itself is imported only when it opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qwen_tui.reconcile import Entry
from qwen_tui.tui.widgets.timeline import Timeline

if TYPE_CHECKING:  # the mixin is only ever a base of MainScreen, a Screen
    from textual.screen import Screen as _Screen
else:
    _Screen = object


class CopyMixin(_Screen):
    def copy_choices(self) -> list[tuple[str, str]]:
        entry = self.query_one(Timeline).current
        if not isinstance(entry, Entry):
            return []
        choices = [(f"repo   {r.repo_id}", r.repo_id) for r in entry.repos]
        if entry.release:
            choices += [(f"source {s.url}", s.url) for s in entry.release.sources]
        return choices

    def action_copy(self) -> None:
        choices = self.copy_choices()
        if not choices:
            self.notify("Nothing to copy: select a release first.", severity="warning")
        elif len(choices) == 1:
            self.copy(choices[0][1])
        else:
            from qwen_tui.tui.screens.copy import CopyScreen

            self.app.push_screen(CopyScreen(choices), callback=self.copy)

    def copy(self, value: str | None) -> None:
        if value:
            # OSC 52: the terminal (even over SSH) puts it on the local clipboard.
            self.app.copy_to_clipboard(value)
            self.notify(f"Copied to the clipboard: {value}", timeout=6, markup=False)
