"""Where the word cursor goes, in visual terms, over a text laid out by the engine.

Left / right are the neighbouring word on screen (in a right-to-left line, left goes forward
in reading order); past a line's end, the first word of the next line going forward, or the
last of the previous one going back. Up / down go to the nearest screen line with a word other
than the cursor's, to the word nearest a goal column (kept while moving up and down). A page
goes a screenful of lines.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from hamish.tui.bidi import DocumentLayout

from .words import Word, Words

SEARCH_LIMIT = 10_000  # screen lines looked through for one with a word


@dataclass(frozen=True, slots=True)
class WordOnLine:
    start: int
    end: int
    left: int  # leftmost column of its cells on this line
    right: int  # rightmost column

    @property
    def word(self) -> Word:
        return (self.start, self.end)

    @property
    def center(self) -> int:
        return (self.left + self.right) // 2


def nearest(words: list[WordOnLine], column: int) -> WordOnLine:
    """The word whose cells are nearest ``column`` (the first of equals, left to right)."""

    def distance(w: WordOnLine) -> int:
        if w.left <= column <= w.right:
            return 0
        return min(abs(w.left - column), abs(w.right - column))

    return min(words, key=distance)


class Navigator:
    """``layout`` is the text at the current width (replace it when the width changes);
    ``reorder=False`` when the terminal reorders (every line then reads left to right)."""

    def __init__(self, words: Words, layout: DocumentLayout, *, reorder: bool = True) -> None:
        self.words = words
        self.layout = layout
        self.reorder = reorder

    def line_of(self, word: Word) -> int:
        """The screen line holding the start of ``word``."""
        return self.layout.locate(word[0])[0]

    def line_words(self, y: int) -> list[WordOnLine]:
        """The words drawn on screen line ``y``, left to right."""
        line = self.layout.line(y)
        if line is None:
            return []
        found: dict[Word, list[int]] = {}
        words = self.words.of_paragraph(line.paragraph)
        k = bisect_left(words, (line.start, -1))
        if k > 0 and words[k - 1][1] > line.start:
            k -= 1
        span_words = []
        while k < len(words) and words[k][0] < line.end:
            span_words.append(words[k])
            k += 1
        if not span_words:
            return []
        starts = [w[0] for w in span_words]
        for logical, col, w in zip(line.logical, line.columns, line.widths, strict=True):
            j = bisect_left(starts, logical + 1) - 1
            if j >= 0 and span_words[j][0] <= logical < span_words[j][1]:
                cols = found.setdefault(span_words[j], [col, col + w - 1])
                cols[0] = min(cols[0], col)
                cols[1] = max(cols[1], col + w - 1)
        result = [WordOnLine(s, e, c[0], c[1]) for (s, e), c in found.items()]
        result.sort(key=lambda w: w.left)
        return result

    def on_line(self, y: int, word: Word) -> WordOnLine | None:
        for w in self.line_words(y):
            if w.word == word:
                return w
        return None

    def forward_on_screen(self, word: Word, direction: int) -> bool:
        """Whether the on-screen direction (-1 left, +1 right) goes forward in reading order on
        the line of ``word``."""
        line = self.layout.line(self.line_of(word))
        rtl = bool(line and line.rtl and self.reorder)
        return (direction < 0) if rtl else (direction > 0)

    def beside(self, word: Word, direction: int) -> Word | None:
        """Left (-1) / right (+1) of ``word`` on screen; past a line's end, the first word of
        the next line (going forward in reading order) or the last of the previous one."""
        y = self.line_of(word)
        words = self.line_words(y)
        here = next((w for w in words if w.word == word), None)
        if here is not None:
            k = words.index(here) + direction
            if 0 <= k < len(words):
                return words[k].word
        forward = self.forward_on_screen(word, direction)
        target = self.next_line_with_words(y, 1 if forward else -1, word)
        if target is None:
            return None
        twords = target[1]
        pick = min(twords, key=lambda w: w.start) if forward else max(twords, key=lambda w: w.start)
        return pick.word

    def next_line_with_words(
        self, y: int, step: int, other_than: Word | None = None, limit: int = SEARCH_LIMIT
    ) -> tuple[int, list[WordOnLine]] | None:
        """The nearest line after (step 1) or before (step -1) ``y`` with a word on it other
        than ``other_than`` (a word longer than a line spans several), and those words."""
        ny = y + step
        while 0 <= ny < self.layout.line_count and abs(ny - y) <= limit:
            words = [w for w in self.line_words(ny) if w.word != other_than]
            if words:
                return ny, words
            ny += step
        return None

    def goal_column(self, word: Word) -> int:
        """The column up and down aim at from ``word``: its middle on screen."""
        y = self.line_of(word)
        here = self.on_line(y, word)
        return here.center if here else self.layout.locate(word[0])[1]

    def above_below(self, word: Word, step: int, goal: int) -> Word | None:
        """Up (-1) / down (+1): the word nearest column ``goal`` on the nearest screen line
        with a word other than ``word``."""
        target = self.next_line_with_words(self.line_of(word), step, word)
        if target is None:
            return None
        return nearest(target[1], goal).word

    def page(self, word: Word, step: int, height: int, goal: int) -> Word | None:
        """A page up (-1) / down (+1) of ``height`` lines: the word nearest column ``goal`` on
        that line, or on the nearest line with words (that way, else the other)."""
        y = self.line_of(word)
        ty = max(0, min(self.layout.line_count - 1, y + step * max(1, height)))
        words = self.line_words(ty)
        if not words:
            found = self.next_line_with_words(ty, step, word) or self.next_line_with_words(
                ty, -step, word
            )
            if found is None:
                return None
            words = found[1]
        return nearest(words, goal).word
