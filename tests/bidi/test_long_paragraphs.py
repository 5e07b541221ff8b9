"""Very long paragraphs are laid out in blocks: bounded work per screen, exact bidi levels.

The rule (tui.bidi.layout): a paragraph longer than MAX_BLOCK code points is cut after the
last whitespace before each MAX_BLOCK boundary (or, in one huge word, between two cell
clusters); each block starts a screen line; the levels are those of the whole paragraph.
Most checks use a small ``max_block`` so that FriBidi can be the reference.
"""

from __future__ import annotations

import random
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from layout_checks import check_paragraph_lines
from reference import fribidi_levels, reorder_line
from hamish.tui.bidi import DocumentLayout, TextLayout, split_paragraphs
from hamish.tui.bidi._icu import ParagraphBidi
from hamish.tui.bidi.layout import MAX_BLOCK, block_cuts

WORDS = "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة ستجتمع غداً لبحث the budget 2026 (نعم)".split()


def article(size_bytes: int, words=WORDS, seed: int = 1) -> str:
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size_bytes:
        w = rng.choice(words)
        parts.append(w)
        n += len(w.encode()) + 1
    return " ".join(parts)[: size_bytes]


def test_short_paragraphs_are_not_cut():
    text = "a" * 100 + "\n" + "ب " * 50
    paras = split_paragraphs(text, max_block=200)
    assert not paras.has_blocks
    assert [(p.start, p.end) for p in paras] == [(0, 100), (101, 201)]


def test_a_long_paragraph_is_cut_after_whitespace_into_bounded_blocks():
    text = "عنوان\n" + article(100_000) + "\nخاتمة"
    paras = split_paragraphs(text)
    assert paras.has_blocks
    whole = (6, len(text) - len("\nخاتمة"))
    blocks = [p for p in paras if paras.whole(p.index) == whole]
    assert len(blocks) > 2
    assert blocks[0].start == whole[0] and blocks[-1].end == whole[1]
    for a, b in zip(blocks, blocks[1:]):
        assert a.end == b.start  # contiguous: no separator between blocks
        assert text[a.end - 1].isspace() and not text[a.end].isspace()  # cut after whitespace
    for b in blocks:
        assert b.end - b.start <= MAX_BLOCK
    assert paras.whole(0) == (0, 5) and paras.whole(len(paras) - 1) == (len(text) - 5, len(text))
    assert paras.index_of(blocks[1].start) == blocks[1].index


def test_one_huge_word_is_cut_between_clusters():
    word = "بَّ" * 30 + "لا" * 30 + "👨\u200d👩\u200d👧" * 20  # marks, lam-alef, ZWJ sequences
    for max_block in (7, 10, 13, 64):
        cuts = block_cuts(word, 0, len(word), max_block)
        assert cuts and all(b - a <= max_block for a, b in zip([0, *cuts], [*cuts, len(word)]))
        for c in cuts:
            assert unicodedata.category(word[c]) not in ("Mn", "Cf")
            assert word[c - 1] != "\u200d" and not (word[c - 1] == "ل" and word[c] == "ا")


LONG_ALPHABET = "ابتثلا" + "\u064e\u0651" + "abcXY" + "0123٠١" + "()[]«»" + ".,!؟" + "  " + "\u202b\u202e\u202c\u2067\u2069\u200f"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=LONG_ALPHABET, min_size=1, max_size=300),
    st.integers(8, 40),
    st.integers(3, 30),
)
@example("0000\u2067X\u2069\u2067[0", 8, 3)
# A bracket pair across a cut: N0 resolves "(" by the "a" inside it, after the cut (found by
# this test at random; the cut was taken as separable and "(0" came out reversed).
@example("000000000000a\u061f(0a)", 8, 3)
def test_blocks_keep_the_levels_of_the_whole_paragraph(text, max_block, width):
    """Each line of each block is ordered by the levels FriBidi gives the WHOLE paragraph:
    cutting into blocks never changes direction, embeddings or overrides across a cut."""
    paras = split_paragraphs(text, max_block=max_block)
    layout = TextLayout(text, width, paragraphs=paras)
    wholes = sorted({paras.whole(p.index) for p in paras})
    rtl = {w: layout.paragraph_layout(next(p.index for p in paras if paras.whole(p.index) == w)).rtl for w in wholes}
    # The whole paragraph's levels, from ICU in one piece. (Not FriBidi's: the two differ on a
    # few unmatched isolates, e.g. "0000⁧X⁩⁧[0" — that is the conformance tests' business;
    # this one checks that cutting into blocks never changes a level.)
    levels = {w: ParagraphBidi(text[w[0] : w[1]], "rtl" if rtl[w] else "ltr").levels(0, w[1] - w[0]) for w in wholes}
    for p in paras:
        w = paras.whole(p.index)
        assert layout.paragraph_layout(p.index).rtl == rtl[w]  # one direction for all blocks
        lines = layout.paragraph_lines(p.index)
        check_paragraph_lines(text, lines, width, p.start, p.end)
        for line in lines:
            s, e = line.start - w[0], line.end - w[0]
            order = reorder_line(levels[w][s:e], text[line.start : line.end], int(rtl[w]))
            drawn = set(line.logical)
            assert list(line.logical) == [line.start + i for i in order if line.start + i in drawn]


