"""Drift: where an annotation sits in an article whose text changed after it was made.

Every annotation keeps the text it covers and the sha256 of the article it was made on. When
the article's file changes, :func:`place` decides for each annotation, without writing anything:

- ``ok``: the covered text is still at the annotation's offsets;
- ``moved``: it is not, but it occurs exactly once in the new text, so that is its new place;
- ``flagged``: it is nowhere in the new text, or in several places. Nothing is guessed: the
  annotation keeps its old offsets and is shown (reader) and marked (export) as drifted.

Pure functions over :class:`~store.annotations.Annotation`; the caller decides whether to write
the moves to the store (the app does; export does not, it only reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal

from .annotations import Annotation

Status = Literal["ok", "moved", "flagged"]


@dataclass(frozen=True, slots=True)
class Placement:
    """An annotation and where it belongs in the current text (``start``/``end``).

    For ``flagged`` placements, ``start``/``end`` are the annotation's old offsets, which no
    longer cover its text (they may even lie past the end of the new text).
    """

    annotation: Annotation
    start: int
    end: int
    status: Status

    @property
    def drifted(self) -> bool:
        return self.status == "flagged"


def _occurrences(text: str, needle: str, limit: int = 2) -> list[int]:
    """Start indices of ``needle`` in ``text`` (overlapping ones too), at most ``limit``."""
    found: list[int] = []
    i = text.find(needle)
    while i != -1 and len(found) < limit:
        found.append(i)
        i = text.find(needle, i + 1)
    return found


def place_one(text: str, sha256: str, ann: Annotation) -> Placement:
    """Where ``ann`` belongs in ``text`` (whose content hash is ``sha256``)."""
    if ann.end <= len(text) and text[ann.start : ann.end] == ann.text:
        return Placement(ann, ann.start, ann.end, "ok")
    if ann.sha256 == sha256:
        # Same content, text not at its offsets: the record itself is inconsistent. Never move
        # it onto other words; show it.
        return Placement(ann, ann.start, ann.end, "flagged")
    hits = _occurrences(text, ann.text) if ann.text else []
    if len(hits) == 1:
        return Placement(ann, hits[0], hits[0] + len(ann.text), "moved")
    return Placement(ann, ann.start, ann.end, "flagged")


def place(text: str, sha256: str, annotations: Iterable[Annotation]) -> list[Placement]:
    """:func:`place_one` for each annotation, in the order given."""
    return [place_one(text, sha256, ann) for ann in annotations]
