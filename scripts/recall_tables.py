"""Recall from the tables in docs/recall/: per vendor, how many notable releases of the vendor's own
history the catalog holds, and whether each table's recall line agrees with its rows.

    .venv/bin/python scripts/recall_tables.py

A table row counts as notable when its last cell starts with "in catalog" or "left out"; a row
whose cell says "not counted" (a size, an update, tooling) is listed but not counted. Exit 1 when a
line disagrees with its rows or a row names a release id the catalog lacks
(tests/test_recall_tables.py runs the same checks).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RECALL_DIR = REPO / "docs" / "recall"

_LINE = re.compile(r"Recall against this history: (\d+) of (\d+)")
_ID = r"`?([a-z0-9][a-z0-9.+-]*[a-z0-9])`?"
_IN_CATALOG = re.compile(r"^in catalog:?\s*" + _ID)
_NAMED = re.compile(r"\|\s*(?:in catalog|added):?\s*" + _ID)


@dataclass
class VendorTable:
    in_catalog: int = 0
    notable: int = 0
    claimed: tuple[int, int] | None = None
    ids: list[str] = field(default_factory=list)

    def unknown_ids(self, release_ids: set[str]) -> list[str]:
        return [i for i in self.ids if i not in release_ids]


def _last_cell(row: str) -> str:
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    return cells[-1] if cells else ""


def read_vendor_table(text: str) -> VendorTable:
    table = VendorTable()
    for line in text.splitlines():
        if line.startswith("|"):
            cell = _last_cell(line)
            lowered = cell.lower()
            counted = "not counted" not in lowered
            match = _IN_CATALOG.match(lowered)
            if match:
                table.ids.append(match.group(1))
                if counted:
                    table.in_catalog += 1
                    table.notable += 1
            elif lowered.startswith("left out") and counted:
                table.notable += 1
        elif (claimed := _LINE.search(line)) is not None:
            table.claimed = (int(claimed.group(1)), int(claimed.group(2)))
    return table


def named_release_ids(text: str) -> set[str]:
    """Release ids an independent check's table names ("in catalog: id" or "added: id")."""
    return {m.group(1) for m in _NAMED.finditer(text.lower())}


def vendor_tables() -> list[Path]:
    """One table per vendor file of the bundled catalog."""
    vendors = REPO / "qwen_tui" / "catalog" / "data" / "vendors"
    return [RECALL_DIR / f"{p.stem}.md" for p in sorted(vendors.glob("*.toml"))]


def main() -> int:
    sys.path.insert(0, str(REPO))
    from qwen_tui.catalog.loader import load_catalog

    release_ids = {r.id for r in load_catalog([]).releases}
    problems: list[str] = []
    total_in = total = 0
    for path in vendor_tables():
        table = read_vendor_table(path.read_text(encoding="utf-8"))
        total_in += table.in_catalog
        total += table.notable
        share = f"{100 * table.in_catalog / table.notable:.1f}%" if table.notable else "-"
        print(f"{path.stem:<10} {table.in_catalog:>3} of {table.notable:<3} {share}")
        if table.claimed != (table.in_catalog, table.notable):
            problems.append(f"{path.name}: recall line says {table.claimed}, rows give "
                            f"{table.in_catalog} of {table.notable}")
        problems += [f"{path.name}: no release {i!r} in the catalog" for i in table.unknown_ids(release_ids)]
    for name in ("INDEPENDENT-open.md", "INDEPENDENT-cloud.md"):
        path = RECALL_DIR / name
        if path.exists():
            missing = named_release_ids(path.read_text(encoding="utf-8")) - release_ids
            problems += [f"{name}: no release {i!r} in the catalog" for i in sorted(missing)]
    print(f"total: {total_in} of {total} notable releases of the vendors' own histories in the catalog"
          + (f", {100 * total_in / total:.1f}%" if total else ""))
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