def test_blocks_lay_out_like_the_text_cut_there():
    """Apart from the line break a cut forces, a block is laid out as its own text is."""
    text = article(40_000)
    paras = split_paragraphs(text)
    first = paras[0]
    alone = TextLayout(text[: first.end], 100).lines
    blocked = TextLayout(text, 100, paragraphs=paras).paragraph_lines(0)
    assert [(l.start, l.end, l.glyphs, l.columns) for l in blocked] == [
        (l.start, l.end, l.glyphs, l.columns) for l in alone
    ]


def _first_screen(text: str, width: int = 100, rows: int = 40):
    t = time.perf_counter()
    doc = DocumentLayout(TextLayout(text, width))
    lines = [doc.line(y) for y in range(rows)]
    return doc, lines, time.perf_counter() - t


def test_five_megabytes_on_one_line_opens_on_its_first_screen_quickly():
    text = article(5_000_000)
    assert "\n" not in text and len(text.encode()) >= 4_999_990
    doc, lines, seconds = _first_screen(text)
    assert all(line is not None for line in lines)
    laid_out = sum(len(pl.text) for pl in doc.layout._layouts.values())
    assert laid_out <= 2 * MAX_BLOCK, laid_out  # a block or two, not 3 million characters
    assert seconds < 5, f"first screen took {seconds:.2f} s"  # sanity bound; see bench.long_article
    # The end is reachable without laying out what is in between.
    y, column = doc.locate(len(text) - 1)
    assert doc.line(y).logical_at(column) == len(text) - 1
    assert len(doc.layout._layouts) <= 4
    narrow = doc.at_width(60)
    assert [narrow.line(y) for y in range(40)][0].end < lines[0].end


EMOJI = ["😀", "🇱🇧", "👍🏽", "👨\u200d👩\u200d👧", "❤\ufe0f", "𝐀𝐁𝐂", "🕌", "𞸀𞸁", "قال", "بيروت", "abc", "٢٠٢٦"]


@pytest.mark.parametrize("size", [3_000, 5_000_000])
def test_emoji_and_other_non_bmp_text(size):
    """Cells agree with rich's cell_len glyph by glyph; offsets count code points."""
    text = article(size, EMOJI, seed=2)
    text = text[: len(text) - 1] if unicodedata.category(text[-1]) == "Cs" else text
    doc, lines, seconds = _first_screen(text, 80)
    if size > 1_000_000:
        assert seconds < 5, f"first screen took {seconds:.2f} s"
    for line in filter(None, lines):
        col = line.x
        for k, g in enumerate(line.glyphs):
            assert cell_len(g) == line.widths[k] and line.columns[k] == col
            col += line.widths[k]
            i = line.logical[k]
            if not ("\u0600" <= text[i] <= "\u06ff"):  # not shaped: the glyph starts with it
                assert g[0] == text[i]
        assert line.cell_width <= 80
    check_paragraph_lines(text, doc.paragraph_lines(0), 80, doc.paragraphs[0].start, doc.paragraphs[0].end)


def test_fit_line_of_a_huge_title_lays_out_only_its_head(monkeypatch):
    import hamish.tui.bidi.layout.fit as layout_module

    sizes = []
    real = layout_module.ParagraphLayout

    def recording(text, *args, **kwargs):
        sizes.append(len(text))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(layout_module, "ParagraphLayout", recording)
    text = article(5_000_000)
    shown = layout_module.fit_line(text, 60)
    assert cell_len(shown) == 60 and shown.lstrip().startswith("…")  # RTL: cut at the left
    assert sizes and max(sizes) <= 8192
    assert layout_module.fit_line("abc " * 2000, 10) == "abc abc…  "  # cut at a word


# --- runs of levels: a long paragraph's levels computed apart where nothing crosses the cut ---

