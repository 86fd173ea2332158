"""A full-screen page of one scrollable renderable, closed with esc: help, compare, changes."""

from __future__ import annotations

from typing import ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from qwen_tui.tui import keys
from qwen_tui.tui.widgets.footer import FittingFooter


class Page(Screen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "back", id="page-close"),
        Binding("q", "close", "back", id="page-quit", show=False),
        *keys.DETAIL,
    ]

    def __init__(self, title: str, body: RenderableType, *, name: str | None = None) -> None:
        super().__init__(name=name)
        self.page_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(self.page_title, id="page-title", markup=False)
        with VerticalScroll(id="page-scroll"):
            yield Static(self.body, id="page-body")
        yield FittingFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#page-scroll").focus()

    def action_close(self) -> None:
        self.dismiss()

    # The scroll bindings act on the page's scroller whichever widget has focus.
    def action_scroll_down(self) -> None:
        self.query_one("#page-scroll").scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.query_one("#page-scroll").scroll_up(animate=False)

    def action_scroll_home(self) -> None:
        self.query_one("#page-scroll").scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        self.query_one("#page-scroll").scroll_end(animate=False)
