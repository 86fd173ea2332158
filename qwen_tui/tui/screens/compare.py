"""`c`: up to four releases side by side."""

from __future__ import annotations

from qwen_tui.model import Catalog
from qwen_tui.present.detail import compare_table
from qwen_tui.reconcile import Entry
from qwen_tui.tui.screens.page import Page


class CompareScreen(Page):
    def __init__(self, entries: list[Entry], catalog: Catalog) -> None:
        self.entries = entries
        super().__init__(f"Compare {len(entries)} releases", compare_table(entries, catalog))
