"""The reader: one article through the layout engine, a word cursor, search."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from store import Article
from tui.bidi.search import find_all
from tui.widgets.article_view import ArticleView
from tui.widgets.bidi_label import BidiLabel


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("n", "next_match(1)", "Next match"),
        Binding("N", "next_match(-1)", "Prev match", show=False),
        Binding("right_square_bracket", "article(1)", "Next article"),
        Binding("left_square_bracket", "article(-1)", "Prev article"),
        Binding("escape,backspace", "back", "Library"),
    ]

    def __init__(self, article: Article, position: int, total: int, *, cursor: int = 0, reorder: bool = True) -> None:
        super().__init__(classes="reader")
        self.article = article
        self.position = position
        self.total = total
        self.reorder = reorder
        self._cursor = cursor
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="reader-header", classes="title-bar"):
            yield BidiLabel(self.article.title, id="reader-title", reorder=self.reorder)
            yield Static(f"{self.position + 1} of {self.total}", id="reader-place")
        yield ArticleView(self.article.text, cursor=self._cursor, reorder=self.reorder, id="article")
        # A status line reads left to right; the Arabic inside it is still laid out right to left.
        yield BidiLabel("", id="reader-status", base="ltr", reorder=self.reorder)
        yield Input(placeholder="search… (Enter to find, Esc to cancel)", id="search")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.view.focus()
        self._describe_cursor()

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    def _describe_cursor(self) -> None:
        start, end = self.view.cursor
        status = f" {start}–{end}: {self.article.text[start:end]}"
        if self.matches:
            status += f"   “{self.query_text}”: {len(self.matches)} matches"
        elif self.query_text:
            status += f"   “{self.query_text}”: no match"
        self.query_one("#reader-status", BidiLabel).text = status

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        self._describe_cursor()

    # --- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.value = self.query_text
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "search":
            return
        event.input.display = False
        self.view.focus()
        self.query_text = event.value
        self.matches = find_all(self.article.text, event.value)
        self.view.set_matches(self.matches)
        if self.matches:
            self._go_to_match(1, inclusive=True)
        else:
            self._describe_cursor()
            if event.value:
                self.notify(f"No match for “{event.value}”", severity="warning")

    def on_key(self, event) -> None:
        box = self.query_one("#search", Input)
        if event.key == "escape" and box.has_focus:
            box.display = False
            self.view.focus()
            event.stop()
            event.prevent_default()

    def _go_to_match(self, step: int, inclusive: bool = False) -> None:
        if not self.matches:
            return
        here = self.view.cursor[0]
        if step > 0:
            after = [m for m in self.matches if (m[0] >= here if inclusive else m[0] > here)]
            target = after[0] if after else self.matches[0]
        else:
            before = [m for m in self.matches if m[0] < here]
            target = before[-1] if before else self.matches[-1]
        self.view.move_to_index(target[0])  # CursorMoved updates the status line

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.notify("No search: press / to search", severity="information")
            return
        self._go_to_match(step)

    # --- navigation ----------------------------------------------------------------------------

    def action_article(self, step: int) -> None:
        self.app.open_neighbour(self.article.id, step)

    def action_back(self) -> None:
        self.app.show_library()
