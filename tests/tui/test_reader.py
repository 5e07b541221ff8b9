"""Pilot tests of the reader: where the word cursor goes after keys, in RTL and LTR text."""

from __future__ import annotations

import re

import pytest

from hamish.store import Corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.screens.help import HelpScreen
from hamish.tui.screens.library import LibraryScreen
from hamish.tui.screens.reader import ReaderScreen
from hamish.tui.widgets.article_view import GUTTER

SIZE = (100, 40)
RTL_WORDS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"] * 5
LTR_WORDS = [f"word{i}" for i in range(40)]


def words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def make_app(tmp_path, text: str, name: str = "a") -> HamishApp:
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return HamishApp(Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True)


async def reader(pilot) -> ReaderScreen:
    """The reader once its layout has settled: the view's place on screen is the same over two
    pauses (under load a late refresh of the header can still move it after the first one)."""
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ReaderScreen)
    before = None
    for _ in range(50):
        now = (screen.view.region, screen.view.scrollable_content_region, screen.view.text_width)
        if now == before:
            break
        before = now
        await pilot.pause(0.02)
    return screen


async def test_left_moves_forward_through_rtl_text_across_line_ends(tmp_path):
    text = " ".join(RTL_WORDS)  # one RTL paragraph, several screen lines wide
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        assert view.doc.line_count >= 3  # the walk crosses line ends
        visited = [view.cursor]
        for _ in range(len(RTL_WORDS) - 1):
            await pilot.press("left")
            visited.append(view.cursor)
        assert visited == words(text)  # reading order, line after line
        await pilot.press("left")  # at the very end: stays
        assert view.cursor == words(text)[-1]
        for _ in range(3):
            await pilot.press("right")
        assert view.cursor == words(text)[-4]


async def test_right_moves_forward_through_ltr_text(tmp_path):
    text = " ".join(LTR_WORDS)
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        for _ in range(len(LTR_WORDS) - 1):
            await pilot.press("right")
        assert view.cursor == words(text)[-1]
        await pilot.press("left", "left")
        assert view.cursor == words(text)[-3]


async def test_left_and_right_follow_the_screen_across_an_ltr_run_in_rtl_text(tmp_path):
    text = "قال John Smith اليوم"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        w = {text[s:e]: (s, e) for s, e in words(text)}
        # On screen (left to right): اليوم John Smith قال — the Latin run keeps its order.
        assert view.cursor == w["قال"]
        seen = []
        for _ in range(3):
            await pilot.press("left")
            seen.append(text[view.cursor[0] : view.cursor[1]])
        assert seen == ["Smith", "John", "اليوم"]
        await pilot.press("right")
        assert text[view.cursor[0] : view.cursor[1]] == "John"


@pytest.mark.parametrize("word", ["كلم", "abc"])
async def test_up_and_down_keep_the_column(tmp_path, word):
    text = " ".join([word] * 200)
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        per_line = (view.text_width + 1) // (len(word) + 1)  # words of 3 cells and a space
        all_words = words(text)
        for _ in range(5):
            await pilot.press("left" if word != "abc" else "right")
        assert view.cursor == all_words[5]
        await pilot.press("down")
        assert view.cursor == all_words[5 + per_line]
        await pilot.press("down", "down")
        assert view.cursor == all_words[5 + 3 * per_line]
        await pilot.press("up")
        assert view.cursor == all_words[5 + 2 * per_line]


async def test_home_end_g_G_and_pages(tmp_path):
    text = "\n".join(" ".join(RTL_WORDS[:6]) for _ in range(120))
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        all_words = words(text)
        await pilot.press("end")
        assert view.cursor == all_words[-1]
        assert view.scroll_y > 0  # the cursor is kept on screen
        await pilot.press("home")
        assert view.cursor == all_words[0] and view.scroll_y == 0
        await pilot.press("G")
        assert view.cursor == all_words[-1]
        await pilot.press("g")
        assert view.cursor == all_words[0]
        await pilot.press("pagedown")
        line_of = text.count("\n", 0, view.cursor[0])
        assert line_of >= view.size.height - 3  # about a screenful further down
        await pilot.press("pageup")
        assert text.count("\n", 0, view.cursor[0]) <= 1


