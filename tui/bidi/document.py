"""A whole article as numbered screen lines, laid out lazily: only what is looked at is shaped.

Paragraphs not yet laid out count with an estimate of their height; the estimate is replaced
by the real count the first time any line of the paragraph is asked for. Opening a 1 MB article
costs the paragraphs on screen, not the article.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from .layout import Line, TextLayout


class DocumentLayout:
    """Numbers the screen lines of a TextLayout (its text at one width)."""

    def __init__(self, layout: TextLayout) -> None:
        self.layout = layout
        self.text = layout.text
        self.width = self.layout.width
        self.paragraphs = self.layout.paragraphs
        w = self.width
        self._counts = [
            max(1, -(-(e - s) // w))
            for s, e in zip(self.paragraphs.starts, self.paragraphs.ends, strict=True)
        ]
        self._exact = [False] * len(self.paragraphs)
        self._firsts: list[int] | None = None

    def at_width(self, width: int) -> DocumentLayout:
        """The same article at another width, keeping every paragraph's shaping and levels."""
        return DocumentLayout(self.layout.at_width(width))

    @property
    def show_format(self) -> bool:
        """Are bidi formatting characters drawn as marks? (see tui.bidi.layout)"""
        return self.layout.show_format

    def with_format_shown(self, show: bool) -> DocumentLayout:
        """The same article with bidi formatting characters shown as one-cell marks (or not);
        bidi levels are shared, and each setting's layouts are kept for toggling back."""
        if show == self.layout.show_format:
            return self
        return DocumentLayout(self.layout.with_format_shown(show))

    def _prefix(self) -> list[int]:
        if self._firsts is None:
            self._firsts = [0, *accumulate(self._counts)]
        return self._firsts

    @property
    def line_count(self) -> int:
        return self._prefix()[-1]

    def paragraph_lines(self, index: int) -> list[Line]:
        lines = self.layout.paragraph_lines(index)
        if not self._exact[index]:
            self._exact[index] = True
            if self._counts[index] != len(lines):
                self._counts[index] = len(lines)
                self._firsts = None
        return lines

    def laid_out(self, paragraph: int) -> bool:
        """Are the lines of ``paragraph`` made at this width already? (Nothing of one that
        is not can have been painted: who forgets what was painted need not make them.)"""
        return self.layout.has_lines(paragraph)

    def first_line(self, paragraph: int) -> int:
        """The line number of a paragraph's first line (its own count made exact first)."""
        self.paragraph_lines(paragraph)
        return self._prefix()[paragraph]

    def line_at(self, y: int) -> tuple[int, int] | None:
        """(paragraph, line within it) shown at line number ``y``, or None past the end."""
        while True:
            firsts = self._prefix()
            if y < 0 or y >= firsts[-1]:
                return None
            p = bisect_right(firsts, y) - 1
            before = self._counts[p]
            lines = self.paragraph_lines(p)
            if len(lines) == before:
                return p, y - firsts[p]
            # The estimate was off: the numbering moved; look again.

    def line(self, y: int) -> Line | None:
        found = self.line_at(y)
        if found is None:
            return None
        p, n = found
        return self.paragraph_lines(p)[n]

    def locate(self, index: int) -> tuple[int, int]:
        """Logical index → (line number, column)."""
        p, n, col = self.layout.locate(index)
        return self.first_line(p) + n, col
