"""The detail pane: the selected entry, rendered by `present.detail.detail`, scrollable by keyboard."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from qwen_tui.tui import keys

if TYPE_CHECKING:
    from qwen_tui.model import Catalog
    from qwen_tui.reconcile import Entry


class Detail(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [*keys.DETAIL]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entry: Entry | None = None
        self._shown: Entry | None = None
        self._catalog: Catalog | None = None

    def compose(self):
        yield Static(id="detail-body")

    def show(self, entry: Entry | None, catalog: Catalog) -> None:
        """Remember the entry; render it only while the pane is on screen (cheap cursor moves)."""
        self.entry, self._catalog = entry, catalog
        if self.display:
            self.paint()

    def paint(self) -> None:
        if self.entry is self._shown or self._catalog is None:
            return
        self._shown = self.entry
        body = self.query_one("#detail-body", Static)
        if self.entry is None:
            body.update("Nothing selected.")
        else:
            from qwen_tui.present.detail import detail  # (not before the first frame: hidden below 160 columns)

            tracker = getattr(getattr(self.app, "dataset", None), "tracker", None)  # models.dev data in use
            body.update(detail(self.entry, self._catalog, tracker.describe() if tracker else ""))
        self.scroll_home(animate=False)
