"""The three bugs of issue 12: copying a selection crashed (ArticleView._render shadowed Textual's
Widget._render), the strip cache never shrank and recomputed styles per line, and a failed fold
of the journal into the store file was silent."""

from __future__ import annotations

import pytest

import errno

from textual.selection import Selection

from hamish.store import AnnotationStore, Corpus, load_file
from hamish.tui import app as app_module
from hamish.tui.app import HamishApp
from hamish.tui.bidi import visual_order
from hamish.tui.screens.reader import ReaderScreen
from hamish.tui.widgets.article_view import GUTTER, STRIP_CACHE_SIZE, STYLE_NAMES

SIZE = (100, 40)
TEXT = "قالَ الرئيسُ إنّ الاتفاقَ «تاريخيٌّ» اليوم. وأضاف John Smith أنه سيُوقَّع غداً."


def make_app(tmp_path, text: str = TEXT) -> HamishApp:
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    return HamishApp(Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True)


async def reader(pilot) -> ReaderScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def cell_of(view, word: tuple[int, int]) -> tuple[int, int]:
    """(x, y) inside the view of the first cell of ``word``."""
    y = view.doc.locate(word[0])[0]
    for w in view.line_words(y):
        if (w.start, w.end) == word:
            return GUTTER + w.left, y - int(view.scroll_y)
    raise AssertionError(f"{word} is not on line {y}")


async def test_double_click_a_word_then_ctrl_c_copies_its_logical_text(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        start = TEXT.index("الرئيسُ")
        word = (start, start + len("الرئيسُ"))
        await pilot.double_click(view, offset=cell_of(view, word))
        await pilot.pause()
        assert view.selection == word
        await pilot.press("ctrl+c")  # crashed: Widget._render() was ArticleView's (line, width)
        await pilot.pause()
        assert app.clipboard == "الرئيسُ"  # the article's characters, harakat and all


async def test_y_copies_a_selection_across_a_latin_run_in_logical_order(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        start = TEXT.index("وأضاف")
        view.move_to_index(start)
        await pilot.press("shift+left", "shift+left", "shift+left")  # forward in RTL
        await pilot.pause()
        end = TEXT.index("أنه") + len("أنه")
        assert view.selection == (start, end)
        await pilot.press("y")
        await pilot.pause()
        copied = app.clipboard
        assert copied == "وأضاف John Smith أنه"
        assert copied != visual_order(copied)  # not the order it is drawn in


async def test_textual_copy_of_the_view_takes_the_logical_text_too(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        screen.selections = {view: Selection(None, None)}
        screen.action_copy_text()  # what Ctrl+C does when the view is not focused
        assert app.clipboard == TEXT[view.cursor[0] : view.cursor[1]]


@pytest.mark.slow
async def test_the_strip_cache_is_bounded_and_styles_are_computed_once(tmp_path):
    text = "\n".join(f"سطر رقم {n} من مقالة طويلة جداً" for n in range(3000))
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        calls = []
        original = view.get_component_rich_style

        def counting(*args, **kwargs):
            calls.append(args)
            return original(*args, **kwargs)

        view.get_component_rich_style = counting
        view.notify_style_update()
        painted = 0
        for _ in range(120):  # ~37 lines a page: ~4,400 lines shown, more than the article
            await pilot.press("pagedown")
            painted += view.size.height
        await pilot.pause()
        assert view.doc.line_count >= 3000
        assert view.cursor_line() > STRIP_CACHE_SIZE
        assert 0 < len(view._strips) <= STRIP_CACHE_SIZE
        assert len(calls) <= len(STYLE_NAMES) < painted  # once per style update, not per line


async def test_a_failed_fold_is_said_and_the_change_is_kept(tmp_path, monkeypatch):
    class TinyFolds(AnnotationStore):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, fold_bytes=1, **kwargs)

    monkeypatch.setattr(app_module, "AnnotationStore", TinyFolds)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        assert isinstance(app.store, TinyFolds)

        def full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(app.store, "_write_state", full)  # (folds run in the background)
        await pilot.press("1")
        app.store.wait_for_fold()
        await pilot.pause()
        said = [n for n in app._notifications if "Store file not updated" in n.title]
        assert len(said) == 1
        assert "No space left on device" in said[0].message
        assert len(app.store.annotations(app.corpus[0].id)) == 1
        view.move_to_index(TEXT.index("اليوم"))
        await pilot.press("2")  # the same problem again: not said twice
        app.store.wait_for_fold()
        await pilot.pause()
        assert len([n for n in app._notifications if "Store file not updated" in n.title]) == 1
        monkeypatch.undo()  # the disk has room again
    with AnnotationStore(tmp_path / "db.json", readonly=True) as store:
        assert len(store.annotations("a")) == 2
