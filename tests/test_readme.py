"""The README's promises point at tests that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_test_file_the_readme_names_exists():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(tests/[\w/*.]+\.py)", text))
    assert named  # the guarantees section names its tests
    missing = [n for n in sorted(named) if not list(ROOT.glob(n))]
    assert not missing
