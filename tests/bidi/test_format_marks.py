"""Bidi formatting characters: honoured as UAX #9 says, and shown as marks on request.

With ``show_format`` off, lines are in the order GNU FriBidi gives (the formatting characters
themselves take no cell). With it on, each formatting character is one extra cell holding its
mark, mapped to its own offset, and everything else keeps its visual order: the spoof stays
visible and so do the characters that make it.
"""

from __future__ import annotations

import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from reference import fribidi_visual, require_fribidi, unshaped
from hamish.tui.bidi import DocumentLayout, TextLayout, layout_text

# The marks as the README documents them (written here by hand, not imported).
MARKS = {
    "\u202a": "⇢",  # LRE
    "\u202b": "⇠",  # RLE
    "\u202d": "⇛",  # LRO
    "\u202e": "⇚",  # RLO
    "\u202c": "⇞",  # PDF
    "\u2066": "⇥",  # LRI
    "\u2067": "⇤",  # RLI
    "\u2068": "⇹",  # FSI
    "\u2069": "↥",  # PDI
    "\u200e": "⇀",  # LRM
    "\u200f": "↼",  # RLM
    "\u061c": "↽",  # ALM
}

# Trojan Source (Boucher & Anderson, 2021), "commenting-out": the comment's end is shown
# before the condition, so `if (isAdmin)` looks like code but is inside the comment.
TROJAN = "/*\u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */"
SAMPLES = [
    TROJAN,
    # An Arabic price spoof: RLO makes the digits 0001 read as 1000.
    "السعر \u202e0001\u202c دولار فقط",
    # A file name spoof inside Arabic text: "gpj.exe" shown as "exe.jpg".
    "حمّل الملف صورة\u202egpj.exe\u202c الآن",
    # Every kind once: embeddings, overrides, isolates, marks.
    "a\u202bb ج\u202cc \u202dدال\u202c \u2067x y\u2069 \u2068ع\u2069 \u200e1\u200f2\u061c3 \u202aو\u202c",
]


def fribidi_vtol(line: str, rtl: bool) -> list[int]:
    """FriBidi's visual-to-logical map of one line (formatting characters included)."""
    out = subprocess.run(
        [require_fribidi(), "--vtol", "--novisual", "--nobreak", "--rtl" if rtl else "--ltr"],
        input=(line + "\n").encode(), capture_output=True, check=True,
    ).stdout.decode()
    return [int(x) for x in out.split()]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("base", ["auto", "ltr", "rtl"])
def test_hidden_format_characters_take_part_in_the_order_as_fribidi_says(text, base):
    (line,) = layout_text(text, 500, base)
    assert not line.formats
    assert not set(line.text) & set(MARKS) and not set(line.text) & set(MARKS.values())
    drawn = set(line.logical)
    # Not drawn in a cell of their own: the formatting characters, harakat (drawn on their
    # letter) and the alef of a lam-alef ligature.
    assert all(
        text[i] in MARKS or unicodedata.category(text[i]) == "Mn" or (text[i] in "اأإآ" and text[i - 1] == "ل")
        for i in set(range(len(text))) - drawn
    )
    assert list(line.logical) == [i for i in fribidi_vtol(text, line.rtl) if i in drawn]
    shown = "".join(c for c in fribidi_visual([text], [line.rtl])[0] if c not in MARKS)
    # Letters compared unshaped: under LRO FriBidi picks joining forms by visual neighbours,
    # ICU (and Hamish) by logical ones; the order is what is checked here.
    assert unshaped(line.text) == unshaped(shown)


def test_the_trojan_source_line_looks_spoofed_without_marks():
    (line,) = layout_text(TROJAN, 500, "ltr")
    # What a reader sees: the condition appears to come after the comment has ended.
    assert line.text.index("*/") < line.text.index("if (isAdmin)")


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("base", ["auto", "ltr", "rtl"])
def test_shown_marks_are_one_cell_each_at_their_own_offset_and_keep_the_order(text, base):
    (off,) = layout_text(text, 500, base)
    (on,) = layout_text(text, 500, base, show_format=True)
    controls = [i for i, ch in enumerate(text) if ch in MARKS]
    assert controls
    # Every formatting character appears exactly once, as its own mark, in one cell.
    assert sorted(on.logical[k] for k in on.formats) == controls
    for i in controls:
        (k,) = [k for k, j in enumerate(on.logical) if j == i]
        assert k in on.formats
        assert on.glyphs[k] == MARKS[text[i]]
        assert on.widths[k] == 1 and cell_len(on.glyphs[k]) == 1
        assert on.logical_at(on.columns[k]) == i and on.column_of(i) == on.columns[k]
    for k, i in enumerate(on.logical):
        assert (k in on.formats) == (text[i] in MARKS)
    # The rest keeps the visual order it has with the marks hidden (levels are the same).
    assert [i for i in on.logical if text[i] not in MARKS] == list(off.logical)
    assert [g for k, g in enumerate(on.glyphs) if k not in on.formats] == list(off.glyphs)
    assert on.cell_width == off.cell_width + len(controls)
    assert on.rtl == off.rtl


def test_trojan_source_with_marks_shows_the_hidden_controls_in_the_spoofed_order():
    (on,) = layout_text(TROJAN, 500, "ltr", show_format=True)
    assert on.text.count("⇚") == 1 and on.text.count("⇥") == 2 and on.text.count("↥") == 1
    assert on.text.index("*/") < on.text.index("if (isAdmin)")  # the spoof is still shown


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list(MARKS) + list("ab عربي 12(]") + ["\u064e"]), max_size=40),
    st.integers(1, 25),
    st.sampled_from(["auto", "ltr", "rtl"]),
)
def test_marks_wrap_like_any_one_cell_character(text, width, base):
    layout = TextLayout(text, width, base, show_format=True)
    hidden = TextLayout(text, width, base)
    for p in layout.paragraphs:
        lines = layout.paragraph_lines(p.index)
        assert lines[0].start == p.start and lines[-1].end == p.end
        marks_seen = []
        for line in lines:
            assert line.cell_width <= width or len(line.widths) == 1
            col = line.x
            for k, (c, w) in enumerate(zip(line.columns, line.widths)):
                assert c == col and w >= 1
                col += w
                if k in line.formats:
                    assert line.glyphs[k] == MARKS[text[line.logical[k]]] and w == 1
                    marks_seen.append(line.logical[k])
        # Each mark drawn once (marks are not whitespace: they never hang off a line's end).
        assert sorted(marks_seen) == [i for i in range(p.start, p.end) if text[i] in MARKS]
        assert layout.paragraph_layout(p.index).rtl == hidden.paragraph_layout(p.index).rtl


def test_document_toggle_shares_levels_and_keeps_both_layouts():
    text = "\n".join(SAMPLES * 3)
    doc = DocumentLayout(TextLayout(text, 40))
    assert doc.show_format is False and doc.with_format_shown(False) is doc
    shown = doc.with_format_shown(True)
    assert shown.show_format is True and shown.width == 40
    first = [shown.line(y) for y in range(6)]
    assert sum(len(line.formats) for line in first) > 0
    back = shown.with_format_shown(False)
    assert back.layout.paragraph_layout(0) is doc.layout.paragraph_layout(0)  # kept, not redone
    assert shown.with_format_shown(False).with_format_shown(True).layout.paragraph_layout(0) is (
        shown.layout.paragraph_layout(0)
    )
    narrow = shown.at_width(20)
    assert narrow.show_format is True and narrow.layout.paragraph_layout(0) is shown.layout.paragraph_layout(0)
    assert not any(line.formats for line in TextLayout(text, 40).lines)
