"""The fast path: paragraphs whose every character is plain or a combining mark on a letter
(the usual news paragraph), laid out with string searches, slices and ``itemgetter`` over whole
strings instead of a loop per character. It gives the same lines as the general path
(tests/bidi/test_fast_path.py); ``_USE_FAST = False`` turns it off."""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING

from .._icu import (
    has_arabic,
    is_mirrored,
    mirrored,
    shape_letters,
)
from .cells import FORMAT_MARKS, VS16, _display
from .lines import _NO_FORMATS, _NO_ZERO, Line, _new_line

if TYPE_CHECKING:
    from .paragraph import ParagraphLayout


class _CharClasses:
    """Which characters the fast path of ParagraphLayout handles, learned as texts show them.

    *Plain*: shown as itself in one cell (``_display(ch) == (ch, 1, False)``), BMP, not a bidi
    formatting character. *Mark*: a combining mark (Mn, Me) drawn on its letter, other than
    VS16. Anything else (controls, tabs, wide or zero-width characters, format characters,
    VS16, astral characters, surrogates) sends the paragraph to the general path. Whole blocks
    of 128 code points are classified at a time, the first time a text holds one of them, so
    the regular expressions below are rebuilt at most once per block, whatever the text.
    """

    BLOCK = 128

    def __init__(self) -> None:
        self.blocks: set[int] = set()
        self.plain: set[int] = set()
        self.marks: set[int] = set()
        self.mirrored: set[int] = set()  # plain characters with Bidi_Mirrored
        self._lock = threading.Lock()
        self._compile()

    def _compile(self) -> None:
        # Classes only grow, and ``other`` (what a text is checked with first) is replaced
        # last: whoever sees the new ``other`` sees the ``mark`` and ``mirror`` that go with it.
        known = self.plain | self.marks
        self.mark = re.compile(f"[{_char_class(self.marks)}]") if self.marks else None
        self.mirror = re.compile(f"[{_char_class(self.mirrored)}]") if self.mirrored else None
        self.other_text = re.compile(f"[^{_char_class(known)}{_SEPARATORS}]")  # (in a text)
        self.other = re.compile(f"[^{_char_class(known)}]" if known else "(?s:.)")

    def learn(self, text: str) -> bool:
        """Classify the blocks of the characters of ``text`` not known yet; True if any were."""
        with self._lock:
            return self._learn(text)

    def _learn(self, text: str) -> bool:
        new = {ord(ch) // self.BLOCK for ch in set(self.other.findall(text))} - self.blocks
        new = {b for b in new if b * self.BLOCK < 0x10000}
        if not new:
            return False
        for b in new:
            self.blocks.add(b)
            for cp in range(b * self.BLOCK, (b + 1) * self.BLOCK):
                if 0xD800 <= cp <= 0xDFFF:
                    continue
                ch = chr(cp)
                if ch in FORMAT_MARKS or ch == VS16:
                    continue
                shown = _display(ch)
                if shown == (ch, 1, False):
                    self.plain.add(cp)
                    if is_mirrored(ch):
                        self.mirrored.add(cp)
                elif shown == (ch, 0, True) and unicodedata.category(ch) in ("Mn", "Me"):
                    self.marks.add(cp)
        self._compile()
        return True

    def fast(self, text: str, learn: bool = True) -> bool:
        """Is every character of ``text`` plain or a mark? With ``learn=False``, blocks not
        classified yet count as not plain (no classifying is done)."""
        if self.other.search(text) is None:
            return True
        return learn and self.learn(text) and self.other.search(text) is None


def _char_class(cps: set[int]) -> str:
    """A regular expression character class body for the (BMP) code points ``cps``."""
    ranges: list[list[int]] = []
    for cp in sorted(cps):
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


_SEPARATORS = "\n\r\x1c\x1d\x1e\x85\u2029"  # of paragraphs (rule P1)
_CHARS = _CharClasses()
_USE_FAST = True  # tests turn it off to compare the two paths
_LAM_ALEF_PAIR = re.compile("\u0644(?=[\u0622\u0623\u0625\u0627])")
_LIGATURE = re.compile("[\ufef5-\ufefc]")  # lam-alef
_LIGATURES = [chr(c) for c in range(0xFEF5, 0xFEFD)]
# Whitespace (str.isspace) other than " " and the paragraph separators, spelled out: a class
# of characters is searched much faster than a category (tests/bidi/test_fast_path.py).
_OTHER_SPACE = re.compile("[\t\x0b\x0c\x1f\xa0\u1680\u2000-\u200a\u2028\u202f\u205f\u3000]")
_NON_SPACE = re.compile("[^ ]")  # (in wtext, within a paragraph)


class _Glyphs(dict):
    """UTF-16 code unit -> its character, one string object each (shared)."""

    def __missing__(self, code: int) -> str:
        glyph = self[code] = chr(code)
        return glyph


_GLYPH = _Glyphs({0: ""})  # (NUL, never in a fast text, is the fast path's placeholder)

# Shared, immutable: the columns of a fast line by (x, cells), its widths by cells (bounded).
_COLUMNS: dict[tuple[int, int], tuple[int, ...]] = {}
_ONES: dict[int, tuple[int, ...]] = {}


def _without(items: tuple, drop: list[int]) -> tuple:
    """``items`` less the entries at the (increasing) indices ``drop``."""
    if len(drop) == 1:
        i = drop[0]
        return items[:i] + items[i + 1 :]
    parts = []
    done = 0
    for i in drop:
        parts.append(items[done:i])
        done = i + 1
    parts.append(items[done:])
    return tuple(chain.from_iterable(parts))


def _holds(positions: list[int], i: int) -> bool:
    """Is ``i`` in the sorted list ``positions``?"""
    k = bisect_left(positions, i)
    return k < len(positions) and positions[k] == i


class _FastText:
    """The fast path's work on a text, shared by its paragraphs, indexed like the text.

    ``glyphs[i]``: the glyph of the cell that character ``i`` heads (shaped), or "" for a
    character without a cell of its own (a mark, an alef merged into a lam-alef);
    ``zero``: the indices of those, in order. ``patch_at`` / ``patch_glyph``: the heads whose
    glyph is more than one character (a letter and its marks), and that glyph.
    ``mirror_at`` / ``mirror_glyph``: the heads shown mirrored at an odd level (rule L4), and
    how. ``wtext``: the text with every whitespace character made " ". ``shift``: the logical
    index of character 0.
    """

    __slots__ = (
        "glyphs",
        "zero",
        "patch_at",
        "patch_glyph",
        "mirror_at",
        "mirror_glyph",
        "wtext",
        "shift",
    )

    def __init__(
        self, glyphs, zero, patch_at, patch_glyph, mirror_at, mirror_glyph, wtext, shift
    ) -> None:
        self.glyphs = glyphs
        self.zero = zero
        self.patch_at = patch_at
        self.patch_glyph = patch_glyph
        self.mirror_at = mirror_at
        self.mirror_glyph = mirror_glyph
        self.wtext = wtext
        self.shift = shift

    @classmethod
    def of(cls, text: str, shift: int = 0) -> _FastText | None:
        """The work for ``text`` (paragraph separators may be in it; every other character
        must be fast, see ``_CharClasses``), or None when a mark has no letter to sit on or
        ICU's shaping is not what shape() expects: the general path then. ``shift``: the
        logical index of ``text[0]``."""
        chars = _CHARS
        letters = text
        marks: list[int] = []
        if chars.mark is not None and chars.mark.search(text) is not None:
            marks = [m.start() for m in chars.mark.finditer(text)]
            for t in marks:
                if t == 0 or text[t - 1].isspace():
                    return None  # no letter to sit on: drawn on a dotted circle
            letters = chars.mark.sub("", text)
        # As shape(): marks are transparent to joining, so shaping the letters alone gives
        # the same forms. Paragraph separators join nothing, so shaping a text of several
        # paragraphs at once gives each the forms it gets alone; ICU leaves a paragraph
        # without Arabic characters as it is.
        shaped = shape_letters(letters) if has_arabic(text) else letters
        zero: list[int] = []  # letter indices of the alefs merged into a lam-alef, for now
        if len(shaped) != len(letters):
            # Each lam + alef became one ligature: a placeholder after each ligature lines the
            # glyphs up with the letters again.
            pairs = [m.start() for m in _LAM_ALEF_PAIR.finditer(letters)]
            if len(shaped) != len(letters) - len(pairs) or [
                m.start() for m in _LIGATURE.finditer(shaped)
            ] != [p - k for k, p in enumerate(pairs)]:
                return None
            for lig in _LIGATURES:  # (only at the pairs, as checked)
                if lig in shaped:
                    shaped = shaped.replace(lig, lig + "\0")
            zero = [p + 1 for p in pairs]
        patch_at: list[int] = []
        patch_glyph: list[str] = []
        if marks:
            # Put placeholders for the marks back; each mark is drawn in its letter's cell.
            parts = []
            done = 0
            at: list[int] = []  # the letter index before which each mark goes
            for k, t in enumerate(marks):
                parts.append(shaped[done : t - k])
                done = t - k
                at.append(done)
            parts.append(shaped[done:])
            shaped = "\0".join(parts)
            zeros = set(zero := sorted([a + bisect_right(at, a) for a in zero] + marks))
            tails: dict[int, str] = {}
            for t in marks:
                h = t - 1
                while h in zeros:
                    h -= 1
                tails[h] = tails.get(h, shaped[h]) + text[t]
            patch_at = sorted(tails)
            patch_glyph = [tails[h] for h in patch_at]
        mirror_at: list[int] = []
        mirror_glyph: list[str] = []
        if chars.mirror is not None:
            for m in chars.mirror.finditer(text):
                p = m.start()
                ch = m.group()
                if shaped[p] == ch and mirrored(ch) != ch:
                    mirror_at.append(p)
                    k = bisect_left(patch_at, p)
                    tail = patch_glyph[k][1:] if k < len(patch_at) and patch_at[k] == p else ""
                    mirror_glyph.append(mirrored(ch) + tail)
        wtext = text
        if _OTHER_SPACE.search(text) is not None:  # (rare: a no-break space, an em space...)
            parts = []
            done = 0
            for m in _OTHER_SPACE.finditer(text):
                parts.append(text[done : m.start()])
                done = m.end()
            parts.append(text[done:])
            wtext = " ".join(parts)
        # One string object per distinct glyph, shared by every line: no allocation per cell.
        # (The placeholders, NUL, become "". A tuple: the garbage collector sees it holds only
        # strings, and then leaves it alone.)
        glyphs = tuple(map(_GLYPH.__getitem__, memoryview(shaped.encode("utf-16-le")).cast("H")))
        if len(glyphs) != len(text):  # (ICU gave a character outside the BMP: never seen)
            return None
        return cls(glyphs, zero, patch_at, patch_glyph, mirror_at, mirror_glyph, wtext, shift)


_FAST_EMPTY = _FastText((), [], [], [], [], [], "", 0)


def _masked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each of the (sorted, disjoint) ``spans`` made spaces."""
    if not spans:
        return text
    parts = []
    done = 0
    for s, e in spans:
        parts.append(text[done:s])
        parts.append(" " * (e - s))
        done = e
    parts.append(text[done:])
    return "".join(parts)


def wrap(self: ParagraphLayout, width: int) -> list[tuple[int, int]]:
    """``wrap`` for a fast paragraph, a few string searches per line. Every cell is one
    cell wide: the line from ``s`` holds the ``width`` cells before ``p`` (the next cell's
    head) and ends before the word that ``p`` falls in, after the whitespace that ``p``
    falls in, or — the line's first word being wider than the line — at ``p``, which splits
    the word between clusters. (Indices here are the shared text's: ``at`` is index 0.)"""
    fast = self._fast_text
    assert fast is not None  # (only a fast paragraph comes here, and it has its fast text)
    t = fast.wtext  # whitespace is " " there
    zero = fast.zero  # the characters without a cell of their own
    at = self._at
    n = at + len(self.text)
    lines: list[tuple[int, int]] = []
    s = at
    while True:
        p = s + width
        if p >= n:
            break
        if zero:
            lo = bisect_left(zero, s)
            while True:  # past ``width`` cells and the characters without one among them
                q = s + width + bisect_left(zero, p, lo) - lo
                if q == p:
                    break
                p = q
            k = bisect_left(zero, p, lo)
            while k < len(zero) and zero[k] == p:
                p += 1
                k += 1
            if p >= n:
                break
        if t[p] == " ":
            m = _NON_SPACE.search(t, p, n)
            if m is None:
                break
            q = m.start()
        else:
            q = t.rfind(" ", s, p) + 1
            if q <= s:
                q = p
        lines.append((s - at, q - at))
        s = q
    lines.append((s - at, n - at))
    return lines


def lines(self: ParagraphLayout, ranges: Sequence[tuple[int, int]], width: int) -> list[Line]:
    """The lines of the ranges (at cluster heads) of a fast paragraph: a loop with what
    every line needs at hand, as the reading of ``text`` the fast way is mostly per line."""
    off = self.offset
    rtl = self._rtl
    index = self.index
    fast = self._fast_text
    assert fast is not None  # (only a fast paragraph comes here, and it has its fast text)
    at = self._at
    shift = fast.shift
    store = fast.glyphs
    zero = fast.zero
    zeros_lo, zeros_hi = self._zeros
    patches_lo, patches_hi = self._patches
    mirrors_lo, mirrors_hi = self._mirrors
    one_way = self._one_way
    new_line = _new_line
    out: list[Line] = []
    for start, end in ranges:
        if start >= end:
            out.append(
                new_line(
                    index,
                    start + off,
                    end + off,
                    rtl,
                    width if rtl else 0,
                    (),
                    (),
                    (),
                    (),
                    (),
                    _NO_FORMATS,
                    (),
                )
            )
            continue
        a = start + at  # the line in the shared text
        b = end + at
        line_zero: list[int] = _NO_ZERO
        zlo = zhi = 0
        if zeros_hi > zeros_lo:
            zlo = bisect_left(zero, a, zeros_lo, zeros_hi)
            zhi = bisect_left(zero, b, zlo, zeros_hi)
            if zhi > zlo:  # marks and merged alefs are drawn in their head's cell: no entries
                line_zero = zero[zlo:zhi]
                if shift:
                    line_zero = [i + shift for i in line_zero]
        k = b - a - (zhi - zlo)  # cells
        shown_end = b
        if k > width:  # whitespace that ends a full line and does not fit hangs (not drawn)
            t = fast.wtext[a:b]
            drop = min(k - width, len(t) - len(t.rstrip(" ")))  # (one cell each)
            shown_end -= drop
            k -= drop
        if one_way:  # the line in logical order, or reversed: no visual map needed
            cells = store[a:shown_end]
            if rtl:
                cells = cells[::-1]
                where = range(shown_end + shift - 1, a + shift - 1, -1)
            else:
                where = range(a + shift, shown_end + shift)
            if patches_hi > patches_lo:  # letters with marks
                patch_at = fast.patch_at
                cells = list(cells)
                for j in range(patches_lo, patches_hi):
                    p = patch_at[j]
                    if a <= p < shown_end:
                        cells[shown_end - 1 - p if rtl else p - a] = fast.patch_glyph[j]
            if rtl and mirrors_hi > mirrors_lo:  # rule L4: every level is odd
                mirror_at = fast.mirror_at
                cells = list(cells)
                for j in range(mirrors_lo, mirrors_hi):
                    p = mirror_at[j]
                    if a <= p < shown_end:
                        cells[shown_end - 1 - p] = fast.mirror_glyph[j]
            logical = tuple(where)
            glyphs = tuple(cells)
            if zhi > zlo:  # leave out the characters without a cell
                own = zero[zlo:zhi]
                drop_at = (
                    [shown_end - 1 - i for i in reversed(own)] if rtl else [i - a for i in own]
                )
                logical = _without(logical, drop_at)
                glyphs = _without(glyphs, drop_at)
        else:
            order: Sequence[int] = self.bidi.visual_map(
                start + self.bidi_offset, end + self.bidi_offset
            )
            if zhi > zlo or shown_end < b:
                kept = list(order)
                for i in zero[zlo:zhi]:
                    kept.remove(i - a)
                for i in range(shown_end - a, b - a):
                    kept.remove(i)
                order = kept
            if k > 1:
                get = itemgetter(*order)
                glyphs = get(store[a:b])
                logical = get(range(a + shift, b + shift))
            else:
                glyphs = (store[a + order[0]],)
                logical = (a + shift + order[0],)
            if patches_hi > patches_lo:  # letters with marks
                patch_at = fast.patch_at
                shown = list(glyphs)
                for j in range(patches_lo, patches_hi):
                    p = patch_at[j]
                    if a <= p < b:
                        shown[order.index(p - a)] = fast.patch_glyph[j]
                glyphs = tuple(shown)
            if mirrors_hi > mirrors_lo:  # rule L4: mirrored characters at odd levels
                mirror_at = fast.mirror_at
                levels: Sequence[int] | None = None
                mirrored: list[str] | None = None
                for j in range(mirrors_lo, mirrors_hi):
                    p = mirror_at[j]
                    if a <= p < shown_end:
                        if levels is None or mirrored is None:  # (both made together)
                            levels = self.bidi.levels(
                                start + self.bidi_offset, end + self.bidi_offset
                            )
                            mirrored = list(glyphs)
                        if levels[p - a] & 1:
                            mirrored[order.index(p - a)] = fast.mirror_glyph[j]
                if mirrored is not None:
                    glyphs = tuple(mirrored)
        x = width - k if rtl else 0
        if x < 0:
            x = 0
        columns = _COLUMNS.get((x, k))
        if columns is None:
            columns = tuple(range(x, x + k))
            widths = (1,) * k
            if k <= 512:  # (what a terminal line holds)
                if len(_COLUMNS) >= 4096:  # many widths seen: start again
                    _COLUMNS.clear()
                _COLUMNS[(x, k)] = columns
                _ONES[k] = widths
        else:
            widths = _ONES[k]
        out.append(
            new_line(
                index,
                start + off,
                end + off,
                rtl,
                x,
                glyphs,
                logical,
                columns,
                widths,
                None,
                _NO_FORMATS,
                line_zero,
            )
        )
    return out