async def test_search_ignores_harakat_tatweel_and_alef_forms(tmp_path):
    text = "قال أردوغان اليوم\nإن إردوغان وبوتين\nوأضاف أَرْدوغـــان ايضا\nاردوغان"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        view = screen.view
        await pilot.press("slash")
        await pilot.press(*"اردوغان")
        await pilot.press("enter")
        starts = [text.index(w) for w in ("أردوغان", "إردوغان", "أَرْدوغـــان")] + [text.rindex("اردوغان")]
        assert len(screen.matches) == 4
        assert [m[0] for m in screen.matches] == starts
        assert view.cursor[0] == starts[0]
        await pilot.press("n")
        assert view.cursor[0] == starts[1]
        await pilot.press("n", "n", "n")  # wraps around
        assert view.cursor[0] == starts[0]
        await pilot.press("N")
        assert view.cursor[0] == starts[3]


async def test_search_folds_ya_and_ta_marbuta(tmp_path):
    text = "مستشفى المدينة\nمستشفي المدينه"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("slash", *"مستشفى المدينة", "enter")
        assert [m[0] for m in screen.matches] == [0, text.index("\n") + 1]


async def test_click_puts_the_cursor_on_the_clicked_word(tmp_path):
    text = "abc defgh ijk"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        # LTR, left-aligned: "defgh" sits at cells 4-8 of the text area.
        await pilot.click(view, offset=(view.scrollable_content_region.x - view.region.x + GUTTER + 6, 0))
        assert view.cursor == (4, 9)


async def test_click_on_rtl_text(tmp_path):
    text = "واحد اثنان"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        view = (await reader(pilot)).view
        left = view.scrollable_content_region.x - view.region.x + GUTTER
        # RTL, right-aligned: the second word is drawn at the left end of the text.
        x = left + view.text_width - len(text) + 1
        await pilot.click(view, offset=(x, 0))
        assert view.cursor == (5, 10)


async def test_library_keys_open_and_come_back(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(f"عنوان {name}\n\nنص المقال {name}", encoding="utf-8")
    from hamish.store import load_corpus

    app = HamishApp(load_corpus(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("j", "j", "k", "enter")
        assert isinstance(app.screen, ReaderScreen) and app.screen.article.id == "b"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert app.screen.article.id == "c"
        await pilot.press("left_square_bracket", "left_square_bracket")
        await pilot.pause()
        assert app.screen.article.id == "a"
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("backspace")
        assert isinstance(app.screen, LibraryScreen)


async def test_library_filter_by_title(tmp_path):
    (tmp_path / "a.txt").write_text("أردوغان يزور موسكو", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Putin speaks", encoding="utf-8")
    from textual.widgets import DataTable

    from hamish.store import load_corpus

    app = HamishApp(load_corpus(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("slash", *"اردوغان")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen) and app.screen.article.id == "a"


async def test_help_on_question_mark_and_f1(tmp_path):
    app = make_app(tmp_path, "نص")
    async with app.run_test(size=SIZE) as pilot:
        await reader(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)


async def test_reader_reopens_an_article_at_its_last_cursor(tmp_path):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(" ".join(RTL_WORDS[:8]), encoding="utf-8")
    from hamish.store import load_corpus

    app = HamishApp(load_corpus(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter", "left", "left", "left")
        cursor = app.screen.view.cursor
        await pilot.press("right_square_bracket")
        await pilot.pause()
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert app.screen.view.cursor == cursor


async def test_a_word_longer_than_a_line_is_one_cursor_word(tmp_path):
    url = "https://example.org/" + "a" * 280
    text = f"انظر {url} اليوم"
    app = make_app(tmp_path, text)
    async with app.run_test(size=SIZE) as pilot:
        screen = await reader(pilot)
        await pilot.press("slash", *"example", "enter")
        start = text.index(url)
        assert screen.view.cursor == (start, start + len(url))  # the whole word, not a window of it
        await pilot.press("left")  # past the lines the URL fills, to the next word
        assert screen.view.cursor == (text.index("اليوم"), len(text))
        await pilot.press("up")
        assert screen.view.cursor == (start, start + len(url))
        await pilot.press("down")  # not onto another line of the same word
        assert screen.view.cursor == (text.index("اليوم"), len(text))
        await pilot.press("right", "right")
        assert screen.view.cursor == (0, 4)
