"""Rules for the test suite itself."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# tests/terminals/harness.py also runs as a script outside pytest; it looks beside
# sys.executable first and falls back to PATH only then.
EXEMPT = {TESTS / "installed.py", TESTS / "terminals" / "harness.py", Path(__file__).resolve()}
ON_PATH = re.compile(r"""which\(\s*["']hamish["']\s*\)""")


def test_the_program_is_found_beside_the_running_python_not_on_path():
    # A venv need not be activated (venv/bin/python -m pytest): tests/installed.py finds the
    # hamish of the Python running the tests. shutil.which would find another one, or none.
    offenders = [
        str(path.relative_to(TESTS))
        for path in sorted(TESTS.rglob("*.py"))
        if path not in EXEMPT and ON_PATH.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, (
        f"use `from installed import hamish` instead of which('hamish'): {offenders}"
    )


def test_the_rule_catches_a_lookup_on_path():
    assert ON_PATH.search('exe = shutil.which("hamish")')
    assert ON_PATH.search("shutil.which( 'hamish' )")
    assert not ON_PATH.search('shutil.which("fribidi")')
