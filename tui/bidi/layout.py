"""Paragraphs to terminal lines: wrap in logical order, reorder per line, shape, map both ways.

Pure functions and plain data; no Textual. Every index here is a logical index (a Python ``str``
index into the text exactly as given); every column is a terminal cell.

A *cell cluster* is what one glyph on screen shows: a base character (or a lam-alef ligature)
with the combining marks and invisible format characters that follow it in logical order.

Hostile text. Nothing in an article reaches the terminal raw: C0 controls (ESC included) and
DEL show as their Control Pictures (U+2400-U+2421, e.g. ␛), C1 controls (U+0080-U+009F, e.g.
the one-byte CSI U+009B) as U+FFFD, a tab as a space; each takes exactly one cell and maps to
its own offset, so an escape sequence in a text is drawn as harmless characters ("␛[2J").

Bidi formatting characters take part in the bidi algorithm exactly as UAX #9 says. They are
invisible (zero cells) unless ``show_format=True``, which draws each as one cell holding a
mark, at the place the algorithm gives the character (levels are still those of the original
text, so a spoofed order stays visible too); ``Line.formats`` tells which cells are marks:

    ======  ======  ====  =======================================
    char    name    mark  mark's name
    ======  ======  ====  =======================================
    U+202A  LRE     ⇢     RIGHTWARDS DASHED ARROW
    U+202B  RLE     ⇠     LEFTWARDS DASHED ARROW
    U+202D  LRO     ⇛     RIGHTWARDS TRIPLE ARROW
    U+202E  RLO     ⇚     LEFTWARDS TRIPLE ARROW
    U+202C  PDF     ⇞     UPWARDS ARROW WITH DOUBLE STROKE
    U+2066  LRI     ⇥     RIGHTWARDS ARROW TO BAR
    U+2067  RLI     ⇤     LEFTWARDS ARROW TO BAR
    U+2068  FSI     ⇹     LEFT RIGHT ARROW WITH VERTICAL STROKE
    U+2069  PDI     ↥     UPWARDS ARROW FROM BAR
    U+200E  LRM     ⇀     RIGHTWARDS HARPOON WITH BARB UPWARDS
    U+200F  RLM     ↼     LEFTWARDS HARPOON WITH BARB UPWARDS
    U+061C  ALM     ↽     LEFTWARDS HARPOON WITH BARB DOWNWARDS
    ======  ======  ====  =======================================

All marks are East Asian Width "N" (one cell everywhere) and bidi class ON, never mirrored.

Very long paragraphs. A paragraph longer than ``MAX_BLOCK`` code points is laid out in blocks
(see ``split_paragraphs``): cut after the last whitespace before each ``MAX_BLOCK`` boundary,
each block starting a new screen line. Bidi levels and the paragraph direction are still
computed over the whole paragraph (UAX #9 runs once over it); only line breaking sees the
cuts. This bounds the work of showing any screen of a multi-megabyte one-line article.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import FrozenInstanceError, dataclass
from functools import lru_cache
from itertools import accumulate, chain
from operator import itemgetter

from rich.cells import cell_len, get_character_cell_size

from ._icu import (
    ParagraphBidi,
    check_base,
    has_arabic,
    is_mirrored,
    mirrored,
    shape,
    shape_letters,
)

# Rule P1: paragraph separators (bidi class B). CRLF counts as one.
PARAGRAPH_SEPARATOR = re.compile("\r\n|[\n\r\x1c\x1d\x1e\x85\u2029]")

DOTTED_CIRCLE = "\u25cc"

# Bidi formatting characters -> the one-cell mark shown for each with show_format=True.
FORMAT_MARKS: dict[str, str] = {
    "\u202a": "\u21e2",  # LRE ⇢
    "\u202b": "\u21e0",  # RLE ⇠
    "\u202d": "\u21db",  # LRO ⇛
    "\u202e": "\u21da",  # RLO ⇚
    "\u202c": "\u21de",  # PDF ⇞
    "\u2066": "\u21e5",  # LRI ⇥
    "\u2067": "\u21e4",  # RLI ⇤
    "\u2068": "\u21f9",  # FSI ⇹
    "\u2069": "\u21a5",  # PDI ↥
    "\u200e": "\u21c0",  # LRM ⇀
    "\u200f": "\u21bc",  # RLM ↼
    "\u061c": "\u21bd",  # ALM ↽
}

# Longest run of a paragraph laid out as one unit (see the module docstring).
MAX_BLOCK = 16384


@lru_cache(maxsize=8192)
def _display(ch: str) -> tuple[str, int, bool]:
    """How a character shows in a cell: (glyph, cells, is_combining_mark).

    Controls never reach the terminal raw: C0 and DEL become the Control Pictures (U+2400...),
    C1 becomes U+FFFD; a tab shows as one space. Zero-width characters have width 0 and glyph
    "" unless they are combining marks, which are drawn on their base letter.
    """
    o = ord(ch)
    if ch == "\t":
        return " ", 1, False
    if o < 0x20:
        return chr(0x2400 + o), 1, False
    if o == 0x7F:
        return "\u2421", 1, False
    if 0x80 <= o < 0xA0:
        return "\ufffd", 1, False
    category = unicodedata.category(ch)
    if category in ("Mn", "Me"):
        return ch, 0, True
    width = get_character_cell_size(ch)
    if width == 0:
        if category in _DRAWN_ON_BASE:
            # Zero-width but meant to be seen with the character before it (an emoji skin
            # tone modifier, a Hangul filler): drawn on its base like a combining mark.
            return ch, 0, True
        return "", 0, False  # format characters and other invisibles: never sent
    return ch, width, False


_DRAWN_ON_BASE = frozenset({"Sk", "Lm", "Lo", "Mc", "So"})


VS16 = "\ufe0f"


@lru_cache(maxsize=1024)
def _vs16_width(base: str) -> int:
    """Cells of ``base`` followed by VARIATION SELECTOR-16, as Rich measures them."""
    return cell_len(base + VS16) if get_character_cell_size(base) else 0


def is_space(ch: str) -> bool:
    """Word separators: Unicode whitespace, including the no-break space news sites use."""
    return ch.isspace()


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a text: ``text[start:end]`` with the separator excluded."""

    index: int
    start: int
    end: int


