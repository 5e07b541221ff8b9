"""A laid-out screen line (``Line``): glyphs in visual order with their logical indices,
columns and widths, and its maps both ways."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING

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
    # (Declared for the type checker; the values live in the slots.)
    paragraph: int
    start: int
    end: int
    rtl: bool
    x: int
    glyphs: Sequence[str]
    logical: Sequence[int]
    columns: Sequence[int]
    widths: Sequence[int]
    formats: AbstractSet[int]
    _heads: tuple[int, ...] | None  # None: made from _zero on first use
    _zero: Sequence[int]  # the line's logical indices that have no cell of their own
    _slot: dict[int, int] | None


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
            strict=True,
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
            slot = dict(zip(self.logical, range(len(self.logical)), strict=True))
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
        self.__class__ = Line  # type: ignore[assignment]  # the point: it becomes a Line


if TYPE_CHECKING:

    def _new_line(
        paragraph: int,
        start: int,
        end: int,
        rtl: bool,
        x: int,
        glyphs: Sequence[str],
        logical: Sequence[int],
        columns: Sequence[int],
        widths: Sequence[int],
        heads: tuple[int, ...] | None,
        formats: AbstractSet[int],
        zero: Sequence[int],
    ) -> Line:
        """What ``_NewLine(...)`` is to the type checker: a call that returns a Line."""
        ...

else:
    _new_line = _NewLine


_NO_FORMATS: frozenset[int] = frozenset()
_NO_ZERO: list = []  # shared, never changed
