"""Keys typed ahead are handled in the order they were typed, by the pane they were typed into.

Textual forwards each key to the widget focused *when the app reads it* and resolves most bindings
only after the key has bubbled back up through several message queues. When keys arrive in a
burst — a paste, or keystrokes bunched together by a slow SSH link — a key that moves the focus
(enter, tab, /) is acted on after the keys behind it were already sent to the old pane. This mixin
resolves a key's bindings at once, in the app's own loop, and waits for a text box to take a key
before reading the next, so a burst behaves exactly like the same keys typed slowly. (The
Textual internals this needs are in textual_private.py; without them, Textual's own order.)
"""

from __future__ import annotations

import asyncio
from typing import Any

from textual import events
from textual.widgets import Input

from qwen_tui.tui.textual_private import TYPEAHEAD_OK, check_bindings, forward_event


class OrderedKeys:
    """Mix into an App (before App) to make key handling strictly sequential."""

    async def on_event(self, event: events.Event) -> None:
        if not TYPEAHEAD_OK or not isinstance(event, events.Key) or event.is_forwarded:
            await super().on_event(event)  # type: ignore[misc]
            return
        app: Any = self  # an App: this class is only ever mixed into one
        app.app_focus = True
        if await check_bindings(app, event.key, priority=True):
            return
        focused = app.focused
        # A text box keeps its letters; everything else is a binding, run now, in order.
        if not isinstance(focused, Input) and await check_bindings(app, event.key):
            return
        target = focused or app.screen
        forward_event(target, event)
        # Wait until the target has handled this key before reading the next one.
        handled = asyncio.Event()
        target.call_later(handled.set)
        await handled.wait()
