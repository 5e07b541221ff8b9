"""Unit tests of the layout engine on small, deliberate texts."""

from __future__ import annotations

import pytest

from layout_checks import check_paragraph_lines
from reference import fribidi_visual
from hamish.tui.bidi import ParagraphLayout, TextLayout, layout_text, split_paragraphs, visual_order

SAMPLES = [
    "قال الرئيس (نعم) ثم [لا] {ربما}",  # brackets are mirrored in RTL text
    "بَيْتٌ مُحَمَّدٌ كِتَابٌ",  # harakat, shadda
    "لا سلام الأزمة إلى آخر الاتفاق",  # lam-alef ligatures of every alef
    "العدد 123 من 4,567 في 2021/10/7",  # European digits in Arabic
    "اتصل بـ Anadolu Agency (AR) اليوم",  # Latin run with brackets inside RTL
    "١٨ فبراير ٢٠٢١",  # Arabic-Indic digits
    "Hello عربي world",  # LTR paragraph with an Arabic word
    "ـــ تطويل ـــ",  # tatweel
]


@pytest.mark.parametrize("text", SAMPLES)
def test_single_lines_match_fribidi(text):
    line = layout_text(text, 200)[0]
    assert line.end == len(text)
    assert line.text == fribidi_visual([text], [line.rtl])[0]


@pytest.mark.parametrize(
    "text, rtl",
    [
        ("abc عربي", False),
        ("عربي abc", True),
        ("123 456", False),  # no strong character: LTR
        ("123 عربي abc", True),  # digits are weak: the first strong character is Arabic
        ("\u2066abc\u2069 عربي", True),  # P2 skips text inside an isolate
        ("", False),
    ],
)
def test_base_direction_from_first_strong_character(text, rtl):
    assert ParagraphLayout(text).rtl is rtl


def test_forced_direction():
    assert ParagraphLayout("abc", "rtl").rtl is True
    assert ParagraphLayout("عربي", "ltr").rtl is False
    with pytest.raises(ValueError):
        ParagraphLayout("abc", "up")


def test_visual_order_plain():
    # Hebrew letters are strong R: the RTL run is reversed, the LTR run kept.
    assert visual_order("ab \u05d0\u05d1", "ltr") == [0, 1, 2, 4, 3]
    assert visual_order("ab \u05d0\u05d1", "rtl") == [4, 3, 2, 0, 1]


def test_lam_alef_is_one_cell_for_two_characters():
    line = layout_text("لا", 10)[0]
    assert line.glyphs == ("\ufefb",)  # LAM WITH ALEF ISOLATED FORM
    assert line.column_of(0) == line.column_of(1) == 9
    assert line.logical_at(9) == 0
    assert line.logical_at(8) is None  # padding


def test_harakat_follow_their_letter_in_the_output():
    text = "بَيْتٌ"
    line = layout_text(text, 10)[0]
    # RTL: the last letter (teh + dammatan) is drawn first, each letter with its own mark.
    assert line.glyphs == ("\ufe96\u064c", "\ufef4\u0652", "\ufe91\u064e")
    assert [line.column_of(i) for i in range(len(text))] == [9, 9, 8, 8, 7, 7]


def test_mark_with_no_letter_is_drawn_on_a_dotted_circle():
    line = layout_text("\u064e", 5)[0]
    assert line.text == "\u25cc\u064e"


def test_non_bmp_characters_keep_code_point_offsets():
    text = "😀 عربي 𝐀"
    line = layout_text(text, 40)[0]
    check_paragraph_lines(text, [line], 40, 0, len(text))
    assert line.glyphs[0] == "𝐀" and line.glyphs[-1] == "😀"
    assert line.widths[-1] == 2
    assert line.column_of(0) == 38


def test_controls_never_reach_the_terminal_raw():
    text = "a\x1b[31mred\x1b]52;c;AAAA\x07 \x7f\x85x\x9b"
    lines = layout_text(text, 80)
    shown = "".join(line.text for line in lines)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert "\u241b[31mred" in shown and "\u2407" in shown and "\u2421" in shown
    # NEL (U+0085) separates paragraphs (rule P1); C1 CSI shows as a replacement character.
    assert len(lines) == 2 and lines[1].text == "x\ufffd"


