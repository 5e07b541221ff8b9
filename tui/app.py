"""The Hamish app: the library of a corpus and a reader for each article.

``create_app`` builds it from plain arguments (tests use it); ``run_app`` is what `hamish` runs.
"""

from __future__ import annotations

import sys
from argparse import Namespace
from pathlib import Path

from textual.app import App
from textual.binding import Binding

from store import Corpus, CorpusError, load_corpus
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen

# ECMA-48 BDSM: tell terminals that do implicit bidi (VTE) not to reorder what we already did.
BDSM_EXPLICIT = "\x1b[8l"
BDSM_IMPLICIT = "\x1b[8h"


class HamishApp(App):
    CSS_PATH = "hamish.tcss"
    TITLE = "Hamish"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(
        self,
        corpus: Corpus,
        *,
        db_path: str | None = None,
        terminal_bidi: bool = False,
        open_first: bool = False,
    ) -> None:
        super().__init__()
        self.corpus = corpus
        self.db_path = db_path
        self.terminal_bidi = terminal_bidi
        self.open_first = open_first
        self._positions: dict[str, int] = {}

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())
        for warning in self.corpus.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.open_first and len(self.corpus):
            self.open_article(self.corpus[0].id)

    # --- what the library shows (the store fills these in) -----------------------------------

    def article_counts(self) -> dict[str, dict[str, int]]:
        return {}

    def article_status(self) -> dict[str, str]:
        return {}

    # --- screens ----------------------------------------------------------------------------

    def _remember_position(self) -> None:
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            self._positions[screen.article.id] = screen.view.cursor[0]

    def open_article(self, article_id: str) -> None:
        self._remember_position()
        index = self.corpus.index(article_id)
        article = self.corpus[index]
        reader = ReaderScreen(
            article,
            index,
            len(self.corpus),
            cursor=self._positions.get(article_id, 0),
            reorder=not self.terminal_bidi,
        )
        if isinstance(self.screen, ReaderScreen):
            self.switch_screen(reader)
        else:
            self.push_screen(reader)

    def open_neighbour(self, article_id: str, step: int) -> None:
        index = self.corpus.index(article_id) + step
        if 0 <= index < len(self.corpus):
            self.open_article(self.corpus[index].id)
        else:
            self.notify("No more articles that way", severity="information", timeout=2)

    def show_library(self) -> None:
        self._remember_position()
        while isinstance(self.screen, ReaderScreen):
            self.pop_screen()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def create_app(
    paths: list[str] | None = None,
    *,
    db_path: str | None = None,
    terminal_bidi: bool = False,
) -> HamishApp:
    corpus = load_corpus(paths or None)
    single = bool(paths) and len(paths) == 1 and Path(paths[0]).is_file()
    return HamishApp(corpus, db_path=db_path, terminal_bidi=terminal_bidi, open_first=single)


def run_app(args: Namespace) -> int:
    try:
        app = create_app(args.paths, db_path=args.db, terminal_bidi=args.terminal_bidi)
    except CorpusError as e:
        print(f"hamish: {e}", file=sys.stderr)
        return 2
    if not len(app.corpus):
        for warning in app.corpus.warnings:
            print(f"hamish: {warning}", file=sys.stderr)
        print("hamish: no articles to open", file=sys.stderr)
        return 2
    out = sys.__stdout__
    if not args.terminal_bidi and out is not None and out.isatty():
        out.write(BDSM_EXPLICIT)
        out.flush()
    try:
        app.run()
    finally:
        if not args.terminal_bidi and out is not None and out.isatty():
            out.write(BDSM_IMPLICIT)
            out.flush()
    return app.return_code or 0
