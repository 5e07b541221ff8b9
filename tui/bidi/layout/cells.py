"""What one character shows as in a terminal cell: its glyph, its cells, whether it is a mark
drawn on the character before it; the marks that show bidi formatting characters."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

DOTTED_CIRCLE = "\u25cc"

# Bidi formatting characters -> the one-cell mark shown for each with show_format=True.
FORMAT_MARKS: dict[str, str] = {
    "\u202a": "\u21e2",  # LRE ⇢
    "\u202b": "\u21e0",  # RLE ⇠
    "\u202d": "\u21db",  # LRO ⇛
    "\u202e": "\u21da",  # RLO ⇚
    "\u202c": "\u21de",  # PDF ⇞
    "\u2066": "\u21e5",  # LRI ⇥
    "\u2067": "\u21e4",  # RLI ⇤
    "\u2068": "\u21f9",  # FSI ⇹
    "\u2069": "\u21a5",  # PDI ↥
    "\u200e": "\u21c0",  # LRM ⇀
    "\u200f": "\u21bc",  # RLM ↼
    "\u061c": "\u21bd",  # ALM ↽
}


@lru_cache(maxsize=8192)
def _display(ch: str) -> tuple[str, int, bool]:
    """How a character shows in a cell: (glyph, cells, is_combining_mark).

    Controls never reach the terminal raw: C0 and DEL become the Control Pictures (U+2400...),
    C1 becomes U+FFFD; a tab shows as one space. Zero-width characters have width 0 and glyph
    "" unless they are combining marks, which are drawn on their base letter.
    """
    o = ord(ch)
    if ch == "\t":
        return " ", 1, False
    if o < 0x20:
        return chr(0x2400 + o), 1, False
    if o == 0x7F:
        return "\u2421", 1, False
    if 0x80 <= o < 0xA0:
        return "\ufffd", 1, False
    category = unicodedata.category(ch)
    if category in ("Mn", "Me"):
        return ch, 0, True
    width = get_character_cell_size(ch)
    if width == 0:
        if category in _DRAWN_ON_BASE:
            # Zero-width but meant to be seen with the character before it (an emoji skin
            # tone modifier, a Hangul filler): drawn on its base like a combining mark.
            return ch, 0, True
        return "", 0, False  # format characters and other invisibles: never sent
    return ch, width, False


_DRAWN_ON_BASE = frozenset({"Sk", "Lm", "Lo", "Mc", "So"})


VS16 = "\ufe0f"


@lru_cache(maxsize=1024)
def _vs16_width(base: str) -> int:
    """Cells of ``base`` followed by VARIATION SELECTOR-16, as Rich measures them."""
    return cell_len(base + VS16) if get_character_cell_size(base) else 0


def is_space(ch: str) -> bool:
    """Word separators: Unicode whitespace, including the no-break space news sites use."""
    return ch.isspace()
