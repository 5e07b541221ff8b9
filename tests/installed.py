"""The ``hamish`` command installed for the Python that runs the tests.

Found in that Python's scripts directory (``venv/bin`` for a venv: beside ``sys.executable``),
so that ``venv/bin/python -m pytest`` works in a venv that is not activated. Never a ``hamish``
that happens to be on PATH: that one may belong to another install.
"""

from __future__ import annotations

import os
import sys
import sysconfig
from pathlib import Path

import pytest

NAME = "hamish.exe" if os.name == "nt" else "hamish"


def candidates() -> list[Path]:
    places = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    user_scheme = f"{os.name}_user"
    if user_scheme in sysconfig.get_scheme_names():  # pip install --user
        places.append(Path(sysconfig.get_path("scripts", user_scheme)))
    return [place / NAME for place in places]


def hamish() -> str:
    """The path of the installed ``hamish`` command (the test fails, saying why, without one)."""
    for path in candidates():
        if path.is_file() and os.access(path, os.X_OK):
            return str(path)
    pytest.fail(
        f"the hamish command is not installed for {sys.executable} (looked in "
        + ", ".join(str(p.parent) for p in candidates())
        + "): python -m pip install -e '.[test]'"
    )
