"""Textual's private hooks the explorer uses still have the shape it was written against.

If a Textual upgrade moves one, this fails naming it (and the app falls back to Textual's own
path for that feature instead of crashing: see qwen_tui/tui/textual_private.py).
"""

from __future__ import annotations

import pytest
from textual.app import App
from textual.geometry import Region

from qwen_tui.tui import textual_private
from qwen_tui.tui.textual_private import LayoutUpdate, problems, update_kind


def test_every_private_hook_is_where_we_expect_it() -> None:
    assert problems() == []
    assert textual_private.WIRE_CACHE_OK and textual_private.TYPEAHEAD_OK


def test_a_moved_hook_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(App, "_check_bindings")
    assert problems() == ["textual App._check_bindings is gone"]

    async def other_shape(self, keys: str) -> bool:
        return False

    monkeypatch.setattr(App, "_check_bindings", other_shape, raising=False)
    assert problems() == ["textual App._check_bindings('keys',) no longer takes ('key', 'priority')"]


def test_an_update_of_another_shape_takes_textuals_own_path() -> None:
    update = LayoutUpdate([], Region(0, 0, 1, 1))
    assert update_kind(update) == "full"
    del update.strips  # as if a Textual upgrade renamed the field
    assert update_kind(update) == ""
    assert update_kind(object()) == ""
