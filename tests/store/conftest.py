from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path

import pytest

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
