"""Every use of Textual's private API, in one place, each with a way back to Textual's own path.

Two features need more than Textual's public API:
- the wire cache (wire.py) sits at `App._display`, Textual's one exit to the terminal, and reads
  the compositor's update objects (`textual._compositor.LayoutUpdate` / `ChopsUpdate`);
- ordered type-ahead (typeahead.py) resolves a key's bindings at once (`App._check_bindings`) and
  hands the key to a widget (`Widget._forward_event`).

`problems()` lists, by name, every hook whose shape is not what these features were written
against; tests/test_tui_textual_private.py fails on any of them, so a Textual upgrade that moves
one is caught by the suite. At run time a feature whose hooks are missing is switched off and
Textual's own path runs instead: the app writes more bytes or handles a key burst less well, but
it never crashes.
"""

from __future__ import annotations

import inspect
from typing import Any

from textual.app import App
from textual.widget import Widget

try:
    from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
except ImportError:  # a Textual that reorganised its compositor: no wire cache
    ChopsUpdate = CompositorUpdate = LayoutUpdate = None  # type: ignore[assignment, misc]

# The base of the wire cache's own update: Textual's, or a stand-in when it is gone (then the
# wire cache is off and this class is never handed to Textual).
UpdateBase: type = CompositorUpdate if CompositorUpdate is not None else object

# What each hook must look like: (owner, attribute, parameters it is called with).
_METHODS: list[tuple[type, str, tuple[str, ...]]] = [
    (App, "_display", ("screen", "renderable")),
    (App, "_check_bindings", ("key", "priority")),
    (Widget, "_forward_event", ("event",)),
]
# Attributes the wire cache reads on the compositor's updates, set in their __init__.
_UPDATE_FIELDS = {
    "LayoutUpdate": ("strips", "region"),
    "ChopsUpdate": ("chops", "spans", "chop_ends"),
}


def problems() -> list[str]:
    """Each private hook that is missing or has another shape, named ('' if all are as expected)."""
    out: list[str] = []
    for owner, name, params in _METHODS:
        method = getattr(owner, name, None)
        if method is None:
            out.append(f"textual {owner.__name__}.{name} is gone")
            continue
        got = tuple(inspect.signature(method).parameters)[1:]
        if got[: len(params)] != params:
            out.append(f"textual {owner.__name__}.{name}{got} no longer takes {params}")
    updates = {"LayoutUpdate": LayoutUpdate, "ChopsUpdate": ChopsUpdate}
    for cls_name, fields in _UPDATE_FIELDS.items():
        cls = updates[cls_name]
        if cls is None:
            out.append(f"textual._compositor.{cls_name} is gone")
            continue
        init = inspect.getsource(cls)  # the class body: its __init__ sets the fields
        for field in fields:
            if f"self.{field} =" not in init:
                out.append(f"textual._compositor.{cls_name}.{field} is no longer set")
    if CompositorUpdate is not None and not hasattr(CompositorUpdate, "render_segments"):
        out.append("textual._compositor.CompositorUpdate.render_segments is gone")
    return out


# At run time only cheap checks (no source reading: start-up time counts); the test runs problems().
WIRE_CACHE_OK = LayoutUpdate is not None and callable(getattr(App, "_display", None))
TYPEAHEAD_OK = callable(getattr(App, "_check_bindings", None)) and callable(getattr(Widget, "_forward_event", None))


def update_kind(renderable: object) -> str:
    """'full' (a LayoutUpdate), 'partial' (a ChopsUpdate) or '' (anything else, or a shape the
    wire cache does not know: then Textual writes it as it would without us)."""
    if not WIRE_CACHE_OK:
        return ""
    for kind, cls, fields in (("full", LayoutUpdate, _UPDATE_FIELDS["LayoutUpdate"]),
                              ("partial", ChopsUpdate, _UPDATE_FIELDS["ChopsUpdate"])):
        if isinstance(renderable, cls):
            return kind if all(hasattr(renderable, f) for f in fields) else ""
    return ""


class TerminalWriteHook:
    """Mix into an App (before App): each update Textual writes to the terminal passes through
    `self.filter_update(kind, update)` first ('full' or 'partial', see update_kind). Updates of
    any other kind or shape, and inline or headless apps, take Textual's own path unchanged."""

    def filter_update(self, kind: str, update: Any) -> Any:
        return update

    def _display(self, screen: Any, renderable: Any) -> None:
        app: Any = self
        if not app.is_inline and not app.is_headless:
            kind = update_kind(renderable)
            if kind:
                renderable = self.filter_update(kind, renderable)
        App._display(app, screen, renderable)


async def check_bindings(app: App, key: str, *, priority: bool = False) -> bool:
    return await app._check_bindings(key, priority=priority)


def forward_event(widget: Widget, event: Any) -> None:
    widget._forward_event(event)
