"""The annotating workspace: the application layer between the store and the screens.

It owns the annotation store, the session (every change durable at once, one undo history),
where each open article's annotations sit in its text (drift: followed or marked drifted) and
the label rules (a label key on an annotation's exact span relabels it, a second time says it is
tagged already). Pure Python, no Textual: the app turns keys into requests here and shows what
they return.

Every change returns an ``Edit``: the change itself and the placements it took away and put
in, so a reader repaints the lines those spans touch and nothing else. Drift moves (the
annotated text found at a new, unambiguous place after the article's file changed) are written
once, when the article is first opened in the workspace, never while showing it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from hamish.store import (
    Annotation,
    AnnotationStore,
    Article,
    Corpus,
    StoreError,
    StoreLockedError,
)
from hamish.store.drift import place, place_one
from hamish.tui.labels import DEFAULT_LABELS, Label
from hamish.tui.session import Change, ReadOnlyError, Session
from hamish.tui.suggest import Suggesters, Suggestion, candidates_apart, unanswered

SUGGEST_IN_PLACE = 500_000  # characters: a longer article's suggestions are found apart

__all__ = [
    "ArticleAnnotations",
    "Edit",
    "NoChange",
    "Placed",
    "ReadOnlyError",
    "Workspace",
]


def _span(ann: Annotation) -> tuple[int, int]:
    return (ann.start, ann.end)


@dataclass(frozen=True, slots=True)
class Placed:
    """An annotation where it sits in its article's text as loaded now (``start``/``end``);
    ``drifted``: its text is no longer there and its new place cannot be told without a guess
    (it keeps its old offsets, which may lie past the text's end)."""

    annotation: Annotation
    start: int
    end: int
    drifted: bool = False

    @property
    def id(self) -> str:
        return self.annotation.id

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


class ArticleAnnotations:
    """One article's annotations as placed in its text; the workspace keeps it up to date."""

    def __init__(self, article: Article, placed: list[Placed], moved: int = 0) -> None:
        self.article = article
        self.by_id: dict[str, Placed] = {p.id: p for p in placed}
        self.moved = moved  # how many followed their text when the article was opened
        self.warnings: list[str] = []  # moves that could not be written, when opened

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self) -> Iterator[Placed]:
        return iter(self.by_id.values())

    def __contains__(self, ann_id: object) -> bool:
        return ann_id in self.by_id

    def get(self, ann_id: str) -> Placed | None:
        return self.by_id.get(ann_id)

    def annotation(self, ann_id: str) -> Annotation | None:
        p = self.by_id.get(ann_id)
        return p.annotation if p else None

    @property
    def drifted(self) -> int:
        return sum(1 for p in self.by_id.values() if p.drifted)

    def span_of(self, ann: Annotation) -> tuple[int, int]:
        p = self.by_id.get(ann.id)
        return p.span if p else (ann.start, ann.end)

    def on_span(self, start: int, end: int) -> list[Placed]:
        """The annotations on exactly ``[start, end)``."""
        return [p for p in self.by_id.values() if p.span == (start, end)]

    def in_order(self) -> list[Placed]:
        """By place in the text, then id."""
        return sorted(self.by_id.values(), key=lambda p: (p.start, p.end, p.id))


