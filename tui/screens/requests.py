"""What the screens ask of the app: messages up (the app handles them with ``@on(...)``).

The app answers through typed methods of the screen it opened (``ReaderScreen.apply``,
``LibraryScreen.show_counts`` ...): a screen never calls the app's methods, the app never
writes a screen's attributes. This module holds only the messages, so the app can know them
without loading the reader before the first article is opened.
"""

from __future__ import annotations

from textual.message import Message

from hamish.store import Annotation
from hamish.tui.suggest import Suggestion


class Tag(Message):
    """Tag ``text[start:end]`` of the article with ``label`` (or relabel the annotation on
    exactly that span)."""

    def __init__(self, doc_id: str, start: int, end: int, label: str) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.start = start
        self.end = end
        self.label = label


class Remove(Message):
    """Delete an annotation."""

    def __init__(self, annotation: Annotation) -> None:
        super().__init__()
        self.annotation = annotation


class SetNote(Message):
    """Give an annotation this note ("" removes it)."""

    def __init__(self, annotation: Annotation, note: str) -> None:
        super().__init__()
        self.annotation = annotation
        self.note = note


class ToggleDone(Message):
    """Mark the article done, or not done again."""

    def __init__(self, doc_id: str) -> None:
        super().__init__()
        self.doc_id = doc_id


class OpenArticle(Message):
    """Open this article in the reader."""

    def __init__(self, doc_id: str) -> None:
        super().__init__()
        self.doc_id = doc_id


class OpenNeighbour(Message):
    """Open the article ``step`` places from this one in the corpus."""

    def __init__(self, doc_id: str, step: int) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.step = step


class OpenNextNew(Message):
    """Open the next article (after ``after_id``, wrapping) with no annotations yet."""

    def __init__(self, after_id: str | None) -> None:
        super().__init__()
        self.after_id = after_id


class ShowLibrary(Message):
    """Back to the library."""


class LibraryShown(Message):
    """The library is on screen again: its counts and states may have changed."""


class Relabel(Message):
    """Give an annotation another label."""

    def __init__(self, annotation: Annotation, label: str) -> None:
        super().__init__()
        self.annotation = annotation
        self.label = label


class Move(Message):
    """New boundaries for an annotation of the article."""

    def __init__(self, doc_id: str, annotation: Annotation, start: int, end: int) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.annotation = annotation
        self.start = start
        self.end = end


class Accept(Message):
    """Make a suggestion an annotation: with its label or ``label``, on ``span``."""

    def __init__(
        self, doc_id: str, suggestion: Suggestion, label: str | None, span: tuple[int, int]
    ) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.suggestion = suggestion
        self.label = label
        self.span = span


class Reject(Message):
    """Reject a suggestion: it is not suggested for this article again."""

    def __init__(self, doc_id: str, suggestion: Suggestion) -> None:
        super().__init__()
        self.doc_id = doc_id
        self.suggestion = suggestion
