"""The words of a text: runs of non-space characters, found per paragraph the first time one is
looked at (a 1 MB article costs the paragraphs shown, not the article)."""

from __future__ import annotations

import re
from bisect import bisect_right

from hamish.tui.bidi import split_paragraphs
from hamish.tui.bidi.layout import Paragraphs

WORD = re.compile(r"\S+")
Word = tuple[int, int]  # (start, end): logical offsets, end exclusive


class Words:
    def __init__(self, text: str, paragraphs: Paragraphs | None = None) -> None:
        self.text = text
        self.paragraphs = split_paragraphs(text) if paragraphs is None else paragraphs
        self._of: dict[int, list[Word]] = {}

    def of_paragraph(self, index: int) -> list[Word]:
        """The words of paragraph ``index``, in logical order."""
        words = self._of.get(index)
        if words is None:
            p = self.paragraphs[index]
            words = [(m.start(), m.end()) for m in WORD.finditer(self.text, p.start, p.end)]
            self._of[index] = words
        return words

    def paragraph_of(self, index: int) -> int:
        return self.paragraphs.index_of(index)

    def at(self, index: int) -> Word | None:
        """The word holding logical ``index``, or None if ``index`` is whitespace."""
        if not self.text:
            return None
        index = max(0, min(index, len(self.text) - 1))
        words = self.of_paragraph(self.paragraphs.index_of(index))
        k = bisect_right(words, (index, len(self.text))) - 1
        if k >= 0 and words[k][0] <= index < words[k][1]:
            return words[k]
        return None

    def near(self, index: int) -> Word | None:
        """The word holding ``index``, else the next word after it, else the one before."""
        word = self.at(index)
        if word:
            return word
        m = WORD.search(self.text, max(0, index))
        if m:
            return (m.start(), m.end())
        return self.last()  # no word after ``index``: the one before it is the last

    def first(self) -> Word | None:
        m = WORD.search(self.text)
        return (m.start(), m.end()) if m else None

    def last(self) -> Word | None:
        for p in range(len(self.paragraphs) - 1, -1, -1):
            words = self.of_paragraph(p)
            if words:
                return words[-1]
        return None
