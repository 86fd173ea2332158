"""Policy shifts in the explorer: the mark on a shift's timeline row and the vendor's heading.

Shifts come from `qwen_tui.pivot.shifts.find_shifts` over the sourced flagship facts; the app
computes them once per dataset load, in a worker after the first frame (reading flagships.toml
imports tomllib: ~15 ms that the first paint does not pay). Rich only, no Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text

from qwen_tui.text import clean

if TYPE_CHECKING:
    from qwen_tui.model import Catalog
    from qwen_tui.pivot.shifts import Shift

# An arrow, not a colour, tells the direction: it reads the same under NO_COLOR.
GLYPH = {"opening": "⇡", "closing": "⇣", "both": "⇅"}  # both: a period holding one of each


def combine(a: str, b: str) -> str:
    """The mark of a period holding shifts `a` and `b` ("" for none): one direction, or "both"."""
    return b if not a or a == b else a if not b else "both"

ShiftSource = Callable[["Catalog"], list["Shift"]]


def flagship_shifts(catalog_dirs: Iterable[Path] = (), *, bundled: bool = True) -> ShiftSource:
    """Shifts from the flagship facts of the bundled folder (when `bundled`) and `catalog_dirs`,
    the folders the catalog itself was read from (the user's folder, then --catalog ones)."""
    dirs = [Path(d) for d in catalog_dirs]

    def shifts(catalog: Catalog) -> list[Shift]:
        from qwen_tui.catalog.flagships import load_flagships
        from qwen_tui.pivot.shifts import find_shifts

        return find_shifts(catalog, load_flagships(catalog, dirs, bundled=bundled))

    return shifts


def by_release(shifts: Iterable[Shift]) -> dict[tuple[str, str], Shift]:
    """(vendor, release id) -> the shift that release made."""
    return {(s.vendor, s.release): s for s in shifts}


def mark(shift: Shift, *, short: bool = False) -> Text:
    """'⇡ opening' (or only the arrow when `short`), bold: the row's policy-shift mark."""
    return Text(GLYPH[shift.direction] + ("" if short else " " + shift.direction), style="bold")


def heading(vendor_name: str, shifts: Iterable[Shift], release_names: dict[str, str]) -> Text:
    """'OpenAI · ⇡ opening 2025-08: gpt-oss' (one part per shift, oldest first). With more than one
    shift the release names are left to the marked rows ('Alibaba Cloud (Qwen) · ⇣ closing 2026-04
    · ⇡ opening 2026-08'), so every shift's direction and month fit an 80-column timeline title."""
    shifts = list(shifts)
    t = Text(clean(vendor_name))
    for s in shifts:
        t.append(" · ")
        t.append_text(mark(s))
        t.append(f" {s.date[:7]}")
        if len(shifts) == 1:
            t.append(f": {clean(release_names.get(s.release, s.release))}")
    return t
