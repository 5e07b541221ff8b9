"""The README and the help screen list the keys from one table (tui/keys.py); every key the
screens bind is in that table."""

from __future__ import annotations

from pathlib import Path

from hamish.tui.keys import SECTIONS, markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_has_the_key_tables():
    assert markdown() in README.read_text(encoding="utf-8")


def test_every_bound_action_is_documented():
    from hamish.tui.app import HamishApp
    from hamish.tui.screens.library import LibraryScreen
    from hamish.tui.screens.reader import ReaderScreen
    from hamish.tui.widgets.article_view import ArticleView

    documented = " ".join(key for _, keys in SECTIONS for key, _ in keys)
    names = {
        "left": "←",
        "right": "→",
        "up": "↑",
        "down": "↓",
        "pageup": "PgUp",
        "pagedown": "PgDn",
        "home": "Home",
        "end": "End",
        "slash": "/",
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "escape": "Esc",
        "backspace": "Backspace",
        "tab": "Tab",
        "shift+tab": "Shift+Tab",
        "delete": "Delete",
        "question_mark": "?",
        "f1": "F1",
        "ctrl+q": "Ctrl+Q",
        "ctrl+c": "Ctrl+C",
        "ctrl+z": "Ctrl+Z",
        "ctrl+y": "Ctrl+Y",
        "shift+left": "Shift+←",
        "shift+right": "Shift+→",
        "shift+up": "Shift+↑",
        "shift+down": "Shift+↓",
        "alt+shift+left": "Alt+Shift+←",
        "alt+shift+right": "Alt+Shift+→",
        "enter": "Enter",
        "ctrl+down": "Ctrl+↓",
        "ctrl+up": "Ctrl+↑",
    }
    missing = []
    for cls in (HamishApp, LibraryScreen, ReaderScreen, ArticleView):
        for binding in cls.BINDINGS:
            for key in binding.key.split(","):
                shown = names.get(key, key)
                if shown not in documented:
                    missing.append(f"{cls.__name__}: {key}")
    assert not missing


async def test_help_screen_lays_out_its_arabic_like_everything_else(tmp_path):
    from hamish.store import load_corpus
    from hamish.tui.app import HamishApp
    from hamish.tui.bidi import layout_text
    from hamish.tui.screens.help import HelpScreen

    app = HamishApp(load_corpus(None), db_path=str(tmp_path / "db.json"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from textual.geometry import Region

        shown = "\n".join(
            line.text
            for w in app.screen.query("KeysView")
            for line in w.render_lines(Region(0, 0, w.size.width, w.size.height))
        )
    visual = layout_text("وكان", 10, "ltr")[0].text.strip()  # shaped, right to left
    assert visual != "وكان" and visual in shown
    assert "وكان" not in shown
