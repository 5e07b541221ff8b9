"""A selection value: from an anchor word to the cursor's word, each end nudged by characters.

It always holds the cursor's word. Shift + arrows move the cursor and keep the anchor
(``to``); Alt+Shift + arrows nudge the end the cursor is at by one character (``nudged``);
``o`` makes the other end the moving one (``swapped``). Values are immutable: each change
returns a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .words import Word, Words


@dataclass(frozen=True, slots=True)
class Selection:
    anchor: Word
    cursor: Word
    nudge: tuple[int, int] = (0, 0)  # characters added to the start, to the end
    side_end: bool = True  # when anchor and cursor are one word: does its end move?

    @classmethod
    def at(cls, word: Word) -> Selection:
        """The selection of one word, its end moving."""
        return cls(word, word)

    @classmethod
    def spanning(cls, first: Word, last: Word) -> Selection:
        """From word ``first`` to word ``last`` (the cursor's), the end moving."""
        return cls(first, last)

    @classmethod
    def covering(cls, start: int, end: int, words: Words) -> Selection | None:
        """The selection of exactly ``[start, end)``: from the word at (or after) ``start`` to
        the word at (or before) ``end - 1``, nudged to the range's ends. None without a word."""
        if start >= end:
            return None
        first = words.near(start)
        last = words.at(end - 1) or words.near(end - 1)
        if first is None or last is None:
            return None
        if last[0] < first[0]:
            last = first
        return cls(first, last, (start - min(first[0], last[0]), end - max(first[1], last[1])))

    @property
    def start(self) -> int:
        return min(self.anchor[0], self.cursor[0]) + self.nudge[0]

    @property
    def end(self) -> int:
        return max(self.anchor[1], self.cursor[1]) + self.nudge[1]

    @property
    def range(self) -> tuple[int, int]:
        """The selected logical range, end exclusive."""
        return (self.start, self.end)

    @property
    def moving_end(self) -> bool:
        """True when the end (not the start) is the one that moves."""
        if self.cursor[0] != self.anchor[0]:
            return self.cursor[0] > self.anchor[0]
        return self.side_end

    def to(self, word: Word) -> Selection:
        """The cursor moved to ``word``, the anchor kept. The nudge of the end that moved is
        dropped; when the ends change roles (the cursor crossed the anchor), both are."""
        moved = replace(self, cursor=word)
        before, after = self.moving_end, moved.moving_end
        if before != after:
            return replace(moved, nudge=(0, 0))
        return replace(moved, nudge=(self.nudge[0], 0) if after else (0, self.nudge[1]))

    def nudged(self, delta: int, text_length: int) -> Selection:
        """The moving end moved by ``delta`` (+1 later in the text, -1 earlier) characters;
        unchanged when that would leave the cursor's word, the text, or nothing selected."""
        start, end = self.range
        if self.moving_end:
            new = end + delta
            if self.cursor[0] < new <= text_length and new > start:
                return replace(self, nudge=(self.nudge[0], self.nudge[1] + delta))
        else:
            new = start + delta
            if 0 <= new < self.cursor[1] and new < end:
                return replace(self, nudge=(self.nudge[0] + delta, self.nudge[1]))
        return self

    def swapped(self) -> Selection:
        """The other end moves: anchor and cursor change places (on one word: its other side)."""
        if self.anchor == self.cursor:
            return replace(self, side_end=not self.side_end)
        return replace(self, anchor=self.cursor, cursor=self.anchor)
