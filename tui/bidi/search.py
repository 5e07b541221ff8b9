"""Arabic-aware matching: the same word spelled with or without harakat, tatweel, hamza on alef.

Pure functions; offsets are logical indices into the original text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_FOLD = {
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
    "\u0671": "\u0627",  # ٱ
    "\u0649": "\u064a",  # ى -> ي
    "\u0629": "\u0647",  # ة -> ه
}
_TATWEEL = "\u0640"


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """'' for characters search ignores (harakat and other marks, tatweel), else the folded form."""
    if ch == _TATWEEL or unicodedata.category(ch) in ("Mn", "Me"):
        return ""
    ch = _FOLD.get(ch, ch)
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


def search_key(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index it came from in ``text``."""
    key: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        if f:
            key.append(f)
            origin.append(i)
    return "".join(key), origin


def fold(text: str) -> str:
    return search_key(text)[0]


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Every (start, end) in ``text`` that matches ``query`` once both are folded.

    The span runs from the first matched character to the last one, plus the marks that
    follow it, so a highlighted match keeps its harakat.
    """
    q = fold(query)
    if not q:
        return []
    key, origin = search_key(text)
    spans = []
    pos = key.find(q)
    while pos >= 0:
        start = origin[pos]
        end = origin[pos + len(q) - 1] + 1
        while end < len(text) and not _fold_char(text[end]) and not text[end].isspace():
            end += 1
        spans.append((start, end))
        pos = key.find(q, pos + 1)
    return spans
