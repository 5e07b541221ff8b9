"""Ranges one key selects at once, as (first word, last word) of a selection.

``sentence_range``: the sentence around a word (``s``), see ``hamish.tui.sentences``.
Quotations (``hamish.tui.quotes``, the ``q`` key) are the next kind of range and belong here; a
range that starts or ends inside a word becomes a selection with ``Selection.covering``.
"""

from __future__ import annotations

from hamish.tui.sentences import sentence_of

from .words import Word, Words


def sentence_range(words: Words, word: Word) -> tuple[Word, Word] | None:
    """The first and last words of the sentence holding ``word`` (None if it is not a word)."""
    of_paragraph = words.of_paragraph(words.paragraph_of(word[0]))
    if word not in of_paragraph:
        return None
    first, last = sentence_of(words.text, of_paragraph, of_paragraph.index(word))
    return of_paragraph[first], of_paragraph[last]
