"""The README and the help screen list the keys from one table (tui/keys.py); every key the
screens bind is in that table."""

from __future__ import annotations

from pathlib import Path

from tui.keys import SECTIONS, markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_has_the_key_tables():
    assert markdown() in README.read_text(encoding="utf-8")


def test_every_bound_action_is_documented():
    from tui.app import HamishApp
    from tui.screens.library import LibraryScreen
    from tui.screens.reader import ReaderScreen
    from tui.widgets.article_view import ArticleView

    documented = " ".join(key for _, keys in SECTIONS for key, _ in keys)
    names = {
        "left": "←", "right": "→", "up": "↑", "down": "↓", "pageup": "PgUp", "pagedown": "PgDn",
        "home": "Home", "end": "End", "slash": "/", "right_square_bracket": "]",
        "left_square_bracket": "[", "escape": "Esc", "backspace": "Backspace", "tab": "Tab",
        "shift+tab": "Shift+Tab", "delete": "Delete", "question_mark": "?", "f1": "F1",
        "ctrl+q": "Ctrl+Q", "ctrl+z": "Ctrl+Z", "ctrl+y": "Ctrl+Y",
        "shift+left": "Shift+←", "shift+right": "Shift+→", "shift+up": "Shift+↑",
        "shift+down": "Shift+↓", "alt+shift+left": "Alt+Shift+←", "alt+shift+right": "Alt+Shift+→",
    }
    missing = []
    for cls in (HamishApp, LibraryScreen, ReaderScreen, ArticleView):
        for binding in cls.BINDINGS:
            for key in binding.key.split(","):
                shown = names.get(key, key)
                if shown not in documented:
                    missing.append(f"{cls.__name__}: {key}")
    assert not missing
