"""Rule P1: a text cut into paragraphs, and a very long paragraph into blocks (``MAX_BLOCK``)."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise
from typing import overload

from .._icu import bracket_pairs, first_explicit, separable

# Rule P1: paragraph separators (bidi class B). CRLF counts as one.
PARAGRAPH_SEPARATOR = re.compile("\r\n|[\n\r\x1c\x1d\x1e\x85\u2029]")

# Longest run of a paragraph laid out as one unit (see the module docstring).
MAX_BLOCK = 16384


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a text: ``text[start:end]`` with the separator excluded."""

    index: int
    start: int
    end: int


class Paragraphs(Sequence[Paragraph]):
    """The paragraphs of a text as two lists of offsets; a Paragraph is made when asked for.

    When a paragraph was cut into blocks (longer than ``MAX_BLOCK``), each block is an entry
    here and ``whole(index)`` gives the span of the paragraph it belongs to (rule P1), whose
    level is its blocks' level. ``levels(index)`` gives the run of its blocks over which its
    bidi levels are computed: the whole paragraph, unless it could be cut where the levels
    on each side do not depend on the other (``separable``): a 67 MB one-line article then
    costs UAX #9 over the blocks shown, not over 67 MB, and gets the same levels.
    """

    __slots__ = ("starts", "ends", "_whole", "_levels")

    def __init__(
        self,
        starts: list[int],
        ends: list[int],
        whole: dict[int, tuple[int, int]] | None = None,
        levels: dict[int, tuple[int, int]] | None = None,
    ) -> None:
        self.starts = starts
        self.ends = ends
        self._whole = whole or {}  # block index -> (start, end) of its paragraph, if cut
        self._levels = levels or {}  # block index -> (start, end) of its run of levels

    def whole(self, index: int) -> tuple[int, int]:
        """The (start, end) of the paragraph holding entry ``index``: its own span unless the
        paragraph was cut into blocks."""
        found = self._whole.get(index)
        return found if found is not None else (self.starts[index], self.ends[index])

    def levels(self, index: int) -> tuple[int, int]:
        """The (start, end) of the text whose UAX #9 levels entry ``index`` takes (at the
        level of its whole paragraph): the whole paragraph, or a run of its blocks."""
        found = self._levels.get(index)
        return found if found is not None else self.whole(index)

    @property
    def has_blocks(self) -> bool:
        return bool(self._whole)

    def __len__(self) -> int:
        return len(self.starts)

    @overload
    def __getitem__(self, index: int) -> Paragraph: ...
    @overload
    def __getitem__(self, index: slice) -> list[Paragraph]: ...
    def __getitem__(self, index: int | slice) -> Paragraph | list[Paragraph]:
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
        ends = [start + n - 1 for start, n in zip(starts, lengths, strict=True)]
    else:
        starts, ends = [], []
        pos = 0
        for m in PARAGRAPH_SEPARATOR.finditer(text):
            starts.append(pos)
            ends.append(m.start())
            pos = m.end()
        starts.append(pos)
        ends.append(len(text))
    if max_block is None or max(e - s for s, e in zip(starts, ends, strict=True)) <= max_block:
        return Paragraphs(starts, ends)
    b_starts: list[int] = []
    b_ends: list[int] = []
    whole: dict[int, tuple[int, int]] = {}
    levels: dict[int, tuple[int, int]] = {}
    for s, e in zip(starts, ends, strict=True):
        if e - s <= max_block:
            b_starts.append(s)
            b_ends.append(e)
            continue
        cuts = block_cuts(text, s, e, max_block)
        first = len(b_starts)
        for a, b in pairwise([s, *cuts, e]):
            whole[len(b_starts)] = (s, e)
            b_starts.append(a)
            b_ends.append(b)
        _level_runs(s, e, cuts, separable_cuts(text, s, e, cuts), first, levels)
    return Paragraphs(b_starts, b_ends, whole, levels)


def separable_cuts(
    text: str, start: int, end: int, cuts: list[int], *, finished: bool = True
) -> list[bool]:
    """Per cut of the paragraph ``text[start:end]``: may its levels be computed apart on each
    side (``separable``)? Never after an explicit embedding, override or isolate, nor inside
    a bracket pair (rule N0 resolves a bracket by what the pair holds, on both sides of the
    cut), nor where BD16 stopped pairing. ``finished=False``: the paragraph goes on past
    ``end`` (a stream), so an opening bracket without its pair yet may still get one."""
    if not cuts:
        return []
    explicit = first_explicit(text, start, cuts[-1])
    pairs, pairing_stopped, unpaired = bracket_pairs(text, start, end)
    if not finished:
        pairs += [(at, end) for at in unpaired]
    inside = _inside_pairs(pairs, cuts)
    return [
        c <= explicit and c <= pairing_stopped and not held and separable(text, a, c)
        for a, c, held in zip([start, *cuts], cuts, inside, strict=False)
    ]


def _inside_pairs(pairs: list[tuple[int, int]], cuts: list[int]) -> list[bool]:
    """Per cut (ascending): does a bracket pair hold it (its opening bracket before the cut,
    its closing one at or after)?"""
    spans = sorted(pairs)
    out = []
    k = 0
    reach = -1  # the furthest closing bracket of the pairs opened before the cut
    for c in cuts:
        while k < len(spans) and spans[k][0] < c:
            reach = max(reach, spans[k][1])
            k += 1
        out.append(reach >= c)
    return out


def _level_runs(
    start: int,
    end: int,
    cuts: list[int],
    apart: list[bool],
    first: int,
    out: dict[int, tuple[int, int]],
) -> None:
    """Record for each block (numbered from ``first``) the run of blocks between separable
    cuts that holds it."""
    run_start = start
    block_starts = [start, *cuts]
    run_ends = [c for c, ok in zip(cuts, apart, strict=True) if ok] + [end]
    r = 0
    for k, a in enumerate(block_starts):
        if a >= run_ends[r]:
            run_start = run_ends[r]
            r += 1
        out[first + k] = (run_start, run_ends[r])


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
