"""The Hamish app: the library of a corpus and a reader for each article.

The app puts the workspace (``hamish.tui.workspace``: the store, the session, placements, the
label rules) and the screens together: screens ask with messages (``screens.requests``), the app
asks the workspace and answers through typed methods of the screens it opened (``_library``,
``_reader``). ``create_app`` builds it from plain arguments (tests use it); ``run_app`` is what
`hamish` runs.
"""

from __future__ import annotations

import os
import sys
import threading
from argparse import Namespace
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import on
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel

from hamish.store import (
    AnnotationStore,
    Article,
    Corpus,
    CorpusError,
    StoreError,
    StoreLockedError,
    is_jsonl_corpus,
    load_corpus,
)
from hamish.tui import display
from hamish.tui import terminal as terminal_module
from hamish.tui.display import Display, Field, Part
from hamish.tui.labels import DEFAULT_LABELS, Label, LabelsError, load_labels
from hamish.tui.screens import requests
from hamish.tui.screens.library import LibraryScreen
from hamish.tui.session import ReadOnlyError, Session
from hamish.tui.suggest import Patterns, PatternsError, Suggesters
from hamish.tui.widgets.bidi_label import visual_text
from hamish.tui.workspace import ArticleAnnotations, Edit, NoChange, Workspace

if TYPE_CHECKING:
    # (loaded with the first article opened: the library paints sooner without it)
    from hamish.tui.screens.reader import ReaderScreen

T = TypeVar("T")


