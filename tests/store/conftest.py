from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

_TESTS_DIR = Path(__file__).resolve().parents[1]

# pyproject puts tests/ on sys.path, where this directory, tests/store/, looks like a namespace
# package named ``store``. Under ``python -m pytest`` (CI, README) the checkout root comes first
# and the real package wins; under a bare ``pytest`` the namespace package would shadow it. Make
# sure ``store`` is the real package for the rest of the session.
if getattr(sys.modules.get("store"), "__file__", None) is None:
    for _name in [n for n in sys.modules if n == "store" or n.startswith("store.")]:
        del sys.modules[_name]
    _saved_path = sys.path[:]
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _TESTS_DIR]
    try:
        importlib.import_module("store")
    finally:
        sys.path[:] = _saved_path

# The project runs pytest with --import-mode=importlib, so this directory is not on sys.path:
# make the shared helpers importable as ``annstore_helpers`` by the test modules.
if "annstore_helpers" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "annstore_helpers", Path(__file__).with_name("annstore_helpers.py")
    )
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["annstore_helpers"] = _module
    _spec.loader.exec_module(_module)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "annotations.json"
