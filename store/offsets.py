"""Code point offsets (Python ``str`` indices, what annotations hold) and UTF-16 code unit offsets
(JavaScript's ``String`` indices, what doccano, Label Studio and ICU count), in both directions.

They differ only after a character outside the Basic Multilingual Plane (an emoji, a rare CJK
ideograph), which is two UTF-16 units. Only the positions of those characters are kept, so a
text without them (nearly every news article) costs one regex scan and nothing after.
"""

from __future__ import annotations

import bisect
import re

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Utf16Offsets:
    """The offset maps of one text that holds characters outside the BMP (see utf16_offsets)."""

    __slots__ = ("astral", "_units", "_unit_set")

    def __init__(self, astral: list[int]) -> None:
        self.astral = astral  # code point index of each character outside the BMP, ascending
        self._units = [cp + k for k, cp in enumerate(astral)]  # ... and its UTF-16 index
        self._unit_set = frozenset(self._units)

    def to_utf16(self, index: int) -> int:
        """The UTF-16 offset of code point offset ``index``."""
        return index + bisect.bisect_left(self.astral, index)  # a unit more per astral before

    def from_utf16(self, unit: int) -> int:
        """The code point offset of UTF-16 offset ``unit``; ValueError if it falls between the
        two halves of a surrogate pair (no code point offset is there)."""
        if unit - 1 in self._unit_set:
            raise ValueError(f"UTF-16 offset {unit} falls inside a surrogate pair")
        return unit - bisect.bisect_left(self._units, unit - 1)  # astral chars wholly before


def utf16_offsets(text: str) -> Utf16Offsets | None:
    """The maps between code point and UTF-16 offsets in ``text``, or None when the two are the
    same (no character outside the BMP: the common case)."""
    if text.isascii():
        return None
    astral = [m.start() for m in _ASTRAL.finditer(text)]
    return Utf16Offsets(astral) if astral else None