class Paragraphs(Sequence[Paragraph]):
    """The paragraphs of a text as two lists of offsets; a Paragraph is made when asked for.

    When a paragraph was cut into blocks (longer than ``MAX_BLOCK``), each block is an entry
    here and ``whole(index)`` gives the span of the paragraph it belongs to (rule P1), over
    which its bidi levels are computed.
    """

    __slots__ = ("starts", "ends", "_whole")

    def __init__(
        self, starts: list[int], ends: list[int], whole: dict[int, tuple[int, int]] | None = None
    ) -> None:
        self.starts = starts
        self.ends = ends
        self._whole = whole or {}  # block index -> (start, end) of its paragraph, if cut

    def whole(self, index: int) -> tuple[int, int]:
        """The (start, end) of the paragraph holding entry ``index``: its own span unless the
        paragraph was cut into blocks."""
        found = self._whole.get(index)
        return found if found is not None else (self.starts[index], self.ends[index])

    @property
    def has_blocks(self) -> bool:
        return bool(self._whole)

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.starts)
        return Paragraph(index, self.starts[index], self.ends[index])

    def index_of(self, offset: int) -> int:
        """The paragraph holding logical ``offset`` (a separator belongs to the one it ends)."""
        return max(0, bisect_right(self.starts, offset) - 1)


_OTHER_SEPARATORS = re.compile("[\r\x1c\x1d\x1e\x85\u2029]")


def split_paragraphs(text: str, max_block: int | None = MAX_BLOCK) -> Paragraphs:
    """Rule P1: split at paragraph separators. A text of n separators has n + 1 paragraphs.

    A paragraph longer than ``max_block`` code points is then cut into blocks (``None``: never),
    each an entry of the result; see ``block_cuts`` for where.
    """
    if _OTHER_SEPARATORS.search(text) is None:  # the common case: "\n" only, done in C
        lengths = [len(part) + 1 for part in text.split("\n")]
        starts = [0, *accumulate(lengths)][:-1]
        ends = [start + n - 1 for start, n in zip(starts, lengths)]
    else:
        starts, ends = [], []
        pos = 0
        for m in PARAGRAPH_SEPARATOR.finditer(text):
            starts.append(pos)
            ends.append(m.start())
            pos = m.end()
        starts.append(pos)
        ends.append(len(text))
    if max_block is None or max(e - s for s, e in zip(starts, ends)) <= max_block:
        return Paragraphs(starts, ends)
    b_starts: list[int] = []
    b_ends: list[int] = []
    whole: dict[int, tuple[int, int]] = {}
    for s, e in zip(starts, ends):
        if e - s <= max_block:
            b_starts.append(s)
            b_ends.append(e)
            continue
        cuts = [s, *block_cuts(text, s, e, max_block), e]
        for a, b in zip(cuts, cuts[1:]):
            whole[len(b_starts)] = (s, e)
            b_starts.append(a)
            b_ends.append(b)
    return Paragraphs(b_starts, b_ends, whole)


