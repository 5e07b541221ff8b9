"""The only module that talks to ICU (PyICU): bidi levels and visual maps, mirroring, shaping.

ICU counts in UTF-16 code units; everything that leaves this module counts in code points
(Python ``str`` indices), so callers never see the difference.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu

from hamish.store.offsets import Utf16Offsets, utf16_offsets

_LEVEL = {"auto": icu.Bidi.DEFAULT_LTR, "ltr": 0, "rtl": 1}
_SHAPE_OPTIONS = (
    icu.Shape.LETTERS_SHAPE | icu.Shape.TEXT_DIRECTION_LOGICAL | icu.Shape.LAMALEF_RESIZE
)
_LAM = "\u0644"
_ALEFS = frozenset("\u0622\u0623\u0625\u0627")
_LAM_ALEF_LIGATURES = frozenset(chr(c) for c in range(0xFEF5, 0xFEFD))

# Bidi classes that rule X9 removes (explicit embeddings/overrides, PDF, and BN).
_D = icu.UCharDirection
_X9_REMOVED = frozenset(
    {
        _D.LEFT_TO_RIGHT_EMBEDDING,
        _D.RIGHT_TO_LEFT_EMBEDDING,
        _D.LEFT_TO_RIGHT_OVERRIDE,
        _D.RIGHT_TO_LEFT_OVERRIDE,
        _D.POP_DIRECTIONAL_FORMAT,
        _D.BOUNDARY_NEUTRAL,
    }
)


def check_base(base: str) -> None:
    if base not in _LEVEL:
        raise ValueError(f"base must be 'auto', 'ltr' or 'rtl', not {base!r}")


@lru_cache(maxsize=4096)
def is_x9_removed(ch: str) -> bool:
    return icu.Char.charDirection(ch) in _X9_REMOVED


@lru_cache(maxsize=4096)
def mirrored(ch: str) -> str:
    """The Bidi_Mirroring_Glyph of ``ch`` (rule L4), or ``ch`` itself."""
    if icu.Char.isMirrored(ch):
        return icu.Char.charMirror(ch)
    return ch


# Explicit embeddings, overrides and isolates (rules X2-X8), which raise levels past 2.
_EXPLICIT = re.compile("[\u202a-\u202e\u2066-\u2069]")

# Where a long paragraph can be cut so that each part gets, from UAX #9 run over it alone at
# the paragraph's level, the levels the whole paragraph gives (see ``separable``).
_STRONG = frozenset({_D.LEFT_TO_RIGHT, _D.RIGHT_TO_LEFT, _D.RIGHT_TO_LEFT_ARABIC})
_CLOSED = _STRONG | {_D.EUROPEAN_NUMBER, _D.ARABIC_NUMBER}
_GAP = frozenset({_D.WHITE_SPACE_NEUTRAL, _D.SEGMENT_SEPARATOR})
_ATTACHED = frozenset({_D.DIR_NON_SPACING_MARK, _D.BOUNDARY_NEUTRAL})
SEPARABLE_LOOK_BACK = 256  # characters looked at before a cut, at most


@lru_cache(maxsize=4096)
def _bidi_class(ch: str) -> int:
    return icu.Char.charDirection(ch)


def separable(text: str, start: int, cut: int) -> bool:
    """May ``text[start:cut]`` (the start of a paragraph, or a part beginning at a separable
    cut) and what follows ``cut`` get their levels from UAX #9 run over each alone, at the
    paragraph's level, and lose nothing? The caller knows ``text[start:cut]`` has no explicit
    embedding, override or isolate (nothing is open at the cut).

    True when ``text[cut]`` is strong (L, R, AL), and before it come only whitespace (WS, S),
    then marks and boundary neutrals, then a strong character or a number (EN, AN). Then: no
    rule resolving a character at or after ``cut`` looks past the strong ``text[cut]`` (W1,
    W2, W7 look back to the nearest strong type, N1 and N2 stop at it); none resolving one
    before the whitespace looks past it (its type is strong or a number whatever follows; W4
    and W5 see the whitespace after it in both); and the whitespace itself is put back at the
    paragraph level by rule L1 in every line, because the part before ``cut`` ends a line
    (each block starts a new line) and only whitespace follows it on that line.
    """
    if cut >= len(text) or _bidi_class(text[cut]) not in _STRONG:
        return False
    i = cut - 1
    low = max(start, cut - SEPARABLE_LOOK_BACK)
    while i >= low and _bidi_class(text[i]) in _GAP:
        i -= 1
    while i >= low and _bidi_class(text[i]) in _ATTACHED:
        i -= 1
    return i >= low and _bidi_class(text[i]) in _CLOSED


_MAX_BRACKET_DEPTH = 63  # BD16's stack: past it, no bracket of the sequence pairs


@lru_cache(maxsize=1)
def _paired_brackets() -> tuple[re.Pattern[str], dict[str, str]]:
    """The paired brackets (Bidi_Paired_Bracket_Type Open or Close, from ICU): a pattern of
    them all, and each opening bracket's closing one, canonically decomposed (BD16 matches
    U+2329 with U+3009 as with U+232A)."""
    opens = list(icu.UnicodeSet("[:Bidi_Paired_Bracket_Type=Open:]"))
    closes = list(icu.UnicodeSet("[:Bidi_Paired_Bracket_Type=Close:]"))
    closer = {
        o: unicodedata.normalize("NFD", chr(icu.Char.getBidiPairedBracket(ord(o)))) for o in opens
    }
    return re.compile("[" + "".join(re.escape(c) for c in opens + closes) + "]"), closer


def bracket_pairs(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int, list[int]]:
    """BD16 over ``text[start:end]`` taken as one sequence: the bracket pairs (positions of
    the opening and the closing bracket), in order of their closing bracket; where pairing
    stopped because its stack overflowed (``end`` if it did not: past there, which brackets
    pair is not known); the opening brackets left without a pair."""
    pattern, closer = _paired_brackets()
    stack: list[tuple[str, int]] = []  # (the closing bracket awaited, the opening's position)
    pairs: list[tuple[int, int]] = []
    for m in pattern.finditer(text, start, end):
        ch = m.group()
        awaited = closer.get(ch)
        if awaited is not None:
            if len(stack) >= _MAX_BRACKET_DEPTH:
                return pairs, m.start(), [at for _, at in stack]
            stack.append((awaited, m.start()))
            continue
        ch = unicodedata.normalize("NFD", ch)
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == ch:
                pairs.append((stack[k][1], m.start()))
                del stack[k:]
                break
    return pairs, end, [at for _, at in stack]


def base_direction(text: str) -> str | None:
    """Rule P2 without isolates (for a text without them): "ltr" or "rtl" by the first
    strong character of ``text``, None if it has none."""
    found = icu.Bidi.getBaseDirection(text)
    if found == icu.UBiDiDirection.LTR:
        return "ltr"
    if found == icu.UBiDiDirection.RTL:
        return "rtl"
    return None


def first_explicit(text: str, start: int = 0, end: int | None = None) -> int:
    """The index of the first explicit embedding, override or isolate (or PDF, PDI) in
    ``text[start:end]``, or ``end`` if there is none."""
    end = len(text) if end is None else end
    m = _EXPLICIT.search(text, start, end)
    return end if m is None else m.start()


class ParagraphBidi:
    """UAX #9 run once over a paragraph; lines are then reordered with its levels (3.4).

    ICU counts UTF-16 units. Only the positions of the characters outside the BMP (two units
    each) are kept, so a line's maps cost the line, not the paragraph, even in a 5 MB
    paragraph full of emoji.
    """

    __slots__ = ("text", "level", "_ustr", "_bidi", "_utf16", "_one_way")

    def __init__(self, text: str, base: str = "auto", *, bmp: bool = False) -> None:
        """``bmp=True``: the caller knows every character of ``text`` is in the BMP."""
        check_base(base)
        self.text = text
        self._utf16: Utf16Offsets | None = None
        self._one_way: bool | None = None
        if not text:  # no characters, no runs: the level is the base's (0 for auto)
            self._ustr = self._bidi = None
            self.level = 1 if base == "rtl" else 0
            return
        self._ustr = icu.UnicodeString(text)  # ICU keeps a pointer: keep it alive
        self._bidi = icu.Bidi()
        self._bidi.setPara(self._ustr, _LEVEL[base])
        self.level = self._bidi.getParaLevel()
        if not bmp:
            self._utf16 = utf16_offsets(text)

    @property
    def bmp(self) -> bool:
        """Is every character in the Basic Multilingual Plane (one UTF-16 unit each)?"""
        return self._utf16 is None

    # _line_order: ICU 72 gives a line (setLine) whose trailing whitespace rule L1 put back at
    # the paragraph level a visual map of the levels before L1 unless the line's levels were
    # asked for first: "ا  " ending a line of an LTR paragraph ("00000000Xا  0") has levels
    # 1 0 0 but the map 0 2 1 (the two spaces reversed), where UAX #9 and FriBidi give 0 1 2.
    # Asking for the levels first gives the right map.

    def visual_map(self, start: int, end: int) -> tuple[int, ...]:
        """``line``'s visual order as ICU gives it, for a paragraph of BMP characters only
        (``bmp``): relative to ``start`` (``text[start + v]`` is shown k-th for the k-th v)."""
        bidi = self._bidi
        if bidi is None:  # the empty paragraph
            return ()
        if start == 0 and end == len(self.text):
            return bidi.getVisualMap()
        line = bidi.setLine(start, end)
        line.getLevels()  # first: see _line_order
        return line.getVisualMap()

    def levels(self, start: int, end: int) -> tuple[int, ...]:
        """``line``'s levels (logical order, one per character), for a BMP paragraph only."""
        bidi = self._bidi
        if bidi is None:  # the empty paragraph
            return ()
        if start == 0 and end == len(self.text):
            return bidi.getLevels()
        return bidi.setLine(start, end).getLevels()

    @property
    def rtl(self) -> bool:
        return bool(self.level & 1)

    def one_way(self, explicit: bool = True) -> bool:
        """Is every line of the paragraph shown in plain logical order (LTR) or reversed
        (RTL), whatever its range? True when ICU found every level even in an LTR paragraph
        (0, or 2 for numbers: reversed twice) or odd in an RTL one (1: without explicit
        embeddings, overrides or isolates no character goes to 3), so that rule L1 changes no
        line's order either; mirroring then applies to all (RTL) or none (LTR).
        ``explicit=False``: the caller knows the paragraph has no formatting characters.
        (Asked once per paragraph, also when its blocks ask: the answer is kept.)"""
        found = self._one_way
        if found is None:
            if self._bidi is None or (explicit and _EXPLICIT.search(self.text) is not None):
                found = False
            elif self.level == 0:
                found = self._bidi.getDirection() == icu.UBiDiDirection.LTR
            else:
                found = self.level == 1 and self._bidi.getDirection() == icu.UBiDiDirection.RTL
            self._one_way = found
        return found

    def _unit(self, cp: int) -> int:
        """The UTF-16 offset of code point ``cp``."""
        return self._utf16.to_utf16(cp) if self._utf16 else cp

    def line(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """Visual order (paragraph indices, left to right) and levels of ``text[start:end]``.

        Rules L1 (trailing whitespace to the paragraph level) and L2 (reversal) are applied to
        the line alone. Levels are returned in logical order, one per code point of the line.
        """
        bidi = self._bidi
        if start >= end or bidi is None:  # (no Bidi only for the empty paragraph)
            return [], []
        if self._utf16 is None:
            line = bidi if (start, end) == (0, len(self.text)) else bidi.setLine(start, end)
            levels = list(line.getLevels())  # first: see _line_order
            return [start + v for v in line.getVisualMap()], levels
        u0, u1 = self._unit(start), self._unit(end)
        line = bidi.setLine(u0, u1)
        unit_levels = line.getLevels()  # first: see _line_order
        cp_of_unit: list[int] = []  # line-relative unit -> paragraph code point
        unit_of_cp: list[int] = []  # line code point -> line-relative unit
        for cp in range(start, end):
            unit_of_cp.append(len(cp_of_unit))
            cp_of_unit.append(cp)
            if self.text[cp] > "\uffff":
                cp_of_unit.append(cp)
        order: list[int] = []
        for v in line.getVisualMap():
            cp = cp_of_unit[v]
            if not order or order[-1] != cp:  # the two halves of a surrogate pair
                order.append(cp)
        levels = [unit_levels[u] for u in unit_of_cp]
        return order, levels


def visual_order(text: str, base: str = "auto") -> list[int]:
    """Logical indices of one line of ``text`` in left-to-right display order (UAX #9, L1-L2).

    Characters removed by rule X9 (embedding and override controls, PDF, BN) are left out,
    as in the Unicode conformance file BidiCharacterTest.txt.
    """
    para = ParagraphBidi(text, base)
    order, _ = para.line(0, len(text))
    return [i for i in order if not is_x9_removed(text[i])]


def is_mirrored(ch: str) -> bool:
    """Has ``ch`` the Bidi_Mirrored property (it may be drawn mirrored by rule L4)?"""
    return bool(icu.Char.isMirrored(ch))


def shape_letters(letters: str) -> str:
    """ICU's Arabic shaper over ``letters`` (no combining marks), lam-alefs merged into one
    ligature each (the result is shorter by one for each)."""
    return icu.Shape.shapeArabic(letters, _SHAPE_OPTIONS)


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me")


_ARABIC = re.compile("[\u0600-\u08ff\ufb50-\ufeff]")


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def shape(text: str) -> list[str | None]:
    """Arabic presentation forms for each character of a paragraph, by ICU's shaper.

    Returns one entry per code point: the character's shaped form; ``None`` for an alef that
    ICU merged into the lam-alef ligature of the lam before it. Combining marks are returned
    unchanged (ICU would turn harakat into spacing presentation forms; terminals must get the
    combining marks, drawn on their letter). Joining context is the whole ``text``.
    """
    glyphs: list[str | None] = list(text)
    if not has_arabic(text):
        return glyphs
    # Marks are transparent to joining, so shaping the letters alone gives the same forms.
    positions = [i for i, ch in enumerate(text) if not _is_mark(ch)]
    letters = "".join(text[i] for i in positions)
    shaped = icu.Shape.shapeArabic(letters, _SHAPE_OPTIONS)
    if len(shaped) == len(letters):
        for i, g in zip(positions, shaped, strict=True):
            glyphs[i] = g
        return glyphs
    # LAMALEF_RESIZE: each lam + alef became one ligature; align the two strings.
    out: list[str | None] = [None] * len(letters)
    j = 0
    k = 0
    n = len(letters)
    while k < n:
        if j >= len(shaped):
            return list(text)  # ICU did something unexpected: show the text unshaped
        g = shaped[j]
        if (
            g in _LAM_ALEF_LIGATURES
            and letters[k] == _LAM
            and k + 1 < n
            and letters[k + 1] in _ALEFS
        ):
            out[k] = g
            out[k + 1] = None
            k += 2
        else:
            out[k] = g
            k += 1
        j += 1
    if j != len(shaped):
        return list(text)
    for i, g in zip(positions, out, strict=True):
        glyphs[i] = g
    return glyphs
