"""The seeds laid out at 40, 60 and 100 cells: invariants, and agreement with GNU FriBidi."""

from __future__ import annotations

import pytest

from layout_checks import check_paragraph_lines
from reference import fribidi_levels, fribidi_line_references, reorder_line
from hamish.store import load_corpus
from hamish.tui.bidi import TextLayout

ARTICLES = list(load_corpus())
WIDTHS = (40, 60, 100)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_invariants(article, width):
    layout = TextLayout(article.text, width)
    for p in layout.paragraphs:
        check_paragraph_lines(article.text, layout.paragraph_lines(p.index), width, p.start, p.end)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_visual_order_follows_paragraph_levels_from_fribidi(article, width):
    """Each line is reordered with its paragraph's levels (UAX #9 3.4), as FriBidi resolves them."""
    text = article.text
    layout = TextLayout(text, width)
    paragraphs = layout.paragraphs
    rtl = [layout.paragraph_layout(p.index).rtl for p in paragraphs]
    levels = fribidi_levels([text[p.start : p.end] for p in paragraphs], rtl)
    checked = 0
    for p, para_levels, is_rtl in zip(paragraphs, levels, rtl):
        assert len(para_levels) == p.end - p.start
        for line in layout.paragraph_lines(p.index):
            s, e = line.start - p.start, line.end - p.start
            order = reorder_line(para_levels[s:e], text[line.start : line.end], int(is_rtl))
            drawn = set(line.logical)
            expected = [line.start + i for i in order if line.start + i in drawn]
            assert list(line.logical) == expected, (p.index, line.start)
            checked += 1
    assert checked >= len(paragraphs)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_lines_read_as_fribidi_shows_them(article, width):
    """Glyph for glyph, a line is what `fribidi --nopad --nobreak --reordernsm` prints for its words.

    The one allowed difference: a line whose words FriBidi, seeing them alone, resolves to other
    levels than the whole paragraph gives them (a Latin phrase continuing from the line before).
    """
    text = article.text
    layout = TextLayout(text, width)
    lines = layout.lines
    same = 0
    for line, (want, context_differs) in zip(lines, fribidi_line_references(text, layout, lines)):
        if line.text.strip() == want.strip():
            same += 1
        else:
            assert context_differs, (line.start, line.text, want)
    assert same >= 0.95 * len(lines)