@dataclass(frozen=True, slots=True)
class Edit:
    """What one change did, for whoever shows its article: the placements it took away and the
    ones it put in (a relabel takes the old version away and puts the new one in)."""

    change: Change
    removed: tuple[Placed, ...] = ()
    added: tuple[Placed, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.change.doc_id

    @property
    def touched(self) -> list[tuple[int, int]]:
        """The spans of the text whose look changed."""
        return [p.span for p in (*self.removed, *self.added)]


@dataclass(frozen=True, slots=True)
class NoChange:
    """A request that changed nothing, and why (to be said, not an error); ``name``: a label
    the reason ends with, kept apart so the screen can show it as a name."""

    reason: str
    name: str = ""


@dataclass
class Workspace:
    corpus: Corpus
    store: AnnotationStore
    annotator: str | None = None
    labels: tuple[Label, ...] = DEFAULT_LABELS
    locked_by: StoreLockedError | None = None  # opened read-only because another holds it
    suggesters: Suggesters = field(default_factory=Suggesters)
    session: Session = field(init=False)
    _open: dict[str, ArticleAnnotations] = field(init=False, default_factory=dict)
    _gone: dict[str, Placed] = field(init=False, default_factory=dict)  # for undo of a remove
    _positions: dict[str, int] = field(init=False, default_factory=dict)
    _fold_error_said: str | None = field(init=False, default=None)
    # (id, sha256) -> the suggesters' candidates for that text (they depend on it alone)
    _candidates: dict[tuple[str, str], list[Suggestion]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.session = Session(self.store, self.annotator)

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        db_path: str | os.PathLike[str] | None = None,
        *,
        annotator: str | None = None,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        suggesters: Suggesters | None = None,
        store_class: Callable[..., AnnotationStore] = AnnotationStore,
    ) -> Workspace:
        """Open the store for writing, or read-only when another process holds it (then
        ``locked_by`` says who). StoreError when it cannot be used at all."""
        suggesters = suggesters if suggesters is not None else Suggesters()
        try:
            return cls(corpus, store_class(db_path), annotator, labels, None, suggesters)
        except StoreLockedError as e:
            store = store_class(db_path, readonly=True)
            return cls(corpus, store, annotator, labels, e, suggesters)

    @property
    def readonly(self) -> bool:
        return self.store.readonly

    def close(self) -> None:
        self.store.close()

    @property
    def closed(self) -> bool:
        return self.store.closed

    # --- articles ----------------------------------------------------------------------------

    def article(self, article: Article) -> ArticleAnnotations:
        """The article's annotations, placed in its text. The first time in this workspace,
        drift moves are written to the store (when it is writable): once, not on every show."""
        found = self._open.get(article.id)
        if found is not None:
            return found
        placed: list[Placed] = []
        moved = 0
        warnings: list[str] = []
        for p in place(article.text, article.sha256, self.store.annotations(article.id)):
            ann = p.annotation
            moved += p.status == "moved"
            if (
                not p.drifted
                and not self.readonly
                and (p.status == "moved" or ann.sha256 != article.sha256)
            ):
                try:
                    ann = self.store.move(
                        ann.id, p.start, p.end, text=ann.text, sha256=article.sha256
                    )
                except StoreError as e:
                    warnings.append(str(e))
            placed.append(Placed(ann, p.start, p.end, p.drifted))
        found = ArticleAnnotations(article, placed, moved)
        found.warnings = warnings
        self._open[article.id] = found
        return found

    def is_done(self, doc_id: str) -> bool:
        return bool(self.store.article_state(doc_id).get("done"))

    def toggle_done(self, doc_id: str) -> bool:
        """Mark the article done, or not done again; returns the new state."""
        if self.readonly:
            raise ReadOnlyError(f"{self.store.path} is open read-only: nothing can be changed")
        done = not self.is_done(doc_id)
        self.store.set_article_state(doc_id, done=done)
        return done

    def counts(self) -> dict[str, dict[str, int]]:
        """{doc_id: {label: annotations}} for every article that has any."""
        return self.store.counts()

    def status(self, counts: dict[str, dict[str, int]]) -> dict[str, str]:
        """new / started / done per article, given ``counts()``."""
        states = self.store.article_states()
        status = {doc: "started" for doc, c in counts.items() if sum(c.values())}
        status.update({doc: "done" for doc, state in states.items() if state.get("done")})
        return status

    def next_unannotated(self, after_id: str | None) -> str | None:
        """The next article (after ``after_id``, wrapping) with no annotations yet."""
        counts = self.counts()
        ids = [a.id for a in self.corpus]
        k = ids.index(after_id) + 1 if after_id in ids else 0
        for doc in ids[k:] + ids[:k]:
            if doc != after_id and not sum(counts.get(doc, {}).values()):
                return doc
        return None

    def cursor_of(self, doc_id: str) -> int:
        """Where the reader was in the article last (this session, else as stored)."""
        if doc_id in self._positions:
            return self._positions[doc_id]
        return self.store.article_state(doc_id).get("cursor") or 0

    def remember_cursor(self, doc_id: str, cursor: int) -> None:
        """Keep the reading position (stored when writable; StoreError if that fails)."""
        self._positions[doc_id] = cursor
        if not self.readonly and not self.store.closed:
            self.store.set_article_state(doc_id, cursor=cursor)

    # --- changes -----------------------------------------------------------------------------

    def tag(self, article: Article, start: int, end: int, label: str) -> Edit | NoChange:
        """Tag ``text[start:end]`` with ``label``: relabel the one annotation on exactly that
        span, else add one. ReadOnlyError / StoreError when it cannot be written."""
        if start >= end:
            return NoChange("Nothing to tag here: this article has no words")
        same = self.article(article).on_span(start, end)
        if any(p.annotation.label == label for p in same):
            return NoChange("Already tagged ", label)
        if len(same) == 1:
            ann = same[0].annotation
            return self.change(lambda session: session.relabel(ann, label))
        return self.change(lambda session: session.add(article, start, end, label))

    def relabel(self, ann: Annotation, label: str) -> Edit | NoChange:
        if ann.label == label:
            return NoChange("Already tagged ", label)
        return self.change(lambda session: session.relabel(ann, label))

    def move(self, article: Article, ann: Annotation, start: int, end: int) -> Edit | NoChange:
        """New boundaries for an annotation: one durable, undoable change."""
        if (start, end) == self.article(article).span_of(ann):
            return NoChange("The boundaries did not change")
        if start >= end:
            return NoChange("Nothing is selected")
        return self.change(lambda session: session.move(article, ann, start, end))

    def suggestions(self, article: Article) -> list[Suggestion]:
        """The suggestions to show for an article: none that was rejected there, and none that
        an annotation already answers (one over it with its label, or accepted from it).
        The suggesters run once per text; see ``suggestions_ready`` for a long one."""
        key = (article.id, article.sha256)
        candidates = self._candidates.get(key)
        if candidates is None:
            candidates = self._candidates[key] = self.suggesters.candidates(article.text)
        rejected = self.store.rejected(article.id)
        annotations = [p.annotation for p in self.article(article)]
        return unanswered(Suggesters.select(candidates, rejected), annotations)

    def suggestions_ready(self, article: Article) -> bool:
        """May ``suggestions`` be asked for without a wait: found already, or an article of
        at most SUGGEST_IN_PLACE characters? (A longer one: ``find_suggestions`` first, away
        from the keys: about a second per 1.1 MB, a minute on a 67 MB article.)"""
        return (
            article.id,
            article.sha256,
        ) in self._candidates or len(article.text) <= SUGGEST_IN_PLACE

    def find_suggestions(self, article: Article) -> None:
        """Run the suggesters on ``article`` in a child process (blocking: call it from a
        thread) and keep what they found."""
        key = (article.id, article.sha256)
        if key not in self._candidates:
            self._candidates[key] = candidates_apart(self.suggesters, article.text)

    def accept(
        self,
        article: Article,
        suggestion: Suggestion,
        label: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> Edit:
        """Make a suggestion an annotation (its label or ``label``; its span or ``span``)."""
        return self.change(lambda session: session.accept(article, suggestion, label, span))

    def reject(self, article: Article, suggestion: Suggestion) -> Edit:
        """Reject a suggestion: it does not come back for this article."""
        return self.change(lambda session: session.reject(article, suggestion))

    def remove(self, ann: Annotation) -> Edit:
        return self.change(lambda session: session.remove(ann))

    def set_note(self, ann: Annotation, note: str | None) -> Edit:
        return self.change(lambda session: session.set_note(ann, note))

    @property
    def can_undo(self) -> bool:
        return self.session.can_undo

    @property
    def can_redo(self) -> bool:
        return self.session.can_redo

    def undo(self) -> Edit | None:
        """Take back the last change of the session, wherever it was (None: nothing left)."""
        if not self.session.can_undo:
            return None
        return self.change(Session.undo)

    def redo(self) -> Edit | None:
        if not self.session.can_redo:
            return None
        return self.change(Session.redo)

    def change(self, what: Callable[[Session], Change | None]) -> Edit:
        """Run one session change and keep the placements of its article up to date. Any
        session change goes through here (accepting a suggestion, new boundaries...)."""
        change = what(self.session)
        assert change is not None
        if what is Session.undo:  # (undo returns the change it took back: it went after -> before)
            return self._placed(change, change.after, change.before)
        return self._placed(change, change.before, change.after)

    def _placed(self, change: Change, before: Annotation | None, after: Annotation | None) -> Edit:
        if after is not None:
            after = self.store.get(after.id) or after  # as stored now (timestamps)
        found = self._open.get(change.doc_id)
        if found is None or (before is None and after is None):
            return Edit(change)
        removed: tuple[Placed, ...] = ()
        added: tuple[Placed, ...] = ()
        old = found.by_id.pop(before.id, None) if before is not None else None
        if old is not None:
            removed = (old,)
            self._gone[old.id] = old
        if after is not None:
            known = old or self._gone.get(after.id)
            if known is not None and _span(known.annotation) == _span(after):
                new = Placed(after, known.start, known.end, known.drifted)  # same place
            elif known is not None or after.sha256 == found.article.sha256:
                new = Placed(after, after.start, after.end)  # put where it was asked to be
            else:
                p = place_one(found.article.text, found.article.sha256, after)
                new = Placed(after, p.start, p.end, p.drifted)
            found.by_id[new.id] = new
            self._gone.pop(new.id, None)
            added = (new,)
        return Edit(change, removed, added)

    def new_fold_error(self) -> str | None:
        """The store's last failed fold of its journal into the store file, when it was not
        said yet (once per problem; every change is safe in the journal meanwhile)."""
        error = self.store.last_fold_error
        said, self._fold_error_said = self._fold_error_said, error
        return error if error and error != said else None
