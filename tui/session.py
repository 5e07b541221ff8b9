"""An annotating session: every change goes to the store at once, and can be undone and redone.

One undo history for the whole session, across articles: undo takes back the last change
wherever it was made. Each change is written durably by the store before the call returns;
undo and redo are changes like any other (undo of an add removes the annotation, redo puts the
very same annotation back with ``restore``). Accepting a suggestion is an add that records the
suggester as the annotation's origin; rejecting one is a change of its own (the store keeps the
article's rejected suggestions), undone like the others; new boundaries are a ``move``.

Pure Python (no Textual).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hamish.store import Annotation, AnnotationStore, Article
from hamish.tui.suggest import MANUAL_ORIGIN, Suggestion

Kind = Literal["add", "remove", "relabel", "note", "move", "reject"]


class ReadOnlyError(Exception):
    """The store is open read-only (another process holds it); nothing can change."""


@dataclass(frozen=True, slots=True)
class Change:
    """One change: ``before`` is None for an add, ``after`` is None for a remove; both are None
    for a rejection, which has its ``suggestion`` and ``doc`` instead."""

    kind: Kind
    before: Annotation | None
    after: Annotation | None
    suggestion: Suggestion | None = None
    doc: str = ""

    @property
    def annotation(self) -> Annotation:
        ann = self.after or self.before
        assert ann is not None, "a rejection has no annotation"
        return ann

    @property
    def doc_id(self) -> str:
        return self.doc or self.annotation.doc_id

    @property
    def text(self) -> str:
        return self.suggestion.text if self.suggestion else self.annotation.text

    def describe(self) -> str:
        if self.kind == "reject" and self.suggestion:
            return f"reject suggested {self.suggestion.label}"
        a = self.annotation
        if self.kind == "relabel" and self.before and self.after:
            return f"relabel {self.before.label} → {self.after.label}"
        if self.kind == "move" and self.before and self.after:
            return f"move {a.label} {self.before.start}–{self.before.end} → {a.start}–{a.end}"
        if self.kind == "add" and a.origin != MANUAL_ORIGIN:
            return f"accept {a.label} ({a.origin})"
        return f"{self.kind} {a.label}"


class Session:
    def __init__(self, store: AnnotationStore, annotator: str | None = None) -> None:
        self.store = store
        self.annotator = annotator
        self._undo: list[Change] = []
        self._redo: list[Change] = []

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def _writable(self) -> None:
        if self.store.readonly:
            raise ReadOnlyError(f"{self.store.path} is open read-only: nothing can be changed")

    def _done(self, change: Change) -> Change:
        self._undo.append(change)
        self._redo.clear()
        return change

    # --- changes ----------------------------------------------------------------------------

    def add(
        self,
        article: Article,
        start: int,
        end: int,
        label: str,
        note: str | None = None,
        origin: str = MANUAL_ORIGIN,
    ) -> Change:
        self._writable()
        ann = self.store.add(
            article.id,
            start,
            end,
            label,
            self.annotator,
            note,
            text=article.text[start:end],
            sha256=article.sha256,
            origin=origin,
        )
        return self._done(Change("add", None, ann))

    def accept(
        self,
        article: Article,
        suggestion: Suggestion,
        label: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> Change:
        """Make a suggestion an annotation: with its label or ``label``, on its span or on
        ``span`` (its boundaries changed). The annotation's origin is the suggester."""
        start, end = span or (suggestion.start, suggestion.end)
        return self.add(article, start, end, label or suggestion.label, origin=suggestion.origin)

    def reject(self, article: Article, suggestion: Suggestion) -> Change:
        """Reject a suggestion for this article: it is not suggested there again."""
        self._writable()
        self.store.set_rejected(article.id, suggestion.key)
        return self._done(Change("reject", None, None, suggestion, article.id))

    def move(self, article: Article, ann: Annotation, start: int, end: int) -> Change:
        """New boundaries for an annotation (one durable change: the store's ``move``)."""
        self._writable()
        new = self.store.move(
            ann.id, start, end, text=article.text[start:end], sha256=article.sha256
        )
        return self._done(Change("move", ann, new))

    def remove(self, ann: Annotation) -> Change:
        self._writable()
        old = self.store.remove(ann.id)
        return self._done(Change("remove", old, None))

    def relabel(self, ann: Annotation, label: str) -> Change:
        self._writable()
        new = self.store.update(ann.id, label=label)
        return self._done(Change("relabel", ann, new))

    def set_note(self, ann: Annotation, note: str | None) -> Change:
        self._writable()
        new = self.store.update(ann.id, note=note or None)
        return self._done(Change("note", ann, new))

    # --- history ----------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def _apply(self, before: Annotation | None, after: Annotation | None) -> Annotation | None:
        """Make the store go from ``before`` to ``after`` (either may be None)."""
        if before is None and after is not None:
            return self.store.restore(after)
        if after is None and before is not None:
            self.store.remove(before.id)
            return None
        assert before is not None and after is not None
        if (before.start, before.end, before.sha256) != (after.start, after.end, after.sha256):
            self.store.move(before.id, after.start, after.end, text=after.text, sha256=after.sha256)
        return self.store.update(before.id, label=after.label, note=after.note)

    def _apply_change(self, change: Change, forward: bool) -> Annotation | None:
        if change.kind == "reject":
            assert change.suggestion is not None
            self.store.set_rejected(change.doc, change.suggestion.key, rejected=forward)
            return None
        if forward:
            return self._apply(change.before, change.after)
        return self._apply(change.after, change.before)

    def undo(self) -> Change | None:
        """Take back the last change; returns the change taken back (None if none is left)."""
        if not self._undo:
            return None
        self._writable()
        change = self._undo[-1]
        now = self._apply_change(change, forward=False)
        self._undo.pop()
        # Redo must go from what the store holds now (updates bump their timestamp).
        redo = (
            Change(change.kind, now, change.after)
            if change.kind in ("relabel", "note", "move")
            else change
        )
        self._redo.append(redo)
        return change

    def redo(self) -> Change | None:
        """Do again the last change undone; returns it (None if there is nothing to redo)."""
        if not self._redo:
            return None
        self._writable()
        change = self._redo[-1]
        now = self._apply_change(change, forward=True)
        self._redo.pop()
        done = (
            Change(change.kind, change.before, now)
            if change.kind in ("relabel", "note", "move")
            else change
        )
        self._undo.append(done)
        return done
