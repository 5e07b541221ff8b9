"""The architecture, enforced on every module of the installed ``hamish`` package.

Layers, from the bottom:
- ``hamish.store``: the data layer. No Textual, no Rich, no argparse, no sys.exit (it is usable
  from a script, and a script decides how to exit), nothing from ``hamish.tui``.
- everything else that is not the Textual layer or the command line: the layout engine
  (``hamish.tui.bidi``) and the application layer (session, labels, keys, suggestions, ...).
  No Textual, and none of the Textual layer or the command line. The engine also nothing of
  the application layer.
- the command line (``hamish.tui.cli``): argparse, exit statuses, Rich progress bars; no Textual
  (it starts the app through ``hamish.tui.app``, loaded only when the app runs).
- the Textual layer: ``TEXTUAL_LAYER`` below, the only modules that may import Textual.

A new module is Textual-free unless it is added to ``TEXTUAL_LAYER``: that is the safe default.
Relative imports are resolved; imports inside functions and ``TYPE_CHECKING`` blocks count, and
so do ``importlib.import_module("...")`` and ``__import__("...")`` with a constant name.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The folders and the import names they install as (setup.py).
PACKAGES = {"store": "hamish.store", "tui": "hamish.tui", "seeds": "hamish.seeds"}

TEXTUAL_LAYER = (
    "hamish.tui.app",
    "hamish.tui.screens",
    "hamish.tui.widgets",
    "hamish.tui.screen_output",  # rows on their way out of Textual's compositor
)
CLI = ("hamish.tui.cli",)
ENGINE = ("hamish.tui.bidi",)
STORE = ("hamish.store",)


def within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def module_name(path: Path) -> str:
    """The import name of a file of the checkout: tui/bidi/layout/fast.py is
    hamish.tui.bidi.layout.fast, store/__init__.py is hamish.store."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    parts[0] = PACKAGES[parts[0]]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module that ``source`` (the text of ``module``) imports, as absolute names.
    ``from a import b`` gives both a and a.b (b may be a submodule)."""
    tree = ast.parse(source)
    package = module if is_package else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                if not base or node.level - 1 > len(package.split(".")):
                    names.add("<relative import above the top package>")
                    continue
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names if alias.name != "*")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("import_module", "__import__") and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    names.add(arg.value)
    return names


def exits(source: str) -> list[str]:
    """The ways ``source`` ends the process: sys.exit(...), exit()/quit(), raise SystemExit."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "exit":
            if isinstance(node.value, ast.Name) and node.value.id == "sys":
                found.append(f"line {node.lineno}: sys.exit")
        elif isinstance(node, ast.ImportFrom) and node.module == "sys" and node.level == 0:
            if any(alias.name == "exit" for alias in node.names):
                found.append(f"line {node.lineno}: from sys import exit")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("exit", "quit"):
                found.append(f"line {node.lineno}: {node.func.id}()")
        elif isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(exc, ast.Name) and exc.id == "SystemExit":
                found.append(f"line {node.lineno}: raise SystemExit")
    return found


def problems(source: str, module: str, is_package: bool = False) -> list[str]:
    """What ``module`` (its text ``source``) does that its layer forbids."""
    if within(module, TEXTUAL_LAYER):
        return []
    imports = imported_modules(source, module, is_package)
    found = [f"imports {m} (Textual)" for m in sorted(imports) if within(m, ("textual",))]
    found += [f"imports {m}" for m in sorted(imports) if m.startswith("<")]
    if within(module, CLI):
        return found
    found += [
        f"imports {m} (the Textual layer)" for m in sorted(imports) if within(m, TEXTUAL_LAYER)
    ]
    found += [f"imports {m} (the command line)" for m in sorted(imports) if within(m, CLI)]
    if within(module, ENGINE):
        found += [
            f"imports {m} (above the engine)"
            for m in sorted(imports)
            if within(m, ("hamish.tui",)) and not within(m, ENGINE)
        ]
    if within(module, STORE):
        found += [
            f"imports {m} (the store is below it)"
            for m in sorted(imports)
            if within(m, ("hamish.tui",))
        ]
        found += [
            f"imports {m} (command-line matters stay out of the store)"
            for m in sorted(imports)
            if within(m, ("rich", "argparse"))
        ]
        found += [f"ends the process: {where}" for where in exits(source)]
    return found


def package_files() -> list[Path]:
    return sorted(p for folder in PACKAGES for p in (ROOT / folder).rglob("*.py"))


