"""stream_layout: a text laid out as it is read gives the lines of the whole text's layout
(TextLayout over all of it, blocks and whole-paragraph levels), whatever the reads; memory
stays bounded by the reads on a long one-line article."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hamish.tui.bidi import TextLayout, split_paragraphs, stream_layout
from hamish.tui.bidi.layout import MAX_BLOCK

ALPHABET = (
    "ابتثلا" + "\u064e\u0651" + "abcXY" + "0123٠١" + "()«».,:%" + "   \t\xa0" + "\u200f"
    + "\n\r\u2029" + "\u202b\u202c\u2067\u2069"  # separators; explicit formatting characters
)


def _key(offset, line):
    return (
        line.start + offset,
        line.end + offset,
        line.rtl,
        line.x,
        line.glyphs,
        tuple(i + offset for i in line.logical),
        line.columns,
        line.widths,
        line.formats,
    )


def _streamed(chunks, width, base="auto", max_block=MAX_BLOCK, **kw):
    out = []
    text = "".join(chunks)
    for offset, piece, lines in stream_layout(chunks, width, base, max_block=max_block, **kw):
        assert text[offset : offset + len(piece)] == piece
        out += [_key(offset, line) for line in lines]
    return out


def _whole(text, width, base="auto", max_block=MAX_BLOCK, **kw):
    paras = split_paragraphs(text, max_block=max_block)
    return [_key(0, line) for line in TextLayout(text, width, base, paragraphs=paras, **kw).lines]


def _cut(text, sizes):
    chunks, at = [], 0
    for n in sizes:
        chunks.append(text[at : at + n])
        at += n
    chunks.append(text[at:])
    return chunks


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=ALPHABET, max_size=400),
    st.lists(st.integers(0, 60), max_size=12),
    st.integers(4, 40),
    st.integers(2, 30),
    st.sampled_from(["auto", "ltr", "rtl"]),
    st.booleans(),
)
@example("ab\r\ncd", [3], 8, 10, "auto", False)  # CRLF read in two pieces
@example(". 1 " + "بب " * 20, [5] * 14, 4, 5, "auto", False)  # the level after the first cut
@example("", [], 8, 10, "auto", False)
def test_streamed_lines_are_the_whole_texts(text, sizes, max_block, width, base, show):
    chunks = _cut(text, sizes)
    assert _streamed(chunks, width, base, max_block, show_format=show) == _whole(
        text, width, base, max_block, show_format=show
    )


WORDS = "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة «ستجتمع» غداً، لبحث the budget 2026 (نعم).".split()


def _article(size: int, seed: int = 3) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(size // 6))[:size]


def test_a_long_one_line_article_streams_a_few_reads_behind_with_the_same_lines():
    """Lines come out while the text is read: each piece is out before more than a few reads
    past it are taken, and no piece is longer than a few blocks and a read (what is held at a
    time; peak memory is measured in bench/long_article.py)."""
    text = _article(600_000)
    size = 65536
    chunks = [text[i : i + size] for i in range(0, len(text), size)]
    taken = 0

    def reads():
        nonlocal taken
        for chunk in chunks:
            taken += 1
            yield chunk

    pieces = 0
    for offset, piece, _lines in stream_layout(reads(), 90):
        pieces += 1
        assert len(piece) <= 4 * MAX_BLOCK + size
        assert taken * size <= offset + len(piece) + 4 * MAX_BLOCK + size
    assert pieces > 4 and taken == len(chunks)
    assert _streamed(chunks, 90) == _whole(text, 90)


def test_an_embedding_left_open_keeps_the_rest_of_its_paragraph_whole():
    text = _article(200_000)
    at = text.index(" ", 50_000) + 1
    text = text[:at] + "\u202e" + text[at:] + "\n" + _article(100_000, 4)
    chunks = [text[i : i + 10_000] for i in range(0, len(text), 10_000)]
    got = list(stream_layout(chunks, 70))
    first_after = next(o for o, p, _ in got if o + len(p) > at)
    assert first_after <= at  # nothing cut after the override: one piece to the paragraph's end
    assert [_key(o, l) for o, _, ls in got for l in ls] == _whole(text, 70)
