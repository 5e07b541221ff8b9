"""The fast path of the engine gives the very lines the general path gives.

`ParagraphLayout` lays out most paragraphs with whole-sequence operations (see its docstring)
and the rest character by character; `tui.bidi.layout.fast._USE_FAST = False` forces the general
path everywhere. Every field of every line, and both maps, must be the same either way.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hamish.tui.bidi.layout as layout_module
import hamish.tui.bidi.layout.fast as fast_path
from hamish.tui.bidi import TextLayout, fit_line
from hamish.tui.bidi.layout import ParagraphLayout
from hamish.tui.bidi.layout.cells import _display
from hamish.tui.bidi.layout.fast import _CharClasses

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))

ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" + "ءأإآةىئؤ" + "لا" * 4 + "ـ"
HARAKAT = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0301"
LATIN = "abcxyzABC"
DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩"
BRACKETS = "()[]{}<>«»﴾﴿"
PUNCT = ".,:;!?،؛؟\"'-/%+$#@"
SPACES = "    \u00a0\u2003"
# Characters that send a paragraph to the general path, a few of each kind.
HARD = "\t\x1b\x85\u200f\u202b\u2066\u2069\u200d\ufe0f\u4e2d\U0001f600\ufefb\u2028\u3000"
EASY = ARABIC + HARAKAT + LATIN + DIGITS + BRACKETS + PUNCT + SPACES + "\n"

PROFILE = settings(
    max_examples=int(os.environ.get("HAMISH_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def snapshot(line, width: int) -> tuple:
    """Everything a line tells, its maps included."""
    return (
        line.paragraph, line.start, line.end, line.rtl, type(line.rtl), line.x, line.glyphs,
        line.logical, line.columns, line.widths, line.heads, line.formats,
        [line.column_of(i) for i in range(line.start, line.end)],
        [line.logical_at(c) for c in range(-1, width + 2)],
        line.past_end(), line.text, line.padded(width), line.cell_width,
    )


def both_paths(monkeypatch, text: str, width: int, base: str = "auto", **kw) -> tuple[list, list]:
    """The lines of ``text`` the fast way and the general way. The fast way is checked twice:
    all paragraphs at once (``TextLayout.lines``, sharing one ``_FastText``) and one at a time
    (``paragraph_lines``, as the reader asks), which must agree."""
    fast = TextLayout(text, width, base, **kw)
    fast_lines = [snapshot(line, width) for line in fast.lines]
    alone = TextLayout(text, width, base, **kw)
    alone_lines = [
        snapshot(line, width) for p in range(len(alone.paragraphs)) for line in alone.paragraph_lines(p)
    ]
    assert alone_lines == fast_lines
    monkeypatch.setattr(fast_path, "_USE_FAST", False)
    general = TextLayout(text, width, base, **kw)
    general_lines = [snapshot(line, width) for line in general.lines]
    monkeypatch.setattr(fast_path, "_USE_FAST", True)
    for p in range(len(general.paragraphs)):
        assert not general.paragraph_layout(p).fast
    return fast_lines, general_lines


def takes_fast_path(text: str, paragraph) -> bool:
    """Should this paragraph of an EASY text go the fast way? (all but orphan marks)"""
    own = text[paragraph.start : paragraph.end]
    return not any(
        ch in HARAKAT and (i == 0 or own[i - 1].isspace()) for i, ch in enumerate(own)
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
@pytest.mark.parametrize("width", [1, 2, 7, 40, 100, 157])
def test_seeds_same_lines_both_ways(monkeypatch, seed, width):
    text = seed.read_text(encoding="utf-8")
    fast, general = both_paths(monkeypatch, text, width)
    assert fast == general
    layout = TextLayout(text, width)
    assert all(layout.paragraph_layout(p).fast for p in range(len(layout.paragraphs)))


@pytest.mark.parametrize("base", ["ltr", "rtl"])
def test_seeds_forced_direction(monkeypatch, base):
    text = "\n".join(p.read_text(encoding="utf-8") for p in SEEDS)
    fast, general = both_paths(monkeypatch, text, 60, base)
    assert fast == general


@PROFILE
@given(st.text(alphabet=EASY, max_size=150), st.integers(1, 60), st.sampled_from(["auto", "ltr", "rtl"]))
def test_random_text_same_lines_both_ways(text, width, base):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, general = both_paths(monkeypatch, text, width, base)
    assert fast == general
    layout = TextLayout(text, width, base)
    for p in layout.paragraphs:
        assert layout.paragraph_layout(p.index).fast == takes_fast_path(text, p)


@PROFILE
@given(
    st.text(alphabet=EASY + HARD, max_size=150),
    st.integers(1, 60),
    st.sampled_from(["auto", "ltr", "rtl"]),
    st.booleans(),
    st.booleans(),
)
def test_hard_text_same_lines_both_ways(text, width, base, show_format, reorder):
    with pytest.MonkeyPatch.context() as monkeypatch:
        fast, general = both_paths(monkeypatch, text, width, base, show_format=show_format, reorder=reorder)
    assert fast == general


@pytest.mark.parametrize(
    "text",
    [
        "لَا سَلَامَ",  # a mark between lam and alef, a mark on the ligature
        "لاَ لآً",  # marks after the merged alef
        "(بَ) [x\u0301] «نعم»",  # a mark on a mirrored character's neighbour
        "(\u0651) x",  # a mark right after a bracket
        "  مرحبا  بكم   ",  # leading and trailing whitespace
        "\u00a0مرحبا\u00a0\u2003بكم",  # other whitespace
        "كلمةطويلةجدالاتنتهيأبداولاتتوقفعندحد",  # a word longer than the line, lam-alefs inside
        "abcdefghijklmnopqrstuvwxyz" * 3,
        "x" * 10 + " " * 30 + "y",  # whitespace that hangs off a full line
        "\u064e بداية",  # an orphan mark: the general path
        "a\u0301" * 30,
        "ﻻ لا",  # a ligature in the text itself
    ],
)
@pytest.mark.parametrize("width", [1, 3, 5, 12, 80])
def test_edge_cases_same_lines_both_ways(monkeypatch, text, width):
    for base in ("auto", "rtl"):
        fast, general = both_paths(monkeypatch, text, width, base)
        assert fast == general


def test_blocks_of_a_long_paragraph_same_lines_both_ways(monkeypatch):
    monkeypatch.setattr(layout_module, "MAX_BLOCK", 64)
    word = "كلمةلاطويلة"
    text = " ".join([word] * 40) + " " + "بلامسافة" * 30 + " (نص) abc"
    paragraphs = layout_module.split_paragraphs(text, 64)
    assert paragraphs.has_blocks
    fast = [snapshot(line, 30) for line in TextLayout(text, 30, paragraphs=paragraphs).lines]
    monkeypatch.setattr(fast_path, "_USE_FAST", False)
    general = [snapshot(line, 30) for line in TextLayout(text, 30, paragraphs=paragraphs).lines]
    assert fast == general


@pytest.mark.parametrize("mark", ["\u202b", "\u202e", "\u2066", "\u200f"])
def test_plain_blocks_of_a_paragraph_with_formatting_characters(monkeypatch, mark):
    """A block without formatting characters is laid out fast with the levels of its whole
    paragraph, which has some: an embedding in the first block raises the levels of the rest."""
    monkeypatch.setattr(layout_module, "MAX_BLOCK", 48)
    text = mark + "abc (def) ghi " + " ".join(["نص (عربي) 123 abc"] * 12) + " [x]"
    paragraphs = layout_module.split_paragraphs(text, 48)
    assert paragraphs.has_blocks
    layout = TextLayout(text, 25, paragraphs=paragraphs)
    fast = [snapshot(line, 25) for line in layout.lines]
    assert any(layout.paragraph_layout(p).fast for p in range(1, len(paragraphs)))
    monkeypatch.setattr(fast_path, "_USE_FAST", False)
    general = [snapshot(line, 25) for line in TextLayout(text, 25, paragraphs=paragraphs).lines]
    assert fast == general


@pytest.mark.parametrize("text", ["العنوان الطويل جدا للمقال لا ينتهي", "Title (مع) نص", "ﻻ\u064e"])
@pytest.mark.parametrize("width", [1, 5, 12, 60])
def test_fit_line_same_both_ways(monkeypatch, text, width):
    fast = fit_line(text, width)
    monkeypatch.setattr(fast_path, "_USE_FAST", False)
    assert fit_line(text, width) == fast


def test_any_range_of_a_fast_paragraph():
    """``line`` on a range that splits a cluster (not one wrap gives) goes the general way."""
    text = "لَا بَيْت"
    para = ParagraphLayout(text)
    assert para.fast
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            got = snapshot(para.line(start, end, 20), 20)
            general = ParagraphLayout(text)
            general._prepare()
            general.fast = False
            assert got == snapshot(general.line(start, end, 20), 20), (start, end)


def test_general_data_of_a_fast_paragraph():
    """glyphs, widths, marks and formats are there for a fast paragraph too (made on demand)."""
    text = "لَا (بيت) abc"
    fast = ParagraphLayout(text)
    assert fast.fast
    fast_path._USE_FAST = False
    try:
        general = ParagraphLayout(text)
    finally:
        fast_path._USE_FAST = True
    assert (fast.glyphs, fast.widths, fast.marks, fast.formats) == (
        general.glyphs, general.widths, general.marks, general.formats,
    )
    assert fast.cell_width == general.cell_width == sum(general.widths)


def test_character_classes_agree_with_display():
    """A character is fast-plain exactly when it shows as itself in one cell, fast-mark exactly
    when it is a combining mark drawn on its letter; learned a block at a time."""
    classes = _CharClasses()
    sample = "".join(chr(c) for c in range(0x20, 0x800)) + "\u2000\u200f\u2066\ufe0f\ufef5\u3000"
    classes.learn(sample)
    for cp in range(0, 0x10000):
        if cp // classes.BLOCK not in classes.blocks:
            continue
        ch = chr(cp)
        if cp in classes.plain:
            assert _display(ch) == (ch, 1, False) and ch not in layout_module.FORMAT_MARKS
        elif cp in classes.marks:
            assert _display(ch) == (ch, 0, True) and ch != "\ufe0f"
        else:
            assert _display(ch) != (ch, 1, False) or ch in layout_module.FORMAT_MARKS or 0xD800 <= cp <= 0xDFFF
    assert not classes.fast("\t") and not classes.fast("\u200f") and classes.fast("عربي abc")


def test_other_whitespace_is_all_whitespace_but_space_and_separators():
    spaces = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    others = {ch for ch in spaces if fast_path._OTHER_SPACE.match(ch)}
    assert others == spaces - {" "} - set(fast_path._SEPARATORS)
