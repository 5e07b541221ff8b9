"""Hostile text: escape sequences and control characters never leave the engine raw.

Every glyph the engine emits is free of C0 controls (U+0000-U+001F), DEL and C1 controls
(U+0080-U+009F); each control shows as one visible cell that maps back to its own offset.
The placeholders expected here are written out by hand from the README's promise (Control
Pictures for C0 and DEL, U+FFFD for C1, a space for a tab), not taken from the engine.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from hamish.tui.bidi import DocumentLayout, TextLayout, fit_line, layout_text

FORBIDDEN = frozenset(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)])
# Paragraph separators (bidi class B) end a paragraph: they are never drawn at all.
SEPARATORS = frozenset("\n\r\x1c\x1d\x1e\x85")

ESC = "\x1b"
BEL = "\x07"
SEQUENCES = {
    "sgr colour": f"{ESC}[31mأحمر{ESC}[0m",
    "clear screen": f"{ESC}[2J{ESC}[H",
    "osc 52 clipboard write": f"{ESC}]52;c;ZXZpbA=={BEL}",
    "osc 8 link": f"{ESC}]8;;https://evil.example/{ESC}\\اضغط هنا{ESC}]8;;{ESC}\\",
    "osc 0 title": f"{ESC}]0;pwned{BEL}",
    "osc 2 title, ST": f"{ESC}]2;pwned{ESC}\\",
    "c1 csi": "\x9b31m\x9b2J",
    "c1 osc": "\x9d0;pwned\x9c",
    "dcs": f"{ESC}P+q544e{ESC}\\",
    "del": "abc\x7f\x7fd",
}
ALL_CONTROLS = "".join(
    chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)] if chr(c) not in SEPARATORS
)


def placeholder(ch: str) -> str:
    """What the README promises a control shows as."""
    o = ord(ch)
    if ch == "\t":
        return " "
    if o < 0x20:
        return chr(0x2400 + o)  # SYMBOL FOR NULL ... SYMBOL FOR UNIT SEPARATOR
    if o == 0x7F:
        return "\u2421"  # SYMBOL FOR DELETE
    if 0x80 <= o < 0xA0:
        return "\ufffd"
    raise AssertionError(hex(o))


def check_hostile(text: str, layout: TextLayout) -> None:
    seen: set[int] = set()
    for p in layout.paragraphs:
        for line in layout.paragraph_lines(p.index):
            assert not FORBIDDEN & set(line.text), [hex(ord(c)) for c in line.text if c in FORBIDDEN]
            assert cell_len(line.text) == line.cell_width
            for k, i in enumerate(line.logical):
                assert cell_len(line.glyphs[k]) == line.widths[k]
                if text[i] in FORBIDDEN:
                    # Its own cell: one column, its own offset, the promised placeholder.
                    # (A combining mark that follows the control is drawn on it.)
                    glyph = line.glyphs[k]
                    assert glyph[0] == placeholder(text[i]), (i, hex(ord(text[i])))
                    assert all(unicodedata.category(c) in ("Mn", "Me") for c in glyph[1:])
                    assert line.widths[k] == 1
                    assert line.logical_at(line.columns[k]) == i
                    assert line.column_of(i) == line.columns[k]
                    seen.add(i)
    # Every control is drawn (none swallowed into a neighbour's cell), except separators and
    # whitespace controls (tab, VT, FF, US...) hanging off the end of a full line, as spaces do.
    for i, ch in enumerate(text):
        if ch in FORBIDDEN and ch not in SEPARATORS and i not in seen:
            assert ch.isspace(), (i, hex(ord(ch)))
            line = next(l for l in layout.lines if l.start <= i < l.end)
            assert line.cell_width >= layout.width - 1 and all(
                c.isspace() or c in "\u202e\u2067" for c in text[i : line.end]
            ), (i, hex(ord(ch)))


@pytest.mark.parametrize("name", sorted(SEQUENCES))
@pytest.mark.parametrize("base", ["auto", "ltr", "rtl"])
@pytest.mark.parametrize("width", [1, 5, 40, 200])
def test_escape_sequences_are_drawn_as_placeholders(name, base, width):
    text = f"قال الوزير {SEQUENCES[name]} ثم غادر. Then {SEQUENCES[name]} left."
    for show_format in (False, True):
        check_hostile(text, TextLayout(text, width, base, show_format=show_format))


def test_an_ltr_ascii_line_reads_as_the_text_with_placeholders():
    """In a plain LTR line visual order is logical order: the whole line is predictable."""
    for name, seq in SEQUENCES.items():
        if any("\u0600" <= c <= "\u06ff" for c in seq):
            continue
        text = f"before {seq} after"
        (line,) = layout_text(text, 500, "ltr")
        assert line.text == "".join(placeholder(c) if c in FORBIDDEN else c for c in text), name
        assert list(line.logical) == list(range(len(text)))


def test_every_control_character_is_one_cell_at_its_own_offset():
    text = "x".join(ALL_CONTROLS) + " عربي " + "ي".join(ALL_CONTROLS)
    for width in (3, 80):
        check_hostile(text, TextLayout(text, width))
    (line,) = layout_text(ALL_CONTROLS, 500, "ltr")
    assert line.text == "".join(placeholder(c) for c in ALL_CONTROLS)
    assert line.widths == (1,) * len(ALL_CONTROLS)


def test_controls_between_a_letter_and_its_harakat_stay_one_cell_each():
    text = "ب\x1b\u064e ت\x9b\u0651"
    check_hostile(text, TextLayout(text, 20))


def test_separators_split_paragraphs_and_are_never_drawn():
    text = "a\x1cb\x1dc\x1ed\x85e\r\nf\rg"
    lines = layout_text(text, 20)
    assert [line.text for line in lines] == list("abcdefg")


def test_titles_and_labels_never_carry_controls():
    for seq in SEQUENCES.values():
        for width in (1, 10, 60):
            shown = fit_line(f"عنوان {seq} خبر", width)
            assert not FORBIDDEN & set(shown)
            assert cell_len(shown) == width


def test_document_layout_of_a_hostile_article():
    text = "\n".join(f"{name}: {seq} نص عربي" for name, seq in SEQUENCES.items())
    doc = DocumentLayout(TextLayout(text, 30))
    y = 0
    while (line := doc.line(y)) is not None:
        assert not FORBIDDEN & set(line.text)
        y += 1
    check_hostile(text, doc.layout)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list(ALL_CONTROLS) + list("ab عربي[];") + ["\u202e", "\u2067"]), max_size=60),
    st.integers(1, 30),
    st.booleans(),
)
def test_random_control_soup(text, width, show_format):
    check_hostile(text, TextLayout(text, width, show_format=show_format))
