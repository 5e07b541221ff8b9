"""One paragraph's shaping, widths and bidi levels, computed once and reused for every width;
its lines come from the fast path (``fast``) or the general one (``general``)."""

from __future__ import annotations

from bisect import bisect_left

from .._icu import (
    ParagraphBidi,
)
from . import fast as fast_path
from . import general
from .fast import _CHARS, _FAST_EMPTY, _FastText, _holds
from .lines import Line


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
    # (Declared for the type checker; set by __init__/_sharing and general.prepare.)
    _glyphs: list[str] | None
    _widths: list[int]
    _marks: list[bool]
    _formats: set[int]
    _fast_text: _FastText | None

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
        if fast_path._USE_FAST and reorder and self.bidi.bmp and _CHARS.fast(text, learn=learn):
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

    _prepare = general.prepare  # the general path's per-character data
    _wrap_fast = fast_path.wrap
    _wrap = general.wrap
    _split_word = general.split_word
    _lines_fast = fast_path.lines
    _line = general.line

    # --- the general path's per-character data (made on first use for a fast paragraph) ---

    @property
    def glyphs(self) -> list[str]:
        """Per character: what its cell shows ("" when it has no cell of its own)."""
        if self._glyphs is None:
            self._prepare()
        return self._glyphs  # type: ignore[return-value]  # _prepare() has set them

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
            zero = self._fast_text.zero  # type: ignore[union-attr]  # fast: it has one
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

    # --- one line: clusters, reordering, placement -----------------------------------------

    def line(self, start: int, end: int, width: int) -> Line:
        """The line ``text[start:end]`` (paragraph-relative) laid out in ``width`` cells."""
        if self.fast:
            zero = self._fast_text.zero  # type: ignore[union-attr]  # fast: it has one
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

    def lines(self, width: int) -> list[Line]:
        if self.fast:
            return self._lines_fast(self.wrap(width), width)
        return [self._line(s, e, width) for s, e in self.wrap(width)]
