"""The core knows nothing of the UI: no module outside qwen_tui/tui imports Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "qwen_tui"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_textual_import_outside_tui() -> None:
    offenders = [str(p.relative_to(PKG)) for p in PKG.rglob("*.py")
                 if "tui" not in p.relative_to(PKG).parts[:1] and "textual" in _imports(p)]
    assert offenders == []


def test_core_modules_import_without_textual() -> None:
    core = sorted(
        "qwen_tui." + ".".join(p.relative_to(PKG).with_suffix("").parts)
        for p in PKG.rglob("*.py")
        if p.relative_to(PKG).parts[0] not in ("tui",) and p.name != "__main__.py"
    )
    code = "import sys\n" + "".join(f"import {m.removesuffix('.__init__')}\n" for m in core) + \
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
