"""Screens and app talk through a typed contract: screens post messages (screens/requests.py)
and the app calls the screens' own methods; a label key repaints only the lines its span
touches."""

from __future__ import annotations

import ast
from pathlib import Path

from textual.app import App

from hamish.store import Corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.screens.reader import ReaderScreen
from hamish.tui.widgets.article_view import ArticleView

SCREENS = Path(__file__).resolve().parents[2] / "tui" / "screens"


def app_attributes(path: Path) -> set[str]:
    """The attributes a module reads from ``self.app`` (or ``getattr(self.app, ...)``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "app"
        ):
            found.add(node.attr)
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr":
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Attribute) and target.attr == "app":
                found.add("getattr")
    return found


def test_screens_use_only_textuals_app_api():
    used = {p.name: app_attributes(p) for p in sorted(SCREENS.glob("*.py"))}
    assert any(used.values())  # the check sees something
    hamish_only = {
        name: sorted(a for a in attrs if not hasattr(App, a)) for name, attrs in used.items()
    }
    assert all(not attrs for attrs in hamish_only.values()), hamish_only


def test_the_checker_sees_an_app_call(tmp_path):
    sample = tmp_path / "s.py"
    sample.write_text(
        "class S:\n    def f(self):\n        self.app.tag(1)\n        getattr(self.app, 'x')\n"
    )
    assert app_attributes(sample) == {"tag", "getattr"}


async def test_a_label_key_repaints_only_the_lines_of_its_span(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "\n".join(f"السطر رقم {n} من مقالة فيها سطور كثيرة" for n in range(60)), encoding="utf-8"
    )
    app = HamishApp(Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        await pilot.press("down", "down", "1")  # one annotation already
        await pilot.pause()
        painted: list[int] = []
        original = ArticleView._paint_line

        def counting(self, line, width):
            painted.append(line.start)
            return original(self, line, width)

        ArticleView._paint_line = counting  # type: ignore[method-assign]
        try:
            for key in ("2", "3", "d"):  # relabel, relabel, delete
                painted.clear()
                await pilot.press(key)
                await pilot.pause()
                line = view.doc.line(view.cursor_line())
                assert line is not None
                assert painted == [line.start], key  # the cursor's line only, of 34
        finally:
            ArticleView._paint_line = original  # type: ignore[method-assign]
        assert view.size.height > 30


async def test_a_cursor_move_repaints_its_lines_when_no_strip_is_kept(tmp_path):
    """After a style update (the app's width classes change on a resize) no painted line is
    kept; a key must still repaint the lines it changes (it left the screen stale)."""
    path = tmp_path / "a.txt"
    path.write_text("قال الوزير إن الاتفاق تاريخي\nسطر آخر هنا", encoding="utf-8")
    app = HamishApp(Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        view._strips.clear()  # what a style update leaves
        painted: list[int] = []
        original = ArticleView._paint_line

        def counting(self, line, width):
            painted.append(line.start)
            return original(self, line, width)

        ArticleView._paint_line = counting  # type: ignore[method-assign]
        try:
            await pilot.press("down")
            await pilot.pause()
        finally:
            ArticleView._paint_line = original  # type: ignore[method-assign]
        assert sorted(set(painted)) == [0, 29]  # the line the cursor left, the one it is on