_CUT_AFTER_SPACE = re.compile(r"\s(?=\S)")
_LAM_ALEF = ("\u0644", frozenset("\u0622\u0623\u0625\u0627"))


def _safe_cut(text: str, i: int) -> bool:
    """May a block start at ``text[i]`` without splitting what one cell shows?"""
    ch, before = text[i], text[i - 1]
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or before == "\u200d":
        return False
    return not (before == _LAM_ALEF[0] and ch in _LAM_ALEF[1])


def block_cuts(text: str, start: int, end: int, max_block: int = MAX_BLOCK) -> list[int]:
    """Where the paragraph ``text[start:end]`` is cut into blocks of at most ``max_block``.

    Each cut is just after the last whitespace that is followed by a non-space in the second
    half of the window ``[pos + max_block // 2, pos + max_block]``; a window without one
    (a single huge word) is cut at the last position that does not split a cell cluster
    (a letter from its marks, a ZWJ sequence, a lam-alef), or at its end if there is none.
    """
    cuts: list[int] = []
    pos = start
    max_block = max(2, max_block)
    while end - pos > max_block:
        lo, hi = pos + max_block // 2, pos + max_block
        cut = None
        for m in _CUT_AFTER_SPACE.finditer(text, lo, hi):
            cut = m.end()
        if cut is None:
            cut = hi
            while cut > lo and not _safe_cut(text, cut):
                cut -= 1
            if cut == lo:
                cut = hi
        cuts.append(cut)
        pos = cut
    return cuts


_LINE_FIELDS = (
    "paragraph",
    "start",
    "end",
    "rtl",
    "x",
    "glyphs",
    "logical",
    "columns",
    "widths",
    "heads",
    "formats",
)


class _LineSlots:
    __slots__ = (
        "paragraph",
        "start",
        "end",
        "rtl",
        "x",
        "glyphs",
        "logical",
        "columns",
        "widths",
        "formats",
        "_heads",
        "_zero",
        "_slot",
    )


class Line(_LineSlots):
    """One terminal line: a run of a paragraph in visual order. Immutable.

    ``glyphs[k]`` is drawn at column ``columns[k]`` (counted from the left edge of the layout
    width, so padding is included) and shows the logical character ``logical[k]``, the head of
    its cluster; it covers ``widths[k]`` cells. ``start``/``end`` are the logical range (end
    exclusive) of the line; ``rtl`` is the paragraph's direction. ``formats`` holds the
    positions ``k`` whose glyph is the mark of a bidi formatting character (only with
    ``show_format=True``), for the viewer to style them apart from the text. ``heads`` gives,
    per logical index of the line, the head of its cluster.
    """

    __slots__ = ()

    def __init__(
        self,
        paragraph: int,
        start: int,
        end: int,
        rtl: bool,
        x: int,
        glyphs: tuple[str, ...],
        logical: tuple[int, ...],
        columns: tuple[int, ...],
        widths: tuple[int, ...],
        heads: tuple[int, ...],
        formats: frozenset[int] = frozenset(),
    ) -> None:
        for name, value in zip(
            _LINE_FIELDS,
            (paragraph, start, end, rtl, x, glyphs, logical, columns, widths, heads, formats),
        ):
            object.__setattr__(self, "_heads" if name == "heads" else name, value)
        object.__setattr__(self, "_zero", ())
        object.__setattr__(self, "_slot", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in _LINE_FIELDS if n != "heads")
        return f"Line({fields})"

    @property
    def heads(self) -> tuple[int, ...]:
        """Per logical index of the line (``start`` to ``end``): the head of its cluster."""
        heads = self._heads
        if heads is None:  # made on first use from the line's zero-width positions
            start = self.start
            found = list(range(start, self.end))
            for i in self._zero:  # in increasing order, each after its head
                found[i - start] = found[i - start - 1]
            heads = tuple(found)
            object.__setattr__(self, "_heads", heads)
        return heads

    @property
    def text(self) -> str:
        """The line's cells as a terminal draws them, without padding."""
        return "".join(self.glyphs)

    @property
    def cell_width(self) -> int:
        return sum(self.widths)

    def padded(self, width: int) -> str:
        """The line placed in ``width`` cells: RTL lines right-aligned, LTR left-aligned."""
        return " " * self.x + self.text + " " * max(0, width - self.x - self.cell_width)

    def logical_at(self, column: int) -> int | None:
        """The logical index shown at a screen column, or None for padding (visual → logical)."""
        k = bisect_right(self.columns, column) - 1
        if k < 0 or column >= self.columns[k] + self.widths[k]:
            return None
        return self.logical[k]

    def column_of(self, index: int) -> int:
        """The column of the cell that shows logical ``index`` (logical → visual).

        A character without a cell of its own (a combining mark, an alef inside a lam-alef,
        a format character) gets its cluster's cell. Whitespace that ends a full line and did
        not fit gets ``past_end()``.
        """
        head = self.heads[index - self.start]
        slot = self._slot
        if slot is None:  # cluster head -> position in glyphs, made on first use
            slot = dict(zip(self.logical, range(len(self.logical))))
            object.__setattr__(self, "_slot", slot)
        k = slot.get(head)
        if k is not None:
            return self.columns[k]
        return self.past_end()

    def past_end(self) -> int:
        """The column just past the line's reading end: left of an RTL line (never below 0),
        right of an LTR one (which can be the layout width itself); ``x`` on an empty line."""
        if not self.columns:
            return self.x
        if self.rtl:
            return max(0, self.columns[0] - 1)
        return self.columns[-1] + self.widths[-1]