# No explicit embeddings, overrides or isolates (cuts after one are never separable): strong
# letters both ways, numbers of both kinds with their separators and terminators, neutrals,
# marks, and whitespace of three bidi classes (WS, S, CS).
SEPARABLE_ALPHABET = "ابتثلا" + "\u064e\u0651" + "abcXY" + "0123٠١" + "()«».,:/+-%$#" + "   \t\xa0" + "\u200f\u200e"


def _runs(paras):
    return {paras.levels(p.index) for p in paras}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=SEPARABLE_ALPHABET, min_size=1, max_size=400),
    st.integers(6, 40),
    st.integers(3, 30),
)
@example("١ ب 1", 3, 5)  # an Arabic number before the cut, then an AL letter
@example(". a ב", 2, 5)  # no strong character before the first cut: the level comes after it
@example("a بب\xa0ببب", 6, 20)  # a no-break space (CS) before a cut: rule L1 leaves it be
# Two spaces ending a line after an Arabic letter, LTR paragraph (found by this test at random):
# ICU's visual map of a line reversed them unless the line's levels were asked for first.
@example("00000000X\u0627  0", 6, 3)
def test_runs_of_levels_give_the_whole_paragraphs_levels(text, max_block, width):
    """Every line of every block is in the order that GNU FriBidi's levels of the WHOLE
    paragraph give (rules L1, L2 applied to the line), though the engine ran UAX #9 only over
    the block's run of levels; the paragraph's direction is FriBidi's too."""
    paras = split_paragraphs(text, max_block=max_block)
    layout = TextLayout(text, width, paragraphs=paras)
    wholes = sorted({paras.whole(p.index) for p in paras})
    rtl = {w: layout.paragraph_layout(paras.index_of(w[0])).rtl for w in wholes}
    want_rtl = {w: icu_auto_rtl(text[w[0] : w[1]]) for w in wholes}
    assert rtl == want_rtl
    levels = dict(zip(wholes, fribidi_levels([text[s:e] for s, e in wholes], [rtl[w] for w in wholes]), strict=True))
    for p in paras:
        w = paras.whole(p.index)
        for line in layout.paragraph_lines(p.index):
            s, e = line.start - w[0], line.end - w[0]
            order = reorder_line(levels[w][s:e], text[line.start : line.end], int(rtl[w]))
            drawn = set(line.logical)
            assert list(line.logical) == [line.start + i for i in order if line.start + i in drawn]


def icu_auto_rtl(text: str) -> bool:
    return ParagraphBidi(text, "auto").rtl


def test_a_huge_article_has_small_runs_of_levels_and_the_lines_of_one_run():
    """A 2 MB one-line article: most cuts are separable (each run of levels a block or a few),
    and every line is the one the whole paragraph's levels give (the same layout with one run,
    the whole paragraph, as before runs existed)."""
    text = article(2_000_000)
    paras = split_paragraphs(text)
    runs = _runs(paras)
    assert len(runs) > len(paras) // 2
    assert max(e - s for s, e in runs) <= 8 * MAX_BLOCK
    one_run = type(paras)(paras.starts, paras.ends, dict(paras._whole), {})
    assert _runs(one_run) == {(0, len(text))}
    apart = TextLayout(text, 77, paragraphs=paras)
    whole = TextLayout(text, 77, paragraphs=one_run)
    rng = random.Random(5)
    for i in sorted(rng.sample(range(len(paras)), 25)) + [0, len(paras) - 1]:
        got = apart.paragraph_lines(i)
        assert [(l.start, l.end, l.x, l.glyphs, l.logical) for l in got] == [
            (l.start, l.end, l.x, l.glyphs, l.logical) for l in whole.paragraph_lines(i)
        ]
    assert max(len(b.text) for b in apart._shared["bidi"].values()) <= 8 * MAX_BLOCK


def test_explicit_formatting_characters_keep_the_rest_of_the_paragraph_in_one_run():
    text = article(100_000)
    at = len(text) // 2
    at = text.index(" ", at) + 1
    text = text[:at] + "\u202b" + text[at:]  # an RLE nobody closes
    paras = split_paragraphs(text)
    runs = sorted(_runs(paras))
    assert len(runs) > 1 and runs[-1][1] == len(text) and runs[-1][0] <= at


def test_a_paragraph_without_strong_characters_in_its_first_run_takes_its_level_after():
    text = "1 2 3 " * 5 + "ب" * 40
    paras = split_paragraphs(text, max_block=16)
    assert len(_runs(paras)) > 1
    layout = TextLayout(text, 10, paragraphs=paras)
    assert all(layout.paragraph_layout(p.index).rtl for p in paras)
