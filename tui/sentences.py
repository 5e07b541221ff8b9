"""Sentences as runs of words, for ``s`` (select the sentence around the cursor).

A sentence ends with a word whose last character, after any closing quotes or brackets, is one
of ``. ! ? ؟ …`` — or at the end of its paragraph. Numbers such as 3.5 do not end sentences (the
full stop is inside the word). Pure Python (no Textual).
"""

from __future__ import annotations

ENDS = frozenset(".!?؟…")
CLOSERS = "\"'»”’)]}›"


def ends_sentence(word: str) -> bool:
    stripped = word.rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in ENDS


def sentence_of(text: str, words: list[tuple[int, int]], k: int) -> tuple[int, int]:
    """The first and last positions in ``words`` (one paragraph's words, in order) of the
    sentence holding ``words[k]``."""
    first = k
    while first > 0 and not ends_sentence(text[words[first - 1][0] : words[first - 1][1]]):
        first -= 1
    last = k
    while last < len(words) - 1 and not ends_sentence(text[words[last][0] : words[last][1]]):
        last += 1
    return first, last
