"""The Hamish app: the library of a corpus and a reader for each article.

``create_app`` builds it from plain arguments (tests use it); ``run_app`` is what `hamish` runs.
"""

from __future__ import annotations

import os
import sys
from argparse import Namespace
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel

from hamish.store import (
    Annotation,
    AnnotationStore,
    Article,
    Corpus,
    CorpusError,
    StoreError,
    StoreLockedError,
    is_jsonl_corpus,
    load_corpus,
)
from hamish.store.drift import place
from hamish.tui import display
from hamish.tui import terminal as terminal_module
from hamish.tui.display import Display, Field, Part
from hamish.tui.labels import DEFAULT_LABELS, Label, LabelsError, load_labels
from hamish.tui.screens.library import LibraryScreen
from hamish.tui.session import Change, ReadOnlyError, Session
from hamish.tui.suggest import Patterns, PatternsError, Suggesters, Suggestion, unanswered
from hamish.tui.widgets.bidi_label import visual_text

if TYPE_CHECKING:
    from typing_extensions import TypeIs  # (in typing from 3.13)

    from hamish.tui.screens.reader import ReaderScreen


def toast_width(screen_width: int) -> int:
    """A toast's text width: Textual's Toast is 60 cells, at most 50% of the screen (90% under
    70 columns, hamish.tcss), less its padding and border."""
    box = min(60, screen_width // 2 if screen_width >= 70 else screen_width * 9 // 10)
    return max(8, box - 3)


def is_reader(screen: object) -> TypeIs[ReaderScreen]:
    """Whether ``screen`` is a ReaderScreen. The reader's modules load with the first article
    opened (the library paints sooner without them): until then, no screen can be one."""
    module = sys.modules.get("hamish.tui.screens.reader")
    return module is not None and isinstance(screen, module.ReaderScreen)


# ECMA-48 BDSM (kept here for old imports): hamish.tui.terminal decides what is sent.
BDSM_EXPLICIT = terminal_module.BDSM_EXPLICIT
BDSM_IMPLICIT = terminal_module.BDSM_IMPLICIT


class FoldEnded(Message):
    """A fold of the store's journal ended (in the store's thread): say if it failed."""


class HamishApp(App):
    CSS_PATH = "hamish.tcss"
    TITLE = "Hamish"
    ENABLE_COMMAND_PALETTE = False
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]  # toasts: see hamish.tcss
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark,f1", "help", "Help"),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("e", "export", "Export", show=False),
    ]

    def __init__(
        self,
        corpus: Corpus,
        *,
        db_path: str | None = None,
        terminal_bidi: bool = False,
        terminal: terminal_module.Terminal | None = None,
        open_first: bool = False,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        annotator: str | None = None,
        export_format: str | None = None,
        suggesters: Suggesters | None = None,
    ) -> None:
        super().__init__()
        # what the reader suggests (quotations; a patterns file's matches): Suggesters(quotes=
        # False) for none
        self.suggesters = suggesters if suggesters is not None else Suggesters()
        self.corpus = corpus
        self.db_path = db_path
        if terminal is None:
            mode = terminal_module.Mode.BIDI if terminal_bidi else terminal_module.Mode.VISUAL
            terminal = terminal_module.Terminal("a terminal", mode, source="the caller")
        # What the terminal does to Arabic: every screen row is laid out in visual order,
        # shaped, and turned into what this terminal needs as it is written (_display).
        self.terminal = terminal
        self.terminal_bidi = terminal.mode is terminal_module.Mode.BIDI
        self.open_first = open_first
        self.labels = labels
        self.annotator = annotator
        self.export_format = export_format
        self.store: AnnotationStore | None = None
        self.session: Session | None = None
        self._locked_by: StoreLockedError | None = None
        self._positions: dict[str, int] = {}  # when the store is read-only
        # Why closing the store did not fold it (a full disk, a read-only or immutable
        # directory): nothing is lost, the journal holds every change; said after the app ends.
        self.close_problem: str | None = None
        self._fold_error_said: str | None = None

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        """Every update on its way out: rows turned into what the terminal's mode needs."""
        if renderable is not None:
            from hamish.tui.screen_output import transform_update

            renderable = transform_update(screen, renderable, self.terminal)
        super()._display(screen, renderable)

    def notify(  # type: ignore[override]
        self,
        message: str | Display | Sequence[Part],
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications go through the display path like everything on screen: cleaned of
        controls, laid out by the engine in lines that fit a toast, never markup (``markup``
        is ignored: a message holds names and article text)."""
        width = toast_width(self.size.width if self.is_running else 80)
        return super().notify(
            visual_text(message, width),
            title=visual_text(title, width) if title else "",
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def fail(self, message: str, return_code: int = 2) -> None:
        """Exit with ``message`` on stderr, cleaned (it names files: never markup, never an
        escape sequence)."""
        self.exit(return_code=return_code, message=Text(display.for_stderr(message)))

    @property
    def readonly(self) -> bool:
        return self.store is None or self.store.readonly

    # --- the store -------------------------------------------------------------------------------

    def _open_store(self) -> bool:
        """Open the store for writing, or read-only when another process holds it (then
        ``_locked_by`` says who). Returns False when the app cannot go on: the store is
        unusable, and the app exits with a message that names the file and the problem."""
        self._locked_by = None
        try:
            self.store = AnnotationStore(self.db_path)
            # Folds run in the store's own thread; post_message is thread-safe.
            self.store.fold_listener = lambda: self.post_message(FoldEnded())
        except StoreLockedError as e:
            self._locked_by = e
            try:
                self.store = AnnotationStore(self.db_path, readonly=True)
            except StoreError as e2:
                self.fail(f"hamish: {e2}")
                return False
        except StoreError as e:  # corrupt, unreadable: say what and where, touch nothing
            self.fail(f"hamish: {e}")
            return False
        self.session = Session(self.store, self.annotator)
        return True

    def _offer_read_only(self, e: StoreLockedError) -> None:
        from hamish.tui.screens.dialogs import Message

        self.push_screen(
            Message(
                "The annotation store is in use",
                (
                    ("path", str(e)),
                    "\nHamish has opened it read-only: you can read the articles and see their "
                    "annotations, but nothing you do is saved.\n\nGo on read-only, or quit?",
                ),
                [("r", "go on read-only"), ("q", "quit")],
            ),
            self._quit_if_q,
        )

    def _quit_if_q(self, key: str | None) -> None:
        if key == "q":
            self.exit(return_code=1)

    def _close_store(self) -> None:
        if self.store is not None and not self.store.closed:
            self._remember_position()
            try:
                self.store.close()
            except StoreError as e:  # closed all the same: the journal keeps every change
                self.close_problem = str(e)

    def on_unmount(self) -> None:
        self._close_store()

    def get_default_screen(self) -> LibraryScreen:
        return LibraryScreen()

    def on_mount(self) -> None:
        # The library paints first; the store (which may take a second to read when it holds
        # many annotations, and may be held by another Hamish) opens right after.
        self.call_after_refresh(self._start)
        if self.terminal.hint:
            self.notify(self.terminal.hint, title="Terminal", timeout=8)

    def _start(self) -> None:
        if not self.ensure_store():
            return
        screen = self.screen
        if isinstance(screen, LibraryScreen):
            screen.on_screen_resume()  # counts and status from the store
        for warning in self.corpus.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.open_first and len(self.corpus):
            self.open_article(self.corpus[0].id)
        if self._locked_by is not None:
            self._offer_read_only(self._locked_by)

    def ensure_store(self) -> bool:
        """Open the store if that has not happened yet; False when the app cannot go on."""
        if self.store is not None:
            return True
        return self._open_store()

    # --- what the library shows ---------------------------------------------------------------

    def article_counts(self) -> dict[str, dict[str, int]]:
        return self.store.counts() if self.store else {}

    def article_status(self, counts: dict[str, dict[str, int]]) -> dict[str, str]:
        """new / started / done per article, given ``article_counts()``."""
        if self.store is None:
            return {}
        states = self.store.article_states()
        status = {doc: "started" for doc, c in counts.items() if sum(c.values())}
        status.update({doc: "done" for doc, state in states.items() if state.get("done")})
        return status

    # --- annotations of an article ------------------------------------------------------------

    def placed_annotations(
        self, article: Article
    ) -> tuple[list[tuple[Annotation, int, int, bool]], int]:
        """The article's annotations, each with where it sits in the text as loaded now and
        whether it drifted (store.drift: followed to a new place only when that place is
        unambiguous, else flagged), and how many moved. Moves are written to the store when it
        is writable."""
        if self.store is None:
            return [], 0
        result = []
        moved = 0
        for p in place(article.text, article.sha256, self.store.annotations(article.id)):
            ann = p.annotation
            moved += p.status == "moved"
            if (
                not p.drifted
                and not self.store.readonly
                and (p.status == "moved" or ann.sha256 != article.sha256)
            ):
                try:
                    ann = self.store.move(
                        ann.id, p.start, p.end, text=ann.text, sha256=article.sha256
                    )
                except StoreError as e:
                    self.notify(
                        str(e), title="Could not record a moved annotation", severity="warning"
                    )
            result.append((ann, p.start, p.end, p.drifted))
        return result, moved

    def report_drift(self, placed: list[tuple[Annotation, int, int, bool]], moved: int) -> None:
        """Say what happened to annotations made on another version of the article's file."""
        drifted = sum(1 for *_, d in placed if d)
        if moved:
            self.notify(
                f"The file changed since it was annotated: {moved} annotation(s) followed their text",
                timeout=8,
            )
        if drifted:
            self.notify(
                f"{drifted} annotation(s) no longer match the text and were left where they were: "
                "struck through in red (Tab finds them; d deletes)",
                title="Drifted annotations",
                severity="warning",
                timeout=15,
            )

    def show_in_reader(self, reader: ReaderScreen, *, opening: bool = False) -> None:
        """Give a reader its article's annotations and done flag (on open and after changes)."""
        placed, moved = self.placed_annotations(reader.article)
        reader.show_annotations(placed)
        reader.show_suggestions(self.suggestions_for(reader.article, [a for a, *_ in placed]))
        if opening:
            self.report_drift(placed, moved)
        reader.show_done(
            bool(self.store and self.store.article_state(reader.article.id).get("done"))
        )

    def suggestions_for(self, article: Article, annotations: list[Annotation]) -> list[Suggestion]:
        """The suggestions to show for an article: none that was rejected there, and none that
        an annotation already answers (one over it with its label, or accepted from it)."""
        rejected = self.store.rejected(article.id) if self.store is not None else frozenset()
        return unanswered(self.suggesters.suggest(article.text, rejected), annotations)

    def accept_suggestion(
        self,
        reader: ReaderScreen,
        suggestion: Suggestion,
        label: str | None = None,
        span: tuple[int, int] | None = None,
    ) -> None:
        """Make a suggestion an annotation (its label or ``label``; its span or ``span``), then
        go on to the next suggestion."""
        article = reader.article
        change = self._change(lambda session: session.accept(article, suggestion, label, span))
        if change:
            reader.tagged()
            self._refresh_reader(article.id)
            reader.next_suggestion_from(suggestion.start)

    def reject_suggestion(self, reader: ReaderScreen, suggestion: Suggestion) -> None:
        """Reject a suggestion (it does not come back for this article), then go on."""
        article = reader.article
        change = self._change(lambda session: session.reject(article, suggestion))
        if change:
            reader.tagged()
            self._refresh_reader(article.id)
            self.notify(f"Rejected the suggested {suggestion.label} (u undoes)", timeout=2)
            reader.next_suggestion_from(suggestion.start)

    def move_annotation(self, reader: ReaderScreen, ann: Annotation, start: int, end: int) -> None:
        """New boundaries for an annotation: one durable, undoable change."""
        if (start, end) == reader.span_of(ann):
            self.notify("The boundaries did not change", severity="information", timeout=2)
            return
        if start >= end:
            return
        article = reader.article
        change = self._change(lambda session: session.move(article, ann, start, end))
        if change:
            reader.tagged()
            reader.focused_annotation = ann.id
            self._refresh_reader(article.id)

    def relabel_annotation(self, reader: ReaderScreen, ann: Annotation, label: str) -> None:
        if ann.label == label:
            self.notify(f"Already tagged {label}", severity="information", timeout=2)
            return
        change = self._change(lambda session: session.relabel(ann, label))
        if change:
            reader.focused_annotation = ann.id
            self._refresh_reader(ann.doc_id)

    def _refresh_reader(self, doc_id: str | None = None) -> ReaderScreen | None:
        screen = self.screen
        if (
            is_reader(screen)
            and screen.is_mounted
            and (doc_id is None or screen.article.id == doc_id)
        ):
            self.show_in_reader(screen)
            return screen
        return None

    def _change(self, what: Callable[[Session], Change | None]) -> Change | None:
        """Run a session change, ``what(session)``; problems become notifications, never
        tracebacks. Nothing happens without a session (no store)."""
        if self.session is None:
            return None
        try:
            change = what(self.session)
            self._say_fold_error()
            return change
        except ReadOnlyError:
            self.notify(
                "Read-only: another Hamish holds the store, nothing can be changed",
                severity="warning",
            )
        except StoreError as e:
            self.notify(str(e), title="Not saved", severity="error", timeout=15)
        return None

    def on_fold_ended(self, _: FoldEnded) -> None:
        self._say_fold_error()

    def _say_fold_error(self) -> None:
        """A change is durable in the journal the moment it returns; folding the journal into the
        store file happens now and then after a change, and can fail (disk full): say so, once
        per problem, rather than let the journal grow unseen."""
        error = self.store.last_fold_error if self.store is not None else None
        if error and error != self._fold_error_said:
            self.notify(
                f"{error}. Nothing is lost: every change is in the journal, and folding is tried "
                "again later",
                title="Store file not updated",
                severity="warning",
                timeout=15,
            )
        self._fold_error_said = error

    def tag(self, reader: ReaderScreen, start: int, end: int, label: str) -> None:
        """Tag ``text[start:end]`` of the reader's article, or relabel the annotation whose span
        that exactly is."""
        article = reader.article
        if start >= end:
            self.notify(
                "Nothing to tag here: this article has no words", severity="information", timeout=3
            )
            return
        same = [a for a in reader.annotations if reader.span_of(a) == (start, end)]
        if any(a.label == label for a in same):
            self.notify(("Already tagged ", Field(label)), severity="information", timeout=2)
            reader.tagged()
            return
        if len(same) == 1:
            change = self._change(lambda session: session.relabel(same[0], label))
        else:
            change = self._change(lambda session: session.add(article, start, end, label))
        if change:
            reader.tagged()
            reader.focused_annotation = change.annotation.id
            self._refresh_reader(article.id)

    def remove_annotation(self, ann: Annotation) -> None:
        if self._change(lambda session: session.remove(ann)):
            self._refresh_reader(ann.doc_id)
            self.notify(("Deleted ", Field(ann.label), " (u undoes)"), timeout=3)

    def set_note(self, ann: Annotation, note: str) -> None:
        if self._change(lambda session: session.set_note(ann, note)):
            self._refresh_reader(ann.doc_id)

    def _after_history(self, change: Change, verb: str) -> None:
        doc = change.doc_id
        screen = self.screen
        if is_reader(screen) and screen.article.id != doc and self.corpus.get(doc) is not None:
            self.open_article(doc)  # show where the change happened
            screen = self.screen
        if is_reader(screen) and screen.article.id == doc:
            self._refresh_reader(doc)
            if change.suggestion is None and change.annotation.id in screen.placed:
                screen.go_to_annotation(change.annotation)
        elif isinstance(screen, LibraryScreen):
            screen.on_screen_resume()
        text = change.text
        short = text if len(text) <= 40 else text[:39] + "…"
        self.notify(
            (f"{verb}: ", Field(change.describe()), " «", Field(short), "» in ", Field(doc)),
            timeout=4,
        )

    def action_undo(self) -> None:
        self._history("undo")

    def action_redo(self) -> None:
        self._history("redo")

    def _history(self, which: str) -> None:
        """Undo or redo one change of the session, then show it."""
        session = self.session
        if session is None or not (session.can_undo if which == "undo" else session.can_redo):
            self.notify(f"Nothing to {which}", severity="information", timeout=2)
            return
        change = self._change(Session.undo if which == "undo" else Session.redo)
        if change:
            self._after_history(change, "Undone" if which == "undo" else "Redone")

    def toggle_done(self, doc_id: str) -> None:
        if self.store is None:
            return
        if self.store.readonly:
            self.notify("Read-only: another Hamish holds the store", severity="warning")
            return
        done = not self.store.article_state(doc_id).get("done")
        try:
            self.store.set_article_state(doc_id, done=done)
        except StoreError as e:
            self.notify(str(e), title="Not saved", severity="error", timeout=15)
            return
        self._refresh_reader(doc_id)
        self.notify((Field(doc_id), f": {'done' if done else 'not done'}"), timeout=2)

    def next_unannotated(self, after_id: str | None) -> str | None:
        """The next article (after ``after_id``, wrapping) with no annotations yet."""
        counts = self.article_counts()
        ids = [a.id for a in self.corpus]
        k = ids.index(after_id) + 1 if after_id in ids else 0
        for doc in ids[k:] + ids[:k]:
            if doc != after_id and not sum(counts.get(doc, {}).values()):
                return doc
        return None

    def open_next_unannotated(self, after_id: str | None) -> None:
        doc = self.next_unannotated(after_id)
        if doc is None:
            self.notify(
                "No other article is without annotations", severity="information", timeout=3
            )
        else:
            self.open_article(doc)

    # --- screens ----------------------------------------------------------------------------

    def _remember_position(self, reader: ReaderScreen | None = None) -> None:
        screen = reader if reader is not None else self.screen if self.screen_stack else None
        if is_reader(screen):
            cursor = screen.cursor_index
            self._positions[screen.article.id] = cursor
            if self.store is not None and not self.store.readonly and not self.store.closed:
                try:
                    self.store.set_article_state(screen.article.id, cursor=cursor)
                except StoreError as e:
                    self.notify(str(e), title="Reading position not saved", severity="warning")

    def reader_closing(self, reader: ReaderScreen) -> None:
        """A reader is going away (another article, the library, quit): keep its cursor."""
        self._remember_position(reader)

    def _cursor_of(self, article_id: str) -> int:
        if article_id in self._positions:
            return self._positions[article_id]
        if self.store is not None:
            return self.store.article_state(article_id).get("cursor") or 0
        return 0

    def open_article(self, article_id: str) -> None:
        if not self.ensure_store():
            return
        self._remember_position()
        index = self.corpus.index(article_id)
        article = self.corpus[index]
        from hamish.tui.screens.reader import ReaderScreen

        reader = ReaderScreen(
            article,
            index,
            len(self.corpus),
            cursor=self._cursor_of(article_id),
            reorder=True,  # the terminal's mode is applied to whole rows (_display)
            labels=self.labels,
        )
        if is_reader(self.screen):
            self.switch_screen(reader)
        else:
            self.push_screen(reader)  # the reader asks for its annotations when mounted

    def open_neighbour(self, article_id: str, step: int) -> None:
        index = self.corpus.index(article_id) + step
        if 0 <= index < len(self.corpus):
            self.open_article(self.corpus[index].id)
        else:
            self.notify("No more articles that way", severity="information", timeout=2)

    def show_library(self) -> None:
        self._remember_position()
        while is_reader(self.screen):
            self.pop_screen()

    def action_export(self) -> None:
        """Export the whole corpus to a new file (or directory) beside the store, in the format
        set with --export-format / HAMISH_EXPORT_FORMAT, else the one chosen in a dialog; say
        where it went when it is written."""
        if self.store is None:
            return
        if self.export_format is not None:
            self._export(self.export_format)
            return
        from hamish.tui.screens.export_choice import ChooseExport

        if not isinstance(self.screen, ChooseExport):
            self.push_screen(ChooseExport(), callback=self._export)

    def _export(self, fmt: str | None) -> None:
        if fmt is None or self.store is None:
            return
        import hamish.store.export as export_module

        ExportError = export_module.ExportError
        store = self.store
        # beside the store in use: <store dir>/exports/hamish-export[-FMT]-<time>[.jsonl|.spacy]
        path = export_module.default_export_path(fmt, store.path.parent / "exports")
        label_set = [(label.name, label.color) for label in self.labels]

        def work() -> None:
            try:
                summary = export_module.export_to_path(
                    self.corpus, store, path, fmt, label_set=label_set
                )
            except (ExportError, StoreError, OSError) as e:
                self.call_from_thread(
                    self.notify, str(e), title="Export failed", severity="error", timeout=15
                )
                return
            self.call_from_thread(self._exported, summary)

        self.notify(f"Exporting ({fmt})…", timeout=2)
        self.run_worker(work, thread=True, exclusive=True, group="export")

    def _exported(self, summary) -> None:
        """Say what an export wrote; its path on lines of its own, broken at separators."""
        import dataclasses

        path = summary.path
        width = toast_width(self.size.width)
        text = display.join(
            [
                display.block(dataclasses.replace(summary, path=None).describe(), width),
                *([display.path_block(str(path), width)] if path is not None else []),
                *[display.block(w, width) for w in summary.warnings],
            ]
        )
        self.notify(text, title="Exported", timeout=15)

    def action_help(self) -> None:
        from hamish.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def create_app(
    paths: list[str] | None = None,
    *,
    db_path: str | None = None,
    terminal_bidi: bool = False,
    terminal: terminal_module.Terminal | None = None,
    labels_path: str | None = None,
    annotator: str | None = None,
    export_format: str | None = None,
    patterns: list[str] | None = None,
    suggest: bool = True,
) -> HamishApp:
    """The app for a corpus (CorpusError), a labels file (LabelsError) and patterns files
    (PatternsError; ``suggest`` False: no suggestions at all). ``export_format``: what ``e``
    writes without asking (None: HAMISH_EXPORT_FORMAT, else ``e`` asks); an unknown one is a
    CorpusError-like ValueError with a message."""
    export_format = check_export_format(export_format or os.environ.get("HAMISH_EXPORT_FORMAT"))
    corpus = load_corpus(paths or None)
    labels = load_labels(labels_path) if labels_path else DEFAULT_LABELS
    suggesters = Suggesters(
        quotes=suggest, patterns=[Patterns.load(p) for p in patterns or []] if suggest else []
    )
    # One article file opens straight in the reader; a directory or a JSONL corpus in the library.
    single = (
        paths is not None
        and len(paths) == 1
        and Path(paths[0]).is_file()
        and not is_jsonl_corpus(paths[0])
    )
    return HamishApp(
        corpus,
        db_path=db_path,
        terminal_bidi=terminal_bidi,
        terminal=terminal,
        open_first=single,
        labels=labels,
        annotator=annotator,
        export_format=export_format,
        suggesters=suggesters,
    )


class ExportFormatError(ValueError):
    """--export-format or HAMISH_EXPORT_FORMAT names no export format."""


def check_export_format(fmt: str | None) -> str | None:
    if not fmt:
        return None
    from hamish.store.export import FORMATS

    if fmt not in FORMATS:
        raise ExportFormatError(
            f"unknown export format {fmt!r} (--export-format or HAMISH_EXPORT_FORMAT; one of: "
            f"{', '.join(FORMATS)})"
        )
    return fmt


def detect_terminal(args: Namespace) -> terminal_module.Terminal:
    """The terminal the app runs in and its mode (``--terminal``, else HAMISH_TERMINAL, else
    recognised; ``--terminal-bidi`` is ``--terminal bidi``)."""
    override = getattr(args, "terminal", None)
    if getattr(args, "terminal_bidi", False) and override in (None, "auto"):
        override = "bidi"
    fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1

    def query() -> str:
        try:
            return terminal_module.query_xtversion(fd) if fd >= 0 else ""
        except (OSError, ValueError):
            return ""

    return terminal_module.detect(override=override, query=query)


def run_app(args: Namespace) -> int:
    out = sys.__stdout__
    tty = out is not None and out.isatty()
    terminal = detect_terminal(args) if tty else None
    try:
        app = create_app(
            args.paths,
            db_path=args.db,
            terminal_bidi=getattr(args, "terminal_bidi", False),
            terminal=terminal,
            labels_path=getattr(args, "labels", None),
            annotator=getattr(args, "annotator", None),
            export_format=getattr(args, "export_format", None),
            patterns=getattr(args, "patterns", None),
            suggest=not getattr(args, "no_suggest", False),
        )
    except (CorpusError, LabelsError, ExportFormatError, PatternsError) as e:
        print(display.for_stderr(f"hamish: {e}"), file=sys.stderr)
        return 2
    if not len(app.corpus):
        for warning in app.corpus.warnings:
            print(display.for_stderr(f"hamish: {warning}"), file=sys.stderr)
        print("hamish: no articles to open", file=sys.stderr)
        return 2
    enter = terminal.enter if terminal else ""
    if enter and out is not None:
        out.write(enter)
        out.flush()
    try:
        app.run()
    finally:
        if terminal and terminal.leave and out is not None:
            out.write(terminal.leave)
            out.flush()
    if terminal and terminal.hint:
        print(display.for_stderr(f"hamish: {terminal.hint}"), file=sys.stderr)
    if app.close_problem:
        print(display.for_stderr(f"hamish: {app.close_problem}"), file=sys.stderr)
        return app.return_code or 1
    return app.return_code or 0
