"""The key footer: Textual's, except that a key which does not fit whole is not drawn at all.

Textual's Footer draws whatever fits of the last key before the docked "^p commands": "r re",
"q qu" at some widths. Here a key (or group) that would be cut is hidden, with every key after it;
hiding keeps the layout (visibility, not display), so the keys before it do not move. `? help`
comes first: on a narrow screen it is the key that leads to all the others.
"""

from __future__ import annotations

from textual.widgets import Footer


class FittingFooter(Footer):
    def compose(self):
        items = list(super().compose())
        first = [w for w in items if getattr(w, "action", None) == "help"]
        yield from first + [w for w in items if w not in first]

    async def recompose(self) -> None:
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self, tries: int = 5) -> None:
        if any(not c.region.width for c in self.children) and tries:
            # Mounted but not laid out yet: measure after the next refresh.
            self.call_after_refresh(self._fit, tries - 1)
            return
        palette = next((c for c in self.children if c.has_class("-command-palette")), None)
        limit = palette.region.x if palette is not None else self.region.right
        cut = False
        for child in self.children:
            if child is palette:
                continue
            cut = cut or child.region.right > limit
            want = "hidden" if cut else "visible"
            if child.styles.visibility != want:
                child.styles.visibility = want
