"""The real-terminal tests run only when asked for: ``python -m pytest -m terminals -n 0``
(they need Xvfb, Tesseract and the emulators, and take a few minutes); any other run leaves
them out (deselected, and counted as such in pytest's summary)."""

from __future__ import annotations


def pytest_collection_modifyitems(config, items):
    if "terminals" in (config.getoption("markexpr") or ""):
        return
    chosen = [i for i in items if "terminals" not in i.keywords]
    dropped = [i for i in items if "terminals" in i.keywords]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = chosen
