"""The general path: any text, character by character (controls, wide and zero-width characters,
formatting characters, astral planes, ``reorder=False``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._icu import (
    mirrored,
    shape,
)
from .cells import DOTTED_CIRCLE, FORMAT_MARKS, VS16, _display, _vs16_width, is_space
from .lines import Line, _new_line

if TYPE_CHECKING:
    from .paragraph import ParagraphLayout


def prepare(self: ParagraphLayout) -> None:
    """The general path: each character's glyph, cells and mark flag; format positions."""
    text = self.text
    shaped = shape(text) if self.reorder else list(text)
    glyphs: list[str] = []
    widths: list[int] = []
    marks: list[bool] = []
    formats: set[int] = set()
    after_letter = False  # is there a letter (not a space) for a mark to sit on?
    base_at = -1  # the last character with a cell of its own
    shown_as_marks = FORMAT_MARKS if self.show_format else {}
    for ch, g in zip(
        text, shaped, strict=True
    ):  # (the index is len(glyphs): no enumerate, hot loop)
        if g is None:  # alef merged into the lam-alef ligature before it
            glyphs.append("")
            widths.append(0)
            marks.append(False)
            continue
        if ch in shown_as_marks:
            formats.add(len(glyphs))
            glyphs.append(shown_as_marks[ch])
            widths.append(1)
            marks.append(False)
            after_letter = False  # a combining mark after it gets a dotted circle
            continue
        shown, w, is_mark = _display(ch)
        if is_mark:
            if not after_letter:
                # A mark at the start of a word has no letter: draw it on a dotted circle.
                shown, w, is_mark = DOTTED_CIRCLE + ch, 1, False
            elif ch == VS16:
                # Emoji presentation: a narrow symbol + VS16 is two cells wide for Rich
                # (and so for Textual, which measures cells with it) and most terminals.
                widen = _vs16_width(text[base_at])
                if widen > widths[base_at]:
                    widths[base_at] = widen
        # Substituted controls and invisible characters keep their display form.
        glyphs.append(shown if (is_mark or shown != ch) else g)
        widths.append(w)
        marks.append(is_mark)
        if w:
            after_letter = not is_space(ch)
            base_at = len(glyphs) - 1
    self._glyphs = glyphs
    self._widths = widths
    self._marks = marks
    self._formats = formats


def wrap(self: ParagraphLayout, width: int) -> list[tuple[int, int]]:
    text, widths = self.text, self.widths
    n = len(text)
    lines: list[tuple[int, int]] = []
    start = 0
    used = 0  # cells of the line up to the end of its last word
    pending = 0  # cells of whitespace after the last word
    has_word = False
    i = 0
    while i < n:
        j = i
        if is_space(text[i]):
            while j < n and is_space(text[j]):
                pending += widths[j]
                j += 1
            i = j
            continue
        word_width = 0
        while j < n and not is_space(text[j]):
            word_width += widths[j]
            j += 1
        if used + pending + word_width <= width:
            used += pending + word_width
            pending = 0
            has_word = True
            i = j
            continue
        if has_word or pending:  # break before this word
            lines.append((start, i))
            start, used, pending, has_word = i, 0, 0, False
        if word_width <= width:
            used, has_word = word_width, True
        else:
            start, used = self._split_word(i, j, width, start, lines)
            has_word = True
        i = j
    lines.append((start, n))
    return lines


def split_word(
    self: ParagraphLayout, i: int, j: int, width: int, start: int, lines: list[tuple[int, int]]
) -> tuple[int, int]:
    """Split the word text[i:j] into full lines; return the start and width of its tail."""
    widths = self.widths
    used = 0
    k = i
    while k < j:
        unit_end = k + 1
        while unit_end < j and widths[unit_end] == 0:  # marks, merged alef, format chars
            unit_end += 1
        unit_width = sum(widths[k:unit_end])
        if used and used + unit_width > width:
            lines.append((start, k))
            start, used = k, 0
        used += unit_width
        k = unit_end
    return start, used


def line(self: ParagraphLayout, start: int, end: int, width: int) -> Line:
    """``line`` by the general path."""
    text, glyphs, widths, marks = self.text, self.glyphs, self.widths, self.marks
    heads = list(range(start, end))
    cluster: dict[int, list[int]] = {}
    head = -1
    orphans: list[int] = []
    for i in range(start, end):
        if widths[i] == 0:
            if head < 0:
                orphans.append(i)  # zero-width before any base: joins the next base
            else:
                heads[i - start] = head
                cluster[head].append(i)
            continue
        head = i
        cluster[i] = [i]
        for o in orphans:
            heads[o - start] = head
        cluster[i][:0] = orphans
        orphans = []

    if self.reorder:
        b = self.bidi_offset
        order, levels = self.bidi.line(start + b, end + b)
        if b:
            order = [i - b for i in order]
    else:
        order, levels = list(range(start, end)), [0] * (end - start)
    out_glyphs: list[str] = []
    out_logical: list[int] = []
    out_widths: list[int] = []
    for i in order:
        members = cluster.get(i)
        if members is None:
            continue
        w = widths[i]
        base = glyphs[i]
        if levels[i - start] & 1 and base == text[i]:
            base = mirrored(base)
        tail = "".join(text[m] for m in members if marks[m])
        out_glyphs.append(base + tail)
        out_logical.append(i + self.offset)
        out_widths.append(w)
    # Whitespace that ends a full line and does not fit is not drawn (it hangs).
    total = sum(out_widths)
    if total > width:
        out_glyphs, out_logical, out_widths, total = _drop_hanging(
            out_glyphs, out_logical, out_widths, total, width, text, self.offset
        )
    line_formats: frozenset[int] = frozenset()
    if self.formats:
        off = self.offset
        line_formats = frozenset(k for k, i in enumerate(out_logical) if i - off in self.formats)
    x = width - total if (self.rtl and self.reorder) else 0
    columns = []
    col = max(0, x)
    for w in out_widths:
        columns.append(col)
        col += w
    return _new_line(
        self.index,
        start + self.offset,
        end + self.offset,
        self.rtl,
        max(0, x),
        tuple(out_glyphs),
        tuple(out_logical),
        tuple(columns),
        tuple(out_widths),
        tuple(h + self.offset for h in heads),
        line_formats,
        (),
    )


def _drop_hanging(glyphs, logical, widths, total, width, text, offset):
    """Remove the cells of the whitespace that ends the line (logically) until the line fits.

    After rule L1 that whitespace is at the paragraph level, at the reading end of the line;
    a no-break space (bidi class CS) may sit elsewhere, and is removed all the same.
    """
    keep = {i: k for k, i in enumerate(logical)}
    drop: set[int] = set()
    for i in sorted(keep, reverse=True):
        if total <= width or not is_space(text[i - offset]):
            break
        total -= widths[keep[i]]
        drop.add(keep[i])
    glyphs = [g for k, g in enumerate(glyphs) if k not in drop]
    logical = [i for k, i in enumerate(logical) if k not in drop]
    widths = [w for k, w in enumerate(widths) if k not in drop]
    return glyphs, logical, widths, total
