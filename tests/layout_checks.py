"""Invariants every laid-out paragraph must satisfy, whatever the text and width."""

from __future__ import annotations

import unicodedata
from collections import Counter

from rich.cells import cell_len, get_character_cell_size

from reference import unshaped

ALEFS = "\u0622\u0623\u0625\u0627"


def _visible(ch: str) -> bool:
    """Has a cell of its own (a zero-width emoji modifier is drawn on its base, like a mark)."""
    return unicodedata.category(ch) not in ("Cf", "Mn", "Me") and get_character_cell_size(ch) > 0


def check_paragraph_lines(text: str, lines, width: int, para_start: int, para_end: int) -> None:
    """Check the lines of one paragraph ``text[para_start:para_end]`` laid out at ``width``."""
    assert lines, "a paragraph is at least one line"
    # The lines' logical ranges partition the paragraph, in order.
    assert lines[0].start == para_start and lines[-1].end == para_end
    for a, b in zip(lines, lines[1:]):
        assert a.end == b.start
    seen_heads: Counter[int] = Counter()
    for line in lines:
        # No line is wider than the width (a lone double-width cell at width 1 aside).
        assert line.cell_width <= width or (len(line.widths) == 1 and width < 2)
        # Cells are contiguous; RTL lines are right-aligned, LTR lines left-aligned.
        col = line.x
        for c, w in zip(line.columns, line.widths):
            assert c == col and w >= 1
            col += w
        if line.rtl:
            assert line.x + line.cell_width == width or line.cell_width > width
        else:
            assert line.x == 0
        if line.cell_width <= width:
            assert cell_len(line.padded(width)) == width
        for k, i in enumerate(line.logical):
            assert line.start <= i < line.end
            seen_heads[i] += 1
            # Maps are inverse: column -> logical -> column.
            assert line.logical_at(line.columns[k]) == i
            assert line.logical_at(line.columns[k] + line.widths[k] - 1) == i
            assert line.column_of(i) == line.columns[k]
        heads = set(line.logical)
        for i in range(line.start, line.end):
            ch = text[i]
            if i in heads:
                continue
            head = line.heads[i - line.start]
            if head in heads:
                # Drawn inside another cell: a mark, a format character, or a lam-alef's alef.
                assert (
                    not _visible(ch) or (ch in ALEFS and text[head] == "\u0644")
                ), (i, hex(ord(ch)))
                assert line.logical_at(line.column_of(i)) == head
            else:
                # Not drawn at all: whitespace hanging off the end of a full line, or an
                # invisible character on a line with nothing else to attach to.
                assert ch.isspace() or not _visible(ch), (i, hex(ord(ch)))
                if ch.isspace():  # only in the whitespace that ends the line
                    assert all(
                        text[j].isspace() or not _visible(text[j]) for j in range(i, line.end)
                    ), (i, line.start, line.end)
        # Every visible logical character is on screen once: compare with letters unshaped.
        drawn = set(line.logical)
        logical_chars = Counter(
            unshaped(text[i])
            for i in range(line.start, line.end)
            if (i in drawn or line.heads[i - line.start] in drawn)
        )
        shown = Counter(unshaped(line.text))
        for c in list(logical_chars) + list(shown):
            if len(c) == 1 and unicodedata.mirrored(c):
                logical_chars.pop(c, None)
                shown.pop(c, None)
        assert _fold(shown) == _fold(logical_chars), (line.start, line.end)
    assert all(v == 1 for v in seen_heads.values())


def _fold(counter: Counter) -> Counter:
    """Count single characters, ignoring invisible ones and the placeholder for orphan marks."""
    out: Counter[str] = Counter()
    for s, n in counter.items():
        for ch in s:
            if ch != "\u25cc" and unicodedata.category(ch) != "Cf":
                out[ch] += n
    return out