def toast_width(screen_width: int) -> int:
    """A toast's text width: Textual's Toast is 60 cells, at most 50% of the screen (90% under
    70 columns, hamish.tcss), less its padding and border."""
    box = min(60, screen_width // 2 if screen_width >= 70 else screen_width * 9 // 10)
    return max(8, box - 3)


class FoldEnded(Message):
    """A fold of the store's journal ended (in the store's thread): say if it failed."""


# ECMA-48 BDSM (kept here for old imports): hamish.tui.terminal decides what is sent.
BDSM_EXPLICIT = terminal_module.BDSM_EXPLICIT
BDSM_IMPLICIT = terminal_module.BDSM_IMPLICIT


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
        self.workspace: Workspace | None = None  # once the store is open
        # Why closing the store did not fold it (a full disk, a read-only or immutable
        # directory): nothing is lost, the journal holds every change; said after the app ends.
        self.close_problem: str | None = None
        self._library: LibraryScreen | None = None  # the screens the app opened, typed
        self._reader: ReaderScreen | None = None

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
    def store(self) -> AnnotationStore | None:
        return self.workspace.store if self.workspace is not None else None

    @property
    def session(self) -> Session | None:
        return self.workspace.session if self.workspace is not None else None

    @property
    def readonly(self) -> bool:
        return self.workspace is None or self.workspace.readonly

    # --- the store -------------------------------------------------------------------------------

    def _open_store(self) -> bool:
        """Open the workspace on the store: for writing, or read-only when another process
        holds it (the workspace's ``locked_by`` says who). Returns False when the app cannot
        go on: the store is unusable, and the app exits with a message that names the file
        and the problem."""
        try:
            self.workspace = Workspace.open(
                self.corpus,
                self.db_path,
                annotator=self.annotator,
                labels=self.labels,
                suggesters=self.suggesters,
                store_class=AnnotationStore,
            )
        except StoreError as e:  # corrupt, unreadable: say what and where, touch nothing
            self.fail(f"hamish: {e}")
            return False
        if not self.workspace.readonly:
            # Folds run in the store's own thread; post_message is thread-safe.
            self.workspace.store.fold_listener = lambda: self.post_message(FoldEnded())
        return True

    def _offer_read_only(self, e: StoreLockedError) -> None:
        from hamish.tui.screens.dialogs import ChoiceDialog

        self.push_screen(
            ChoiceDialog(
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
        if self.workspace is not None and not self.workspace.closed:
            self._remember_position()
            try:
                self.workspace.close()
            except StoreError as e:  # closed all the same: the journal keeps every change
                self.close_problem = str(e)

    def on_unmount(self) -> None:
        self._close_store()

    def get_default_screen(self) -> LibraryScreen:
        self._library = LibraryScreen(self.corpus, self.labels)
        return self._library

    def on_mount(self) -> None:
        # The library paints first; the store (which may take a second to read when it holds
        # many annotations, and may be held by another Hamish) opens right after.
        self.call_after_refresh(self._start)
        if self.terminal.hint:
            self.notify(self.terminal.hint, title="Terminal", timeout=8)

    def _start(self) -> None:
        if not self.ensure_store():
            return
        self._show_counts()
        for warning in self.corpus.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.open_first and len(self.corpus):
            self.open_article(self.corpus[0].id)
        if self.workspace is not None and self.workspace.locked_by is not None:
            self._offer_read_only(self.workspace.locked_by)

    def ensure_store(self) -> bool:
        """Open the store if that has not happened yet; False when the app cannot go on."""
        if self.workspace is not None:
            return True
        return self._open_store()

    # --- what the screens show ------------------------------------------------------------------

    def _show_counts(self) -> None:
        """The library's counts and states, from the store."""
        if self.workspace is not None and self._library is not None:
            counts = self.workspace.counts()
            self._library.show_counts(counts, self.workspace.status(counts))

    @on(requests.LibraryShown)
    def _library_shown(self) -> None:
        self._show_counts()

    def _current_reader(self, doc_id: str | None = None) -> ReaderScreen | None:
        """The reader on screen (showing ``doc_id``, when given), if any."""
        reader = self._reader
        if reader is None or not self.screen_stack or self.screen is not reader:
            return None
        if doc_id is not None and reader.article.id != doc_id:
            return None
        return reader

    def _report_drift(self, placed: ArticleAnnotations) -> None:
        """Say what happened to annotations made on another version of the article's file."""
        for warning in placed.warnings:
            self.notify(warning, title="Could not record a moved annotation", severity="warning")
        if placed.moved:
            self.notify(
                f"The file changed since it was annotated: {placed.moved} annotation(s) "
                "followed their text",
                timeout=8,
            )
        if placed.drifted:
            self.notify(
                f"{placed.drifted} annotation(s) no longer match the text and were left where "
                "they were: struck through in red (Tab finds them; d deletes)",
                title="Drifted annotations",
                severity="warning",
                timeout=15,
            )

    # --- changes ---------------------------------------------------------------------------------

    def _run(self, what: Callable[[Workspace], T]) -> T | None:
        """Run a workspace request; problems become notifications, never tracebacks."""
        if self.workspace is None:
            return None
        try:
            result = what(self.workspace)
        except ReadOnlyError:
            self.notify(
                "Read-only: another Hamish holds the store, nothing can be changed",
                severity="warning",
            )
            return None
        except StoreError as e:
            self.notify(str(e), title="Not saved", severity="error", timeout=15)
            return None
        self._say_fold_error()
        return result

    def on_fold_ended(self, _: FoldEnded) -> None:
        self._say_fold_error()

    def _say_fold_error(self) -> None:
        """A change is durable in the journal the moment it returns; folding the journal into the
        store file happens now and then after a change, and can fail (disk full): say so, once
        per problem, rather than let the journal grow unseen."""
        error = self.workspace.new_fold_error() if self.workspace is not None else None
        if error:
            self.notify(
                f"{error}. Nothing is lost: every change is in the journal, and folding is tried "
                "again later",
                title="Store file not updated",
                severity="warning",
                timeout=15,
            )

    def _say(self, nothing: NoChange) -> None:
        """Say why a request changed nothing (a name in it is a field of its own)."""
        parts: tuple[Part, ...] = (nothing.reason, Field(nothing.name)) if nothing.name else ()
        self.notify(parts or nothing.reason, severity="information", timeout=3)

    def _show(self, edit: Edit, *, focus: bool = False) -> None:
        """Show a change in the reader, when its article is on screen."""
        reader = self._current_reader(edit.doc_id)
        if reader is not None:
            reader.apply(edit, focus=focus)
            self._show_suggestions(edit.doc_id)

    @on(requests.Tag)
    def _tag(self, request: requests.Tag) -> None:
        """Tag the span of the reader's article, or relabel the annotation on exactly it."""
        article = self.corpus.get(request.doc_id)
        if article is None:
            return
        result = self._run(lambda ws: ws.tag(article, request.start, request.end, request.label))
        reader = self._current_reader(article.id)
        if isinstance(result, NoChange):
            self._say(result)
            if reader is not None and result.name:  # already tagged: the selection is used
                reader.tagged()
        elif result is not None:
            if reader is not None:
                reader.tagged()
            self._show(result, focus=True)

    @on(requests.Remove)
    def _remove(self, request: requests.Remove) -> None:
        ann = request.annotation
        edit = self._run(lambda ws: ws.remove(ann))
        if edit is not None:
            self._show(edit)
            self.notify(("Deleted ", Field(ann.label), " (u undoes)"), timeout=3)

    @on(requests.SetNote)
    def _set_note(self, request: requests.SetNote) -> None:
        edit = self._run(lambda ws: ws.set_note(request.annotation, request.note))
        if edit is not None:
            self._show(edit)

    def _after_history(self, edit: Edit, verb: str) -> None:
        change = edit.change
        doc = edit.doc_id
        reader = self._current_reader()
        if reader is not None and reader.article.id != doc and self.corpus.get(doc) is not None:
            # show where the change happened (placed as it is now)
            self.open_article(doc, cursor=self._place_of(edit))
        elif reader is not None:
            reader.apply(edit)
            self._show_suggestions(doc)
            if change.suggestion is None and change.annotation.id in reader.placements:
                reader.go_to_annotation(change.annotation)
        elif self.screen is self._library:
            self._show_counts()
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
        ws = self.workspace
        if ws is None or not (ws.can_undo if which == "undo" else ws.can_redo):
            self.notify(f"Nothing to {which}", severity="information", timeout=2)
            return
        edit = self._run(Workspace.undo if which == "undo" else Workspace.redo)
        if edit:
            self._after_history(edit, "Undone" if which == "undo" else "Redone")

    @on(requests.ToggleDone)
    def _toggle_done(self, request: requests.ToggleDone) -> None:
        doc_id = request.doc_id
        if self.workspace is not None and self.workspace.readonly:
            self.notify("Read-only: another Hamish holds the store", severity="warning")
            return
        done = self._run(lambda ws: ws.toggle_done(doc_id))
        if done is None:
            return
        reader = self._current_reader(doc_id)
        if reader is not None:
            reader.show_done(done)
        elif self.screen is self._library:
            self._show_counts()
        self.notify((Field(doc_id), f": {'done' if done else 'not done'}"), timeout=2)

    def next_unannotated(self, after_id: str | None) -> str | None:
        """The next article (after ``after_id``, wrapping) with no annotations yet."""
        return self.workspace.next_unannotated(after_id) if self.workspace is not None else None

    @on(requests.OpenNextNew)
    def _open_next_new(self, request: requests.OpenNextNew) -> None:
        doc = self.next_unannotated(request.after_id)
        if doc is None:
            self.notify(
                "No other article is without annotations", severity="information", timeout=3
            )
        else:
            self.open_article(doc)

    # --- screens ----------------------------------------------------------------------------

    def _remember_position(self) -> None:
        """Keep the cursor of the reader the app opened last, when it goes away (another
        article, the library, quit: the screen may be gone already, its cursor is kept)."""
        reader = self._reader
        if reader is None or self.workspace is None:
            return
        try:
            self.workspace.remember_cursor(reader.article.id, reader.cursor_index)
        except StoreError as e:
            self.notify(str(e), title="Reading position not saved", severity="warning")

    @on(requests.OpenArticle)
    def _open_requested(self, request: requests.OpenArticle) -> None:
        self.open_article(request.doc_id)

    def _place_of(self, edit: Edit) -> int | None:
        """Where the reader should put its cursor to show ``edit``."""
        spans = edit.touched
        return spans[0][0] if spans else None

    def open_article(self, doc_id: str, *, cursor: int | None = None) -> None:
        """Open the article in the reader, at ``cursor`` (else where it was read last)."""
        if not self.ensure_store() or self.workspace is None:
            return
        self._remember_position()
        index = self.corpus.index(doc_id)
        article = self.corpus[index]
        placed = self.workspace.article(article)  # drift moves written here, once
        from hamish.tui.screens.reader import ReaderScreen

        reader = ReaderScreen(
            placed,
            index,
            len(self.corpus),
            cursor=self.workspace.cursor_of(doc_id) if cursor is None else cursor,
            reorder=True,  # the terminal's mode is applied to whole rows (_display)
            labels=self.labels,
            done=self.workspace.is_done(doc_id),
            readonly=self.workspace.readonly,
            suggestions=(
                self.workspace.suggestions(article)
                if self.workspace.suggestions_ready(article)
                else []
            ),
        )
        if self._current_reader() is not None:
            self.switch_screen(reader)
        else:
            self.push_screen(reader)
        self._reader = reader
        self._report_drift(placed)
        if not self.workspace.suggestions_ready(article):
            self._find_suggestions(article)

    @on(requests.OpenNeighbour)
    def _open_neighbour(self, request: requests.OpenNeighbour) -> None:
        index = self.corpus.index(request.doc_id) + request.step
        if 0 <= index < len(self.corpus):
            self.open_article(self.corpus[index].id)
        else:
            self.notify("No more articles that way", severity="information", timeout=2)

    @on(requests.ShowLibrary)
    def show_library(self) -> None:
        self._remember_position()
        while self._reader is not None and self.screen is self._reader:
            self.pop_screen()
            self._reader = None

    # --- suggestions and boundaries --------------------------------------------------------------

    def _show_suggestions(self, doc_id: str) -> None:
        reader = self._current_reader(doc_id)
        if (
            reader is not None
            and self.workspace is not None
            and self.workspace.suggestions_ready(reader.article)
        ):
            reader.show_suggestions(self.workspace.suggestions(reader.article))

    def _find_suggestions(self, article: Article) -> None:
        """A long article's suggestions, found apart (``Workspace.find_suggestions``) while
        the reader takes keys, then shown. A daemon thread that waits on the child process:
        quitting does not wait for it."""
        workspace = self.workspace

        def work() -> None:
            if workspace is None:
                return
            workspace.find_suggestions(article)
            if not self.is_running:  # the app has ended meanwhile
                return
            try:
                self.call_from_thread(self._show_suggestions, article.id)
            except RuntimeError:  # the app has ended meanwhile
                pass

        threading.Thread(target=work, name=f"suggest {article.id}", daemon=True).start()

    @on(requests.Accept)
    def _accept(self, request: requests.Accept) -> None:
        """Make a suggestion an annotation, then go on to the next suggestion."""
        article = self.corpus.get(request.doc_id)
        if article is None:
            return
        sug = request.suggestion
        edit = self._run(lambda ws: ws.accept(article, sug, request.label, request.span))
        reader = self._current_reader(article.id)
        if edit is not None and reader is not None:
            reader.tagged()
            reader.apply(edit)
            self._show_suggestions(article.id)
            reader.next_suggestion_from(sug.start)

    @on(requests.Reject)
    def _reject(self, request: requests.Reject) -> None:
        """Reject a suggestion (it does not come back for this article), then go on."""
        article = self.corpus.get(request.doc_id)
        if article is None:
            return
        sug = request.suggestion
        edit = self._run(lambda ws: ws.reject(article, sug))
        reader = self._current_reader(article.id)
        if edit is not None and reader is not None:
            reader.tagged()
            self._show_suggestions(article.id)
            self.notify(("Rejected the suggested ", Field(sug.label), " (u undoes)"), timeout=2)
            reader.next_suggestion_from(sug.start)

    @on(requests.Move)
    def _move(self, request: requests.Move) -> None:
        """New boundaries for an annotation: one durable, undoable change."""
        article = self.corpus.get(request.doc_id)
        if article is None:
            return
        ann = request.annotation
        result = self._run(lambda ws: ws.move(article, ann, request.start, request.end))
        if isinstance(result, NoChange):
            if result.reason.startswith("The boundaries"):
                self._say(result)
            return
        reader = self._current_reader(article.id)
        if result is not None and reader is not None:
            reader.tagged()
            reader.apply(result, focus=True)
            self._show_suggestions(article.id)

    @on(requests.Relabel)
    def _relabel(self, request: requests.Relabel) -> None:
        result = self._run(lambda ws: ws.relabel(request.annotation, request.label))
        if isinstance(result, NoChange):
            self._say(result)
        elif result is not None:
            self._show(result, focus=True)

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
