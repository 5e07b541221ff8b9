"""DocumentLayout: lazy numbering of screen lines must end up the same as laying out everything."""

from __future__ import annotations

from hamish.store import load_corpus
from hamish.tui.bidi import DocumentLayout, TextLayout

TEXT = "\n".join(a.text for a in load_corpus())


def all_lines(doc: DocumentLayout) -> list:
    """Lines asked for one by one, as a viewer paints them, until there are no more."""
    lines, y = [], 0
    while (line := doc.line(y)) is not None:
        lines.append(line)
        y += 1
    return lines


def test_lazy_numbering_agrees_with_the_full_layout_wherever_it_starts():
    full = TextLayout(TEXT, 37).lines
    for where in (0.0, 0.5, 1.0):
        doc = DocumentLayout(TextLayout(TEXT, 37))
        start = int(where * (doc.line_count - 1))  # by the estimates, as a scroll or End sees them
        assert doc.line(start) is not None
        shown = all_lines(doc)
        assert doc.line_count == len(full)  # every estimate has become the real count
        assert [(l.start, l.end, l.glyphs) for l in shown] == [(l.start, l.end, l.glyphs) for l in full]
        assert doc.line(len(full)) is None and doc.line(-1) is None


def test_only_what_is_asked_for_is_laid_out():
    doc = DocumentLayout(TextLayout(TEXT * 20, 80))
    for y in range(40):
        doc.line(y)
    assert len(doc.layout._layouts) < len(doc.paragraphs) // 50


def test_locate_gives_the_line_number_and_column_of_a_word():
    doc = DocumentLayout(TextLayout(TEXT, 50))
    index = TEXT.index("إدلب", len(TEXT) // 2)
    y, column = doc.locate(index)  # numbered with the estimates as they stand, like line()
    line = doc.line(y)
    assert line.start <= index < line.end
    assert line.logical_at(column) == index


def test_at_width_rewraps_and_keeps_paragraph_layouts():
    doc = DocumentLayout(TextLayout(TEXT, 100))
    doc.line(0)
    narrow = doc.at_width(40)
    assert narrow.width == 40 and narrow.layout.paragraph_layout(0) is doc.layout.paragraph_layout(0)
    assert [l.glyphs for l in all_lines(narrow)] == [l.glyphs for l in TextLayout(TEXT, 40).lines]


def test_estimates_that_overcount_vocalised_text_are_corrected():
    # Harakat take characters but no cells: the length-based estimate is about twice too high.
    text = "\n".join(["بَيْتٌ كَبِيرٌ " * 30, "abc", "مُحَمَّدٌ رَسُولٌ " * 40, "xyz"])
    full = TextLayout(text, 30).lines
    for where in (0.0, 0.4, 0.9):
        doc = DocumentLayout(TextLayout(text, 30))
        assert doc.line_count > len(full)  # the estimate overcounts before anything is shown
        doc.line(int(where * (doc.line_count - 1)))
        assert [(l.start, l.glyphs) for l in all_lines(doc)] == [(l.start, l.glyphs) for l in full]
