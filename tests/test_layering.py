"""The architecture, enforced: the data layer and the layout engine never import Textual."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = [ROOT / "store", ROOT / "tui" / "bidi"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
            "import_module",
            "__import__",
        ):
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.add(arg.value)
    return names


def pure_files() -> list[Path]:
    return sorted(p for d in PURE for p in d.rglob("*.py"))


def test_there_are_files_to_check():
    assert any(p.parent.name == "bidi" for p in pure_files())
    assert any(p.parent.name == "store" for p in pure_files())


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_textual_import(path):
    bad = {m for m in imported_modules(path) if m == "textual" or m.startswith("textual.")}
    assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_of_the_app_layer(path):
    bad = {
        m
        for m in imported_modules(path)
        if m.startswith("hamish.tui") and not m.startswith("hamish.tui.bidi")
    }
    assert not bad, f"{path.relative_to(ROOT)} imports the app layer: {sorted(bad)}"


def test_the_checker_catches_a_textual_import(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text("import os\nfrom textual.widget import Widget\n")
    assert "textual.widget" in imported_modules(sample)