def test_paragraphs_split_at_separators_and_crlf():
    text = "a\r\nb\nc\rd\u2029e"
    assert [(p.start, p.end) for p in split_paragraphs(text)] == [(0, 1), (3, 4), (5, 6), (7, 8), (9, 10)]
    assert [line.text for line in layout_text(text, 5)] == ["a", "b", "c", "d", "e"]


def test_blank_paragraphs_are_kept():
    lines = layout_text("عربي\n\n\nabc", 10)
    assert [line.text for line in lines] == ["ﻲﺑﺮﻋ", "", "", "abc"]


def test_wrapping_breaks_only_between_words():
    text = "one two three four five six seven"
    lines = layout_text(text, 10)
    assert [text[l.start : l.end] for l in lines] == ["one two ", "three four ", "five six ", "seven"]
    # A space that ends a full line hangs: it belongs to the line but takes no cell.
    assert [l.text for l in lines] == ["one two ", "three four", "five six ", "seven"]


def test_only_words_longer_than_the_width_are_split():
    text = "ab abcdefghijklmnop cd"
    lines = layout_text(text, 6)
    assert [text[l.start : l.end] for l in lines] == ["ab ", "abcdef", "ghijkl", "mnop ", "cd"]


def test_a_long_arabic_word_is_split_between_letters_not_inside_ligature_or_marks():
    text = "مُسْتَشْفَيَاتٌلالالا"
    width = 4
    lines = ParagraphLayout(text).lines(width)
    check_paragraph_lines(text, lines, width, 0, len(text))
    for line in lines[1:]:
        assert text[line.start] not in "\u064b\u064c\u064e\u064f\u0650\u0651\u0652\u0627"


def test_rtl_lines_are_right_aligned_ltr_left_aligned():
    lines = layout_text("عربي\nabc", 10)
    assert lines[0].padded(10) == "      ﻲﺑﺮﻋ"
    assert lines[1].padded(10) == "abc       "


def test_locate_is_the_inverse_of_logical_at():
    text = "الرئيس قال: «نعم» and then 42 words.\nسطر ثانٍ"
    layout = TextLayout(text, 12)
    lines = layout.lines
    for i, ch in enumerate(text):
        if ch == "\n":
            continue
        p, n, col = layout.locate(i)
        line = layout.paragraph_lines(p)[n]
        if not ch.isspace():
            assert line.logical_at(col) == line.heads[i - line.start]
    assert sum(len(layout.paragraph_lines(p.index)) for p in layout.paragraphs) == len(lines)


def test_a_new_width_reuses_shaping_and_levels_and_wraps_like_a_fresh_layout():
    text = "الرئيس قال: «نعم» and then 42 words.\n\nسطر ثانٍ " * 5
    wide = TextLayout(text, 60)
    wide.lines  # every paragraph shaped at 60
    narrow = wide.at_width(17)
    assert narrow.paragraph_layout(0) is wide.paragraph_layout(0)  # not shaped again
    fresh = TextLayout(text, 17)
    assert [(l.start, l.end, l.glyphs, l.columns) for l in narrow.lines] == [
        (l.start, l.end, l.glyphs, l.columns) for l in fresh.lines
    ]
    assert [l.glyphs for l in wide.lines] == [l.glyphs for l in TextLayout(text, 60).lines]


def test_past_end_and_the_position_of_a_paragraph_separator():
    ltr = layout_text("abc", 10)[0]
    rtl = layout_text("عربي", 10)[0]
    assert ltr.past_end() == 3  # right of the last cell
    assert rtl.past_end() == 5  # left of the first cell (the text fills columns 6-9)
    assert layout_text("", 10)[0].past_end() == 0
    # The separator after a full LTR line stays inside the layout; after RTL text, left of it.
    assert TextLayout("abc\nd", 3).locate(3) == (0, 0, 2)
    assert TextLayout("عربي\nd", 10).locate(4) == (0, 0, 5)
    # Whitespace hanging off a full line maps past the line's reading end.
    line = layout_text("abcd efgh", 4)[0]
    assert line.end == 5 and line.column_of(4) == line.past_end() == 4
