"""Property tests: random mixes of Arabic, Latin, digits, brackets, punctuation, harakat, spaces."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout_checks import check_paragraph_lines
from reference import fribidi_levels, reorder_line
from hamish.tui.bidi import TextLayout

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ءأإآةىئؤ" + "لا" * 3 + "ـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
LATIN = "abcxyzABC"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"
BRACKETS = "()[]{}<>«»"
PUNCT = ".,:;!?،؛؟\"'-/%+$#@"
SPACES = "    \u00a0"
ALPHABET = ARABIC + HARAKAT + LATIN + DIGITS + BRACKETS + PUNCT + SPACES + "\n"

texts = st.text(alphabet=ALPHABET, max_size=120)
widths = st.integers(min_value=2, max_value=50)
bases = st.sampled_from(["auto", "ltr", "rtl"])
PROFILE = settings(max_examples=int(os.environ.get("HAMISH_EXAMPLES", "300")), deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROFILE
@given(texts, widths, bases)
def test_layout_invariants(text, width, base):
    layout = TextLayout(text, width, base)
    for p in layout.paragraphs:
        check_paragraph_lines(text, layout.paragraph_lines(p.index), width, p.start, p.end)


@PROFILE
@given(texts, widths)
def test_line_order_matches_fribidi_paragraph_levels(text, width):
    layout = TextLayout(text, width)
    paragraphs = layout.paragraphs
    rtl = [layout.paragraph_layout(p.index).rtl for p in paragraphs]
    levels = fribidi_levels([text[p.start : p.end] for p in paragraphs], rtl)
    for p, para_levels, is_rtl in zip(paragraphs, levels, rtl):
        for line in layout.paragraph_lines(p.index):
            s, e = line.start - p.start, line.end - p.start
            order = reorder_line(para_levels[s:e], text[line.start : line.end], int(is_rtl))
            drawn = set(line.logical)
            assert list(line.logical) == [line.start + i for i in order if line.start + i in drawn]