def test_the_modules_are_found_with_their_import_names():
    names = {module_name(p) for p in package_files()}
    assert {"hamish.store", "hamish.store.corpus", "hamish.tui.bidi", "hamish.tui.app"} <= names
    assert "hamish.tui.session" in names and "hamish.tui.cli" in names
    # Most modules are Textual-free, and are checked as such.
    pure = [n for n in names if not within(n, TEXTUAL_LAYER)]
    assert len(pure) > len(names) / 2


@pytest.mark.parametrize("path", package_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_keeps_to_its_layer(path):
    found = problems(
        path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py"
    )
    assert not found, f"{path.relative_to(ROOT)}: " + "; ".join(found)


# --- the checker itself: each rule catches what it is for ---------------------------------------

CAUGHT = [
    # (module, source, what the problem names)
    ("hamish.store.x", "import textual\n", "textual (Textual)"),
    ("hamish.store.x", "def f():\n    from textual.widget import Widget\n", "textual.widget"),
    (
        "hamish.tui.bidi.layout.x",
        "import importlib\nimportlib.import_module('textual.app')\n",
        "textual.app",
    ),
    ("hamish.tui.session", "x = __import__('textual')\n", "textual (Textual)"),
    (
        "hamish.tui.labels",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from textual.app import App\n",
        "textual.app",
    ),
    # relative imports are resolved
    (
        "hamish.tui.session",
        "from .widgets.article_view import ArticleView\n",
        "hamish.tui.widgets.article_view (the Textual layer)",
    ),
    ("hamish.tui.session", "from . import app\n", "hamish.tui.app (the Textual layer)"),
    (
        "hamish.tui.bidi.layout.fast",
        "from ...screens import reader\n",
        "hamish.tui.screens (the Textual layer)",
    ),
    (
        "hamish.tui.bidi.layout.fast",
        "from ... import session\n",
        "hamish.tui.session (above the engine)",
    ),
    (
        "hamish.tui.bidi.search",
        "from hamish.tui.labels import Label\n",
        "hamish.tui.labels (above the engine)",
    ),
    ("hamish.tui.suggest", "from .cli import common\n", "hamish.tui.cli (the command line)"),
    (
        "hamish.store.annotations.store",
        "from ...tui import session\n",
        "hamish.tui (the store is below it)",
    ),
    ("hamish.store.export", "from rich.progress import Progress\n", "rich.progress"),
    ("hamish.store.export", "import rich\n", "rich (command-line"),
    ("hamish.store.export", "import argparse\n", "argparse (command-line"),
    ("hamish.store.export", "import sys\ndef f():\n    sys.exit(2)\n", "sys.exit"),
    ("hamish.store.export", "from sys import exit\n", "from sys import exit"),
    ("hamish.store.export", "def f():\n    raise SystemExit(1)\n", "raise SystemExit"),
    ("hamish.store.export", "def f():\n    exit(1)\n", "exit()"),
    ("hamish.tui.cli.cat", "from textual.app import App\n", "textual.app (Textual)"),
    ("hamish.store", "from .... import x\n", "above the top package"),
]


@pytest.mark.parametrize(("module", "source", "named"), CAUGHT)
def test_the_checker_catches(module, source, named):
    found = problems(source, module)
    assert any(named in p for p in found), found


ALLOWED = [
    ("hamish.store.export", "import os, json\nfrom .corpus import Corpus\n"),
    ("hamish.store.annotations.store", "from ..durable import write\nfrom . import records\n"),
    ("hamish.tui.bidi.layout.fast", "from .._icu import shape\nfrom ..search import fold\n"),
    ("hamish.tui.session", "from hamish.store import Annotation\nfrom .bidi import layout_text\n"),
    (
        "hamish.tui.cli.app",
        "import argparse, sys\ndef main():\n    from hamish.tui.app import run\n"
        "    sys.exit(run())\n",
    ),
    ("hamish.tui.cli.common", "from rich.progress import Progress\n"),
    ("hamish.tui.widgets.x", "from textual.widget import Widget\n"),
    ("hamish.tui.session", "import sys\nsys.exit(0)\n"),  # (only the store may not end a process)
]


@pytest.mark.parametrize(("module", "source"), ALLOWED)
def test_the_checker_allows(module, source):
    assert problems(source, module) == []


def test_a_package_resolves_its_relative_imports_from_itself():
    # In hamish/tui/__init__.py, "from .app import x" is hamish.tui.app; in a module it would
    # be a sibling of the module.
    assert "hamish.tui.app" in imported_modules("from .app import x\n", "hamish.tui", True)
    assert "hamish.tui.app" in imported_modules("from .app import x\n", "hamish.tui.session")
