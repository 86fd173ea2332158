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


def _imported_modules(path: Path) -> list[tuple[str, bool]]:
    """(module, at module level?) for every absolute import in a file."""
    tree = ast.parse(path.read_text("utf-8"))
    top = {id(n) for n in tree.body}
    out: list[tuple[str, bool]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.module, id(node) in top))
    return out


def test_present_is_rich_only() -> None:
    """present/ is what the CLI and the explorer share: Rich yes; Textual, tui/ and cli/ never."""
    offenders = [
        f"{p.relative_to(PKG)} imports {mod}"
        for p in (PKG / "present").rglob("*.py")
        for mod, _ in _imported_modules(p)
        if mod.split(".")[0] == "textual" or mod.startswith(("qwen_tui.tui", "qwen_tui.cli"))
    ]
    assert offenders == []


def test_cli_never_imports_the_explorer_except_to_launch_it() -> None:
    """cli/ never imports qwen_tui.tui, with one exception: `run_explorer` in cli/explore.py
    imports `qwen_tui.tui` inside the function, when the explorer is launched."""
    allowed = {("cli/explore.py", "qwen_tui.tui", False)}
    found = {
        (str(p.relative_to(PKG)), mod, top)
        for p in (PKG / "cli").rglob("*.py")
        for mod, top in _imported_modules(p)
        if mod == "qwen_tui.tui" or mod.startswith("qwen_tui.tui.")
    }
    assert found <= allowed, found - allowed
    source = (PKG / "cli" / "explore.py").read_text("utf-8")
    run_explorer = next(n for n in ast.parse(source).body
                        if isinstance(n, ast.FunctionDef) and n.name == "run_explorer")
    assert any(isinstance(n, ast.ImportFrom) and n.module == "qwen_tui.tui" for n in ast.walk(run_explorer))
