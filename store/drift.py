"""Drift: where an annotation sits in an article whose text changed after it was made.

Every annotation keeps the text it covers and the sha256 of the article it was made on. When
the article's file changes, :func:`place` decides for each annotation, without writing anything:

- ``ok``: the covered text is still at the annotation's offsets;
- ``moved``: it is not, but it occurs exactly once in the new text, and that occurrence does
  not cut a word (or a letter from its harakat), so that is its new place;
- ``drifted``: anything else: the text is nowhere in the new text, or in several places, or
  only inside a longer word. Nothing is guessed: the annotation keeps its old offsets and is
  shown (reader) and marked (export) as drifted; ``Placement.reason`` says why.

Known limit: an annotation stores its text, not the text around it. If the article held the
annotated words twice and the annotated mention was deleted, the other mention is now the
only one and the annotation moves there (marked ``moved``, not silent).

Pure functions over :class:`~store.annotations.Annotation`; the caller decides whether to write
the moves to the store (the app does; export does not, it only reads).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .annotations import Annotation

Status = Literal["ok", "moved", "drifted"]


@dataclass(frozen=True, slots=True)
class Placement:
    """An annotation and where it belongs in the current text (``start``/``end``).

    For ``drifted`` placements, ``start``/``end`` are the annotation's old offsets, which no
    longer cover its text (they may even lie past the end of the new text).
    """

    annotation: Annotation
    start: int
    end: int
    status: Status
    reason: str = ""  # for "drifted" (and "moved"): why, in words for the reader and export

    @property
    def drifted(self) -> bool:
        return self.status == "drifted"


def _occurrences(text: str, needle: str, limit: int = 2) -> list[int]:
    """Start indices of ``needle`` in ``text`` (overlapping ones too), at most ``limit``."""
    found: list[int] = []
    i = text.find(needle)
    while i != -1 and len(found) < limit:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: inside a word


def _in_word(ch: str) -> bool:
    """Letters, digits, combining marks (harakat) and joiners: what a word is made of."""
    return ch in _JOINERS or unicodedata.category(ch)[0] in "LMN"


def cuts_a_word(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` begin or end inside a word (or between a letter and its
    marks)?"""
    return (0 < start < len(text) and _in_word(text[start - 1]) and _in_word(text[start])) or (
        0 < end < len(text) and _in_word(text[end - 1]) and _in_word(text[end])
    )


def place_one(text: str, sha256: str, ann: Annotation) -> Placement:
    """Where ``ann`` belongs in ``text`` (whose content hash is ``sha256``)."""
    if ann.end <= len(text) and text[ann.start : ann.end] == ann.text:
        return Placement(ann, ann.start, ann.end, "ok")
    old: tuple[Annotation, int, int, Literal["drifted"]] = (ann, ann.start, ann.end, "drifted")
    if ann.sha256 == sha256:
        # Same content, text not at its offsets: the record itself is inconsistent. Never move
        # it onto other words; show it.
        return Placement(*old, "its text is not at its offsets, though the article is unchanged")
    hits = _occurrences(text, ann.text) if ann.text else []
    if not hits:
        return Placement(*old, "its text is no longer in the article")
    if len(hits) > 1:
        return Placement(*old, "its text is now in several places")
    start, end = hits[0], hits[0] + len(ann.text)
    if cuts_a_word(text, start, end):
        return Placement(*old, "its text is now only part of a longer word")
    return Placement(ann, start, end, "moved", f"moved from {ann.start}..{ann.end}")


def place(text: str, sha256: str, annotations: Iterable[Annotation]) -> list[Placement]:
    """:func:`place_one` for each annotation, in the order given."""
    return [place_one(text, sha256, ann) for ann in annotations]