class _NewLine(_LineSlots):
    """A Line as the engine builds it: plain slot stores, then the class becomes Line."""

    __slots__ = ()

    def __init__(
        self, paragraph, start, end, rtl, x, glyphs, logical, columns, widths, heads, formats, zero
    ):
        self.paragraph = paragraph
        self.start = start
        self.end = end
        self.rtl = rtl
        self.x = x
        self.glyphs = glyphs
        self.logical = logical
        self.columns = columns
        self.widths = widths
        self._heads = heads
        self.formats = formats
        self._zero = zero
        self._slot = None
        self.__class__ = Line


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
_NO_FORMATS: frozenset[int] = frozenset()
_NO_ZERO: list = []  # shared, never changed
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


class ParagraphLayout:
    """Shaping, widths and bidi levels of one paragraph, computed once, reused for every width.

    Two paths give the same lines (tests/bidi/test_fast_path.py). The general one goes
    character by character and handles any text. The fast one is taken when the paragraph is
    reordered, all in the BMP, and every character is plain or a combining mark on a letter
    (see ``_CharClasses``): the usual news paragraph, harakat and lam-alefs included. Its
    per-paragraph work (``_FastText``: shaping, marks, mirrored characters) is a few calls over
    whole strings, done once for a whole text by ``TextLayout.lines``; it wraps with string
    searches, and builds each line with slices and ``itemgetter`` over ICU's visual map
    (none needed when all the paragraph's levels go one way) instead of a Python loop per
    character. ``fast`` tells which path a paragraph took.
    """

    __slots__ = (
        "text",
        "offset",
        "index",
        "bidi",
        "bidi_offset",
        "reorder",
        "show_format",
        "fast",
        "_glyphs",
        "_widths",
        "_marks",
        "_formats",
        "_wraps",
        "_fast_text",
        "_at",
        "_rtl",
        "_zeros",
        "_patches",
        "_mirrors",
        "_one_way",
    )

    def __init__(
        self,
        text: str,
        base: str = "auto",
        *,
        offset: int = 0,
        index: int = 0,
        reorder: bool = True,
        show_format: bool = False,
        bidi: ParagraphBidi | None = None,
        bidi_offset: int = 0,
        learn: bool = True,
    ) -> None:
        """``reorder=False`` keeps lines in logical order, unshaped and left-aligned: for
        terminals that apply the bidi algorithm and shaping themselves (Konsole, mlterm).

        ``learn=False``: take the fast path only if the text's characters are classified
        already (classifying a new block costs about a millisecond: worth it for an article,
        not for a title at startup, which the general path lays out as fast).

        ``show_format=True`` draws bidi formatting characters as one-cell marks.

        ``bidi``: the levels of the whole paragraph when ``text`` is one block of it, starting
        at ``bidi_offset`` in it (``base`` is then ignored).
        """
        self.text = text
        self.offset = offset
        self.index = index
        self.reorder = reorder
        self.show_format = show_format
        self.bidi = ParagraphBidi(text, base) if bidi is None else bidi
        self.bidi_offset = bidi_offset if bidi is not None else 0
        self._wraps: dict[int, list[tuple[int, int]]] = {}
        self._glyphs: list[str] | None = None
        self._rtl = self.bidi.rtl
        self._at = 0
        fast = None
        if _USE_FAST and reorder and self.bidi.bmp and _CHARS.fast(text, learn=learn):
            fast = _FAST_EMPTY if not text else _FastText.of(text, offset)
        self._fast_text = fast
        self.fast = fast is not None
        if fast is None:
            self._prepare()
        else:
            self._find_own(fast)

    @classmethod
    def _sharing(
        cls, text: str, base: str, offset: int, index: int, show_format: bool, fast: _FastText
    ) -> ParagraphLayout:
        """A fast paragraph ``text`` of a whole text whose fast work ``fast`` was done at once
        (``TextLayout.lines``), indexed by logical index."""
        self = cls.__new__(cls)
        self.text = text
        self.offset = offset
        self.index = index
        self.reorder = True
        self.show_format = show_format
        self.bidi = bidi = ParagraphBidi(text, base, bmp=True)
        self.bidi_offset = 0
        self._wraps = {}
        self._glyphs = None
        self._rtl = bidi.rtl
        self._at = offset
        self._fast_text = fast
        self.fast = True
        self._find_own(fast)
        return self

    def _find_own(self, fast: _FastText) -> None:
        """Where the paragraph's letters with marks and mirrored characters are in ``fast``;
        whether its lines need no visual map."""
        # (A fast text has no formatting characters; the rest of a long paragraph may.)
        self._one_way = self.bidi.one_way(explicit=self.bidi.text is not self.text)
        at = self._at
        end = at + len(self.text)
        zero = fast.zero
        lo = bisect_left(zero, at) if zero else 0
        self._zeros = (lo, bisect_left(zero, end, lo) if zero else 0)
        patch_at = fast.patch_at
        lo = bisect_left(patch_at, at) if patch_at else 0
        self._patches = (lo, bisect_left(patch_at, end, lo) if patch_at else 0)
        mirror_at = fast.mirror_at
        lo = bisect_left(mirror_at, at) if mirror_at else 0
        self._mirrors = (lo, bisect_left(mirror_at, end, lo) if mirror_at else 0)

    def _prepare(self) -> None:
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
        for ch, g in zip(text, shaped):  # (the index is len(glyphs): no enumerate, hot loop)
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

    # --- the general path's per-character data (made on first use for a fast paragraph) ---

    @property
    def glyphs(self) -> list[str]:
        """Per character: what its cell shows ("" when it has no cell of its own)."""
        if self._glyphs is None:
            self._prepare()
        return self._glyphs  # type: ignore[return-value]

    @property
    def widths(self) -> list[int]:
        """Per character: its cells (0 for marks, merged alefs and invisible characters)."""
        if self._glyphs is None:
            self._prepare()
        return self._widths

    @property
    def marks(self) -> list[bool]:
        """Per character: is it a combining mark drawn on its base?"""
        if self._glyphs is None:
            self._prepare()
        return self._marks

    @property
    def formats(self) -> set[int]:
        """The positions of the bidi formatting characters drawn as marks (show_format)."""
        if self._glyphs is None:
            self._prepare()
        return self._formats

    @property
    def rtl(self) -> bool:
        return self.bidi.rtl

    @property
    def cell_width(self) -> int:
        """The cells of the whole paragraph on one line."""
        if self.fast:
            zero = self._fast_text.zero  # type: ignore[union-attr]
            return len(self.text) - (
                bisect_left(zero, self._at + len(self.text)) - bisect_left(zero, self._at)
            )
        return sum(self.widths)

    # --- wrapping, in logical order -------------------------------------------------------

    def wrap(self, width: int) -> list[tuple[int, int]]:
        """Line ranges (paragraph-relative, end exclusive) for ``width`` cells.

        Greedy, at whitespace; whitespace stays on the line it ends. Only a word wider than
        the width is split, between cell clusters. An empty paragraph is one empty line.
        """
        cached = self._wraps.get(width)
        if cached is not None:
            return cached
        width = max(1, width)
        lines = self._wrap_fast(width) if self.fast else self._wrap(width)
        self._wraps[width] = lines
        return lines

    def _wrap_fast(self, width: int) -> list[tuple[int, int]]:
        """``wrap`` for a fast paragraph, a few string searches per line. Every cell is one
        cell wide: the line from ``s`` holds the ``width`` cells before ``p`` (the next cell's
        head) and ends before the word that ``p`` falls in, after the whitespace that ``p``
        falls in, or — the line's first word being wider than the line — at ``p``, which splits
        the word between clusters. (Indices here are the shared text's: ``at`` is index 0.)"""
        fast = self._fast_text
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

    def _wrap(self, width: int) -> list[tuple[int, int]]:
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

    def _split_word(
        self, i: int, j: int, width: int, start: int, lines: list[tuple[int, int]]
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

    # --- one line: clusters, reordering, placement -----------------------------------------

    def line(self, start: int, end: int, width: int) -> Line:
        """The line ``text[start:end]`` (paragraph-relative) laid out in ``width`` cells."""
        if self.fast:
            zero = self._fast_text.zero  # type: ignore[union-attr]
            if (
                not zero
                or start >= end
                or not (_holds(zero, start + self._at) or _holds(zero, end + self._at))
            ):  # (a range that splits no cluster)
                return self._line_fast(start, end, width)
        return self._line(start, end, width)

    def _line_fast(self, start: int, end: int, width: int) -> Line:
        """``line`` for a fast paragraph, ``start`` and ``end`` at cluster heads."""
        return self._lines_fast(((start, end),), width)[0]

    def _lines_fast(self, ranges: Sequence[tuple[int, int]], width: int) -> list[Line]:
        """The lines of the ranges (at cluster heads) of a fast paragraph: a loop with what
        every line needs at hand, as the reading of ``text`` the fast way is mostly per line."""
        off = self.offset
        rtl = self._rtl
        index = self.index
        fast = self._fast_text
        at = self._at
        shift = fast.shift
        store = fast.glyphs
        zero = fast.zero
        zeros_lo, zeros_hi = self._zeros
        patches_lo, patches_hi = self._patches
        mirrors_lo, mirrors_hi = self._mirrors
        one_way = self._one_way
        new_line = _NewLine
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
                    cells = list(cells)  # type: ignore[assignment]
                    for j in range(patches_lo, patches_hi):
                        p = patch_at[j]
                        if a <= p < shown_end:
                            cells[shown_end - 1 - p if rtl else p - a] = fast.patch_glyph[j]  # type: ignore[index]
                if rtl and mirrors_hi > mirrors_lo:  # rule L4: every level is odd
                    mirror_at = fast.mirror_at
                    cells = list(cells)  # type: ignore[assignment]
                    for j in range(mirrors_lo, mirrors_hi):
                        p = mirror_at[j]
                        if a <= p < shown_end:
                            cells[shown_end - 1 - p] = fast.mirror_glyph[j]  # type: ignore[index]
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
                order = self.bidi.visual_map(start + self.bidi_offset, end + self.bidi_offset)
                if zhi > zlo or shown_end < b:
                    order = list(order)  # type: ignore[assignment]
                    for i in zero[zlo:zhi]:
                        order.remove(i - a)  # type: ignore[attr-defined]
                    for i in range(shown_end - a, b - a):
                        order.remove(i)  # type: ignore[attr-defined]
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
                    levels = None
                    shown = None
                    for j in range(mirrors_lo, mirrors_hi):
                        p = mirror_at[j]
                        if a <= p < shown_end:
                            if levels is None:
                                levels = self.bidi.levels(
                                    start + self.bidi_offset, end + self.bidi_offset
                                )
                                shown = list(glyphs)
                            if levels[p - a] & 1:
                                shown[order.index(p - a)] = fast.mirror_glyph[j]  # type: ignore[index]
                    if shown is not None:
                        glyphs = tuple(shown)
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

    def _line(self, start: int, end: int, width: int) -> Line:
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
            line_formats = frozenset(
                k for k, i in enumerate(out_logical) if i - off in self.formats
            )
        x = width - total if (self.rtl and self.reorder) else 0
        columns = []
        col = max(0, x)
        for w in out_widths:
            columns.append(col)
            col += w
        return _NewLine(
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

    def lines(self, width: int) -> list[Line]:
        if self.fast:
            return self._lines_fast(self.wrap(width), width)
        return [self._line(s, e, width) for s, e in self.wrap(width)]


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


class TextLayout:
    """A whole text at one width: paragraphs laid out lazily, lines addressed by number.

    ``lines`` lays out every paragraph; ``paragraph_lines`` only the one asked for, which is
    what a viewer showing a screenful of a long article wants. "Paragraph" here means an entry
    of ``paragraphs``: a block, for a paragraph longer than ``MAX_BLOCK``.
    """

    def __init__(
        self,
        text: str,
        width: int,
        base: str = "auto",
        *,
        reorder: bool = True,
        paragraphs: Paragraphs | None = None,
        show_format: bool = False,
    ) -> None:
        """``paragraphs``: the text's ``split_paragraphs``, when the caller already has it.
        ``show_format``: draw bidi formatting characters as marks (see the module docstring)."""
        check_base(base)
        self.text = text
        self.width = max(1, width)
        self.base = base
        self.reorder = reorder
        self.show_format = show_format
        self.paragraphs = split_paragraphs(text) if paragraphs is None else paragraphs
        # Width-independent work, shared by every layout derived with at_width() and
        # with_format_shown(): bidi levels per whole paragraph (keyed by its start), and the
        # paragraph layouts for each show_format setting.
        self._shared: dict = {"bidi": {}, False: {}, True: {}}
        self._layouts: dict[int, ParagraphLayout] = self._shared[show_format]
        self._lines: dict[int, list[Line]] = {}

    def _derive(self, width: int, show_format: bool) -> TextLayout:
        other = TextLayout(
            self.text,
            width,
            self.base,
            reorder=self.reorder,
            paragraphs=self.paragraphs,
            show_format=show_format,
        )
        other._shared = self._shared
        other._layouts = self._shared[show_format]
        return other

    def at_width(self, width: int) -> TextLayout:
        """The same text at another width. Paragraphs keep their shaping and bidi levels (they
        do not depend on the width), so a resize only re-wraps what is shown again."""
        return self._derive(width, self.show_format)

    def with_format_shown(self, show: bool) -> TextLayout:
        """The same text with bidi formatting characters shown as marks (or not). The bidi
        levels are shared; each setting's paragraph layouts are kept, so toggling back and
        forth lays nothing out twice."""
        return self._derive(self.width, show)

    def _bidi_of(self, index: int) -> tuple[ParagraphBidi | None, int]:
        """The whole paragraph's levels and the block's offset in it, for a block; else None."""
        ws, we = self.paragraphs.whole(index)
        start = self.paragraphs.starts[index]
        if (ws, we) == (start, self.paragraphs.ends[index]):
            return None, 0
        bidis = self._shared["bidi"]
        bidi = bidis.get(ws)
        if bidi is None:
            bidi = bidis[ws] = ParagraphBidi(self.text[ws:we], self.base)
        return bidi, start - ws

    def paragraph_layout(self, index: int) -> ParagraphLayout:
        layout = self._layouts.get(index)
        if layout is None:
            p = self.paragraphs[index]
            bidi, bidi_offset = self._bidi_of(index)
            layout = ParagraphLayout(
                self.text[p.start : p.end],
                self.base,
                offset=p.start,
                index=index,
                reorder=self.reorder,
                show_format=self.show_format,
                bidi=bidi,
                bidi_offset=bidi_offset,
            )
            self._layouts[index] = layout
        return layout

    def paragraph_lines(self, index: int) -> list[Line]:
        lines = self._lines.get(index)
        if lines is None:
            lines = self.paragraph_layout(index).lines(self.width)
            self._lines[index] = lines
        return lines

    @property
    def lines(self) -> list[Line]:
        # Everything made here is acyclic (strings, tuples, lists, Lines): run meanwhile, the
        # cyclic garbage collector would traverse the growing heap again and again and find
        # nothing, for a fifth of the time. It is paused (if it runs at all); its next young
        # collection, after, examines the new objects once.
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            self._lay_out_rest()
            out: list[Line] = []
            lines = self._lines
            for i in range(len(self.paragraphs)):
                out += lines[i]
        finally:
            if collecting:
                gc.enable()
        return out

    def _lay_out_rest(self) -> None:
        """Lay out every paragraph not laid out yet, together: the fast path's work (shaping,
        marks, mirrored characters; see ``_FastText``) is done over the whole text in a few
        calls and shared by its fast paragraphs, and an empty paragraph gets its line without
        a ParagraphLayout (made when asked for). Paragraphs with characters the fast path
        leaves to the general one, the blocks of long paragraphs and the paragraphs laid out
        already (at another width) go their own way, each with its ParagraphLayout."""
        paragraphs = self.paragraphs
        count = len(paragraphs)
        done = self._lines
        if len(done) == count:
            return
        if not (_USE_FAST and self.reorder) or count - len(done) < 2:
            for i in range(count):
                self.paragraph_lines(i)
            return
        text = self.text
        starts, ends = paragraphs.starts, paragraphs.ends
        own: set[int] = set(paragraphs._whole)  # blocks
        chars = _CHARS
        if chars.other_text.search(text) is not None:
            chars.learn(text)
            m = chars.other_text.search(text)
            while m is not None:  # one search per paragraph that has any
                i = paragraphs.index_of(m.start())
                own.add(i)
                m = chars.other_text.search(text, ends[i])
        if chars.mark is not None:
            for m in chars.mark.finditer(text):
                t = m.start()
                if t == 0 or text[t - 1].isspace():  # a mark with no letter to sit on
                    own.add(paragraphs.index_of(t))
        fast = _FastText.of(_masked(text, [(starts[i], ends[i]) for i in sorted(own)]))
        if fast is None:
            for i in range(count):
                self.paragraph_lines(i)
            return
        base, width, show_format = self.base, self.width, self.show_format
        layouts = self._layouts
        for i in range(count):
            if i in done:
                continue
            if i in own or i in layouts:
                done[i] = self.paragraph_layout(i).lines(width)
                continue
            s = starts[i]
            e = ends[i]
            if s == e:
                rtl = base == "rtl"  # (the level of an empty paragraph)
                done[i] = [
                    _NewLine(i, s, s, rtl, width if rtl else 0, (), (), (), (), (), _NO_FORMATS, ())
                ]
                continue
            layout = layouts[i] = ParagraphLayout._sharing(text[s:e], base, s, i, show_format, fast)
            done[i] = layout.lines(width)

    def paragraph_of(self, index: int) -> int:
        """The paragraph holding logical ``index`` (a separator belongs to the one it ends)."""
        return self.paragraphs.index_of(index)

    def locate(self, index: int) -> tuple[int, int, int]:
        """Logical → visual: (paragraph, line within the paragraph, column) of ``index``."""
        p = self.paragraph_of(index)
        lines = self.paragraph_lines(p)
        for n, line in enumerate(lines):
            if index < line.end:
                return p, n, line.column_of(index)
        last = lines[-1]
        # The paragraph separator, or the end of the text: just past the reading end, kept
        # inside the layout when the last line is a full LTR one.
        column = last.past_end()
        if last.columns and not last.rtl:
            column = min(self.width - 1, column)
        return p, len(lines) - 1, column


def layout_text(
    text: str, width: int, base: str = "auto", *, show_format: bool = False
) -> list[Line]:
    """Every line of ``text`` laid out in ``width`` cells."""
    return TextLayout(text, width, base, show_format=show_format).lines


ELLIPSIS = "\u2026"
FIT_HEAD = 4096  # code points of a text fit_line looks at, at least


def fit_line(text: str, width: int, base: str = "auto", *, reorder: bool = True) -> str:
    """``text`` as one line of exactly ``width`` cells, for titles and labels.

    Laid out like a paragraph (visual order, shaped, right-aligned if RTL); when it does not
    fit, cut in logical order and marked with an ellipsis at its reading end.
    """
    if width <= 0:
        return ""
    # Only a head of a very long text can show: lay out that much (a 5 MB one-line article
    # has a 5 MB title). Its direction is then that of the head's first strong character.
    head = max(FIT_HEAD, 8 * width)
    cut = len(text) > head
    if cut:
        text = text[:head]
    para = ParagraphLayout(PARAGRAPH_SEPARATOR.sub(" ", text), base, reorder=reorder, learn=False)
    n = len(para.text)
    if not cut and para.cell_width <= width:
        return para.line(0, n, width).padded(width)
    if width == 1:
        return ELLIPSIS
    start, end = para.wrap(width - 1)[0]
    line = para.line(start, end, width - 1)
    body = line.text.strip(" ")
    if cell_len(body) > width - 1:  # one double-width cell wider than the room left
        body = ""
    pad = " " * max(0, width - 1 - cell_len(body))
    if line.rtl and reorder:
        return pad + ELLIPSIS + body
    return body + ELLIPSIS + pad
