"""The library: one row per article, keyboard first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from hamish.store import Article
from hamish.tui.bidi import fit_line
from hamish.tui.bidi.search import fold
from hamish.tui.widgets.bidi_label import BidiLabel, visual_line

if TYPE_CHECKING:
    from textual import getters

    from hamish.tui.app import HamishApp

TITLE_WIDTH = 32


class LibraryScreen(Screen):
    if TYPE_CHECKING:  # it runs in Hamish's app: let the type checker see that app's methods
        app = getters.app(HamishApp)

    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("a", "next_unannotated", "Next new"),
        Binding("D", "toggle_done", "Done"),
    ]

    def __init__(self) -> None:
        super().__init__(id="library")
        self._shown: list[Article] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="library-body"):
            yield BidiLabel("Hamish — library", id="library-title", classes="title-bar")
            yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", width=TITLE_WIDTH, key="title")
        table.add_column("Id", key="id")
        table.add_column("Words", key="words")
        for label in self.app.labels:
            table.add_column(visual_line(label.name[:5].capitalize()), key=f"label:{label.name}")
        table.add_column("Status", key="status")
        table.focus()  # the rows come from on_screen_resume, which also runs on first show

    @property
    def articles(self) -> list[Article]:
        return list(self.app.corpus)

    def refresh_rows(self, query: str = "") -> None:
        table = self.query_one(DataTable)
        selected = (
            self._shown[table.cursor_row].id
            if self._shown and 0 <= table.cursor_row < len(self._shown)
            else None
        )
        table.clear()
        key = fold(query)
        self._shown = [a for a in self.articles if not key or key in fold(a.title)]
        counts = self.app.article_counts()
        status = self.app.article_status(counts)
        for article in self._shown:
            c = counts.get(article.id, {})
            table.add_row(
                Text(fit_line(article.title, TITLE_WIDTH)),
                visual_line(article.id),
                Text(str(article.words), justify="right"),
                *[Text(str(c.get(label.name, 0)), justify="right") for label in self.app.labels],
                status.get(article.id, "new"),
                key=article.id,
            )
        title = f"Hamish — library: {len(self._shown)} of {len(self.articles)} articles"
        if query:
            title += f" matching “{query}”"
        self.query_one("#library-title", BidiLabel).text = title
        if selected and any(a.id == selected for a in self._shown):
            table.move_cursor(row=[a.id for a in self._shown].index(selected))

    def on_screen_resume(self) -> None:
        """Fill the rows when shown, first time included: counts change while reading."""
        self.refresh_rows(self.filter_text)

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        if table.has_focus:
            table.move_cursor(row=max(0, min(table.row_count - 1, table.cursor_row + step)))

    def selected_id(self) -> str | None:
        table = self.query_one(DataTable)
        if self._shown and 0 <= table.cursor_row < len(self._shown):
            return self._shown[table.cursor_row].id
        return None

    def action_next_unannotated(self) -> None:
        self.app.open_next_unannotated(self.selected_id())

    def action_toggle_done(self) -> None:
        doc = self.selected_id()
        if doc:
            self.app.toggle_done(doc)
            self.refresh_rows(self.filter_text)

    @property
    def filter_text(self) -> str:
        boxes = self.query("#filter")
        return boxes.first(Input).value if boxes else ""

    def action_filter(self) -> None:
        # The filter box is made the first time it is needed (the library paints sooner).
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(Input)
        else:
            box = Input(placeholder="filter titles… (Enter to keep, Esc to clear)", id="filter")
            self.query_one("#library-body").mount(box)
            self.call_after_refresh(box.focus)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        boxes = self.query("#filter")
        if not boxes:
            return
        box = boxes.first(Input)
        box.value = ""
        box.display = False
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "filter":
            self.refresh_rows(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value:
                event.input.display = False
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        article_id = event.row_key.value
        if article_id is not None:
            self.app.open_article(article_id)
