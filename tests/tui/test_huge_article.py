"""The reader on a long one-line article: Home, End and PageDown land where they should, and
the lines drawn there are the lines the whole paragraph's layout gives (its levels over all of
it in one run, as before runs of levels existed). Speed and memory: bench/long_article.py."""

from __future__ import annotations

import random

from hamish.store import Corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.bidi import TextLayout, split_paragraphs
from hamish.tui.bidi.layout import Paragraphs
from hamish.tui.screens.reader import ReaderScreen

WORDS = "قال وزير الخارجية «اللبناني» في بيروت، اليوم: the budget 2026 (نعم) ١٢٣ Reuters.".split()


def _article(size: int) -> str:
    rng = random.Random(17)
    return " ".join(rng.choice(WORDS) for _ in range(size // 7))


def _whole(text: str, width: int) -> TextLayout:
    paras = split_paragraphs(text)
    one_run = Paragraphs(paras.starts, paras.ends, dict(paras._whole), {})
    return TextLayout(text, width, paragraphs=one_run)


def _shown(view, whole: TextLayout) -> None:  # type: ignore[no-untyped-def]
    """Every screen row of ``view`` is the row the whole-paragraph layout has there."""
    top = int(view.scroll_y)
    doc = view.doc
    for y in range(view.size.height):
        found = doc.line_at(top + y)
        if found is None:
            continue
        p, n = found
        got = doc.paragraph_lines(p)[n]
        want = whole.paragraph_lines(p)[n]
        assert (got.start, got.end, got.x, got.glyphs, got.logical) == (
            want.start,
            want.end,
            want.x,
            want.glyphs,
            want.logical,
        )


async def test_home_end_and_pagedown_on_a_long_one_line_article(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = _article(1_200_000)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    app = HamishApp(Corpus([load_file(path)]), db_path=str(tmp_path / "db.json"), open_first=True)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        assert len(view.doc.paragraphs) > 50
        whole = _whole(text, view.doc.width)
        last_word = text.rstrip().rsplit(" ", 1)[1]
        await pilot.press("end")
        await pilot.pause()
        assert text[view.cursor[0] : view.cursor[1]] == last_word and view.cursor[1] == len(text)
        _shown(view, whole)
        await pilot.press("home")
        await pilot.pause()
        assert view.cursor[0] == 0 and int(view.scroll_y) == 0
        _shown(view, whole)
        before = view.doc.locate(view.cursor[0])[0]
        for _ in range(3):
            await pilot.press("pagedown")
            await pilot.pause()
        after = view.doc.locate(view.cursor[0])[0]
        assert after - before >= 3 * (view.size.height - 2)
        _shown(view, whole)
        laid_out = sum(view.doc.layout.has_lines(i) for i in range(len(view.doc.paragraphs)))
        assert laid_out <= 6  # the blocks shown, not the article
