"""The reader's text model without Textual: where the word cursor goes on screen in right-to-left,
left-to-right and mixed lines, and the selection value. Each test lays out a few lines with the
engine and runs in milliseconds."""

from __future__ import annotations

import re

import pytest

from hamish.tui.bidi import DocumentLayout, TextLayout
from hamish.tui.textmodel import Navigator, Selection, Words, sentence_range

RTL_WORDS = ["واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة", "عشرة"] * 3
LTR_WORDS = [f"word{i}" for i in range(30)]


def words_of(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def model(text: str, width: int = 30, reorder: bool = True) -> Navigator:
    words = Words(text)
    layout = DocumentLayout(TextLayout(text, width, reorder=reorder, paragraphs=words.paragraphs))
    return Navigator(words, layout, reorder=reorder)


def walk(nav: Navigator, direction: int) -> list[tuple[int, int]]:
    word = nav.words.first()
    assert word is not None
    seen = [word]
    while (word := nav.beside(word, direction)) is not None:
        seen.append(word)
        assert len(seen) <= 1000
    return seen


def test_left_goes_forward_through_rtl_lines_and_right_comes_back():
    text = " ".join(RTL_WORDS)
    nav = model(text)
    assert nav.layout.line_count >= 4  # the walk crosses line ends
    assert walk(nav, -1) == words_of(text)  # reading order, line after line; stops at the end
    last = words_of(text)[-1]
    assert nav.beside(last, +1) == words_of(text)[-2]
    assert nav.beside(words_of(text)[0], +1) is None  # nothing before the first word


def test_right_goes_forward_through_ltr_lines():
    text = " ".join(LTR_WORDS)
    nav = model(text)
    assert nav.layout.line_count >= 4
    assert walk(nav, +1) == words_of(text)
    assert nav.beside(words_of(text)[0], -1) is None


def test_a_latin_run_in_an_rtl_line_is_walked_in_screen_order():
    text = "قال John Smith اليوم"
    nav = model(text, 40)
    w = {text[s:e]: (s, e) for s, e in words_of(text)}
    # On screen (left to right): اليوم John Smith قال
    assert [text[s:e] for s, e in (x.word for x in nav.line_words(0))] == [
        "اليوم",
        "John",
        "Smith",
        "قال",
    ]
    assert nav.beside(w["قال"], -1) == w["Smith"]
    assert nav.beside(w["Smith"], -1) == w["John"]
    assert nav.beside(w["John"], -1) == w["اليوم"]
    assert nav.forward_on_screen(w["John"], -1)  # the line is right-to-left


def test_an_arabic_run_in_an_ltr_line_is_walked_in_screen_order():
    text = "He said مرحبا بكم today"
    nav = model(text, 40)
    w = {text[s:e]: (s, e) for s, e in words_of(text)}
    # On screen: He said بكم مرحبا today
    assert nav.beside(w["said"], +1) == w["بكم"]
    assert nav.beside(w["بكم"], +1) == w["مرحبا"]
    assert nav.beside(w["مرحبا"], +1) == w["today"]
    assert not nav.forward_on_screen(w["بكم"], -1)  # the line is left-to-right


def test_without_reordering_every_line_reads_left_to_right():
    text = " ".join(RTL_WORDS[:6])
    nav = model(text, 40, reorder=False)
    assert walk(nav, +1) == words_of(text)


def columns_of(nav: Navigator, y: int, word: tuple[int, int]) -> list[int]:
    line = nav.layout.line(y)
    assert line is not None
    return [c for i, c in zip(line.logical, line.columns, strict=True) if word[0] <= i < word[1]]


@pytest.mark.parametrize("words", [RTL_WORDS, LTR_WORDS], ids=["rtl", "ltr"])
def test_up_and_down_go_to_the_nearest_word_in_column_on_the_next_line(words):
    text = " ".join(words)
    nav = model(text)
    start = nav.line_words(1)[1].word  # on the second line
    goal = nav.goal_column(start)
    assert min(columns_of(nav, 1, start)) <= goal <= max(columns_of(nav, 1, start))
    for step, y in ((+1, 2), (-1, 0)):
        found = nav.above_below(start, step, goal)
        assert found is not None and nav.line_of(found) == y
        distance = {
            w.word: min(abs(c - goal) for c in columns_of(nav, y, w.word))
            for w in nav.line_words(y)
        }
        assert distance[found] == min(distance.values())
    first_line = nav.line_words(0)[0].word
    assert nav.above_below(first_line, -1, 0) is None


def test_up_and_down_skip_empty_lines():
    text = "كلمة أولى\n\n\nكلمة أخيرة"
    nav = model(text)
    first = words_of(text)[0]
    found = nav.above_below(first, +1, nav.goal_column(first))
    assert found is not None and text[found[0] : found[1]] == "كلمة"
    assert nav.line_of(found) == 3


def test_a_page_goes_a_screenful_of_lines():
    text = "\n".join(f"سطر {n}" for n in range(20))
    nav = model(text)
    start = words_of(text)[0]
    found = nav.page(start, +1, 5, nav.goal_column(start))
    assert found is not None and nav.line_of(found) == 5
    assert nav.page(found, -1, 5, nav.goal_column(found)) is not None
    end = nav.page(start, +1, 500, 0)
    assert end is not None and nav.line_of(end) == 19


def test_a_word_longer_than_a_line_is_left_for_the_next_word():
    text = "قصير " + "ط" * 70 + " آخر"
    nav = model(text, 30)
    w = words_of(text)
    assert nav.beside(w[1], -1) == w[2]  # not the long word's own second line
    assert nav.above_below(w[1], +1, 0) == w[2]


# --- the selection value ---------------------------------------------------------------------

TEXT = "وقال الوزير إن الاتفاق تاريخي. ثم غادر"
W = words_of(TEXT)


def test_a_selection_grows_from_its_anchor_and_shrinks_back():
    s = Selection.at(W[1])
    assert s.range == W[1] and s.moving_end
    s = s.to(W[3])
    assert s.range == (W[1][0], W[3][1]) and s.moving_end
    s = s.to(W[0])  # past the anchor: the start moves now
    assert s.range == (W[0][0], W[1][1]) and not s.moving_end


def test_nudges_move_the_moving_end_by_a_character_and_stay_in_the_cursor_word():
    s = Selection.at(W[0]).swapped()  # one word, its start moving
    assert not s.moving_end
    s = s.nudged(+1, len(TEXT))  # و of وقال cut off
    assert TEXT[s.start : s.end] == "قال"
    for _ in range(10):
        s = s.nudged(+1, len(TEXT))
    assert s.start == W[0][1] - 1  # never past the cursor's word: one character is left
    s = Selection.at(W[1]).nudged(-1, len(TEXT))
    assert TEXT[s.start : s.end] == "الوزي"
    s = Selection.at(W[-1]).nudged(+1, len(TEXT))
    assert s.range == W[-1]  # not past the text's end


def test_the_nudge_of_the_end_that_moves_on_is_dropped():
    s = Selection.at(W[1]).nudged(-1, len(TEXT)).swapped().nudged(+1, len(TEXT))
    assert TEXT[s.start : s.end] == "لوزي"
    s = s.to(W[0])  # the start moved on a word: its nudge goes, the end's stays
    assert s.range == (W[0][0], W[1][1] - 1)
    s = s.to(W[2])  # crossed the anchor: the ends change roles, no nudge is left
    assert s.range == (W[1][0], W[2][1])


def test_swapping_ends_keeps_the_range():
    s = Selection.at(W[1]).to(W[3])
    t = s.swapped()
    assert t.range == s.range and t.cursor == W[1] and not t.moving_end


def test_covering_selects_an_exact_range_inside_words():
    words = Words(TEXT)
    start, end = TEXT.index("قال"), TEXT.index("تاريخي") + 3
    s = Selection.covering(start, end, words)
    assert s is not None and s.range == (start, end)
    assert s.anchor == W[0] and s.cursor == W[4]
    assert Selection.covering(3, 3, words) is None


def test_sentence_range_ends_at_the_full_stop_and_the_paragraph():
    words = Words(TEXT)
    assert sentence_range(words, W[2]) == (W[0], W[4])
    assert sentence_range(words, W[5]) == (W[5], W[6])
    assert sentence_range(words, (0, 2)) is None  # not a word
