"""The library: one row per article, keyboard first.

It asks the app for what it cannot do itself (messages in ``hamish.tui.screens.requests``:
open an article, mark one done) and shows the counts and states the app gives it
(``show_counts``), which it asks for again each time it is shown (``LibraryShown``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable

from hamish.store import Article, Corpus
from hamish.tui import display
from hamish.tui.bidi.search import fold
from hamish.tui.display import Display, Field
from hamish.tui.labels import DEFAULT_LABELS, Label
from hamish.tui.screens import requests
from hamish.tui.widgets.bidi_label import BidiLabel, KeyBar
from hamish.tui.widgets.text_input import TextInput

PADDING = 1  # DataTable's cell padding, each side of each column
TITLE_MIN = 16  # below this the title column takes columns from the others
STATUS = {"new": "new", "started": "started", "done": "done"}
STATUS_SHORT = {"new": "·", "started": "…", "done": "✓"}


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # "title", "id", "words", "label:NAME", "status"
    header: str
    width: int


def library_columns(
    width: int, labels: tuple[Label, ...], id_width: int, words_width: int = 5
) -> list[Column]:
    """The library's columns for a table ``width`` cells wide: the title takes what the
    others leave. When that is less than ``TITLE_MIN``, the others give way in this order:
    label headers shrink to the label's key, the id is shortened, the word count goes, the
    id goes, the status shrinks to a mark, the label counts go."""
    id_width = max(2, min(id_width, 28))
    # (label headers, id width, word count, status, label counts)
    steps: list[tuple[str, int, bool, str, bool]] = [
        ("name", id_width, True, "long", True),
        ("key", id_width, True, "long", True),
        ("key", min(id_width, 10), True, "long", True),
        ("key", min(id_width, 10), False, "long", True),
        ("key", 0, False, "long", True),
        ("key", 0, False, "short", True),
        ("key", 0, False, "short", False),
    ]
    for k, (headers, shown_id, words, status, counts) in enumerate(steps):
        cols: list[Column] = []
        if shown_id:
            cols.append(Column("id", "Id", shown_id))
        if words:
            cols.append(Column("words", "Words", words_width))
        if counts:
            for label in labels:
                name = label.name[:5].capitalize() if headers == "name" else label.key
                cols.append(
                    Column(f"label:{label.name}", name, max(3, display.field(name).cell_len))
                )
        if status == "long":
            cols.append(Column("status", "Status", 7))
        else:
            cols.append(Column("status", "", 1))
        title = width - sum(c.width + 2 * PADDING for c in cols) - 2 * PADDING
        if title >= TITLE_MIN or k == len(steps) - 1:
            return [Column("title", "Title", max(4, title)), *cols]
    raise AssertionError("unreachable")


class LibraryScreen(Screen):
    BINDINGS = [
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
        Binding("slash", "filter", "Filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("a", "next_unannotated", "Next new"),
        Binding("D", "toggle_done", "Done"),
    ]

    def __init__(self, corpus: Corpus, labels: tuple[Label, ...] = DEFAULT_LABELS) -> None:
        super().__init__(id="library")
        self.corpus = corpus
        self.labels = labels
        self._counts: dict[str, dict[str, int]] = {}
        self._status: dict[str, str] = {}
        self._shown: list[Article] = []
        self._columns: list[Column] = []
        self._query = ""

    def compose(self) -> ComposeResult:
        with Vertical(id="library-body"):
            yield BidiLabel("Hamish — library", id="library-title", classes="title-bar")
            yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()  # rows come from on_screen_resume (first show too)

    @property
    def articles(self) -> list[Article]:
        return list(self.corpus)

    def _table_width(self) -> int:
        table = self.query_one(DataTable)
        width = table.content_region.width or table.size.width or self.size.width or 80
        return max(10, width - 1)  # room for a vertical scrollbar

    def _set_columns(self) -> bool:
        """(Re)make the columns for the table's width; True when they changed."""
        id_width = max((display.field(a.id).cell_len for a in self.articles), default=2)
        columns = library_columns(self._table_width(), self.labels, id_width)
        if columns == self._columns:
            return False
        self._columns = columns
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for c in columns:
            table.add_column(display.field(c.header, base="ltr"), width=c.width, key=c.key)
        return True

    def _cell(self, column: Column, article: Article, counts, status) -> Display:
        if column.key == "title":
            shown = display.field(article.title, width=column.width)
            if display.is_rtl(article.title):
                shown.justify = "right"
            return shown
        if column.key == "id":
            return display.field(article.id, width=column.width)
        if column.key == "words":
            shown = display.field(str(article.words), base="ltr")
        elif column.key.startswith("label:"):
            shown = display.field(str(counts.get(column.key[6:], 0)), base="ltr")
        else:
            state = status.get(article.id, "new")
            shown = display.field(
                STATUS[state] if column.width > 1 else STATUS_SHORT[state], base="ltr"
            )
            return shown
        shown.justify = "right"
        return shown

    def refresh_rows(self, query: str = "") -> None:
        self._query = query
        table = self.query_one(DataTable)
        selected = self.selected_id()
        self._set_columns()
        table.clear()
        key = fold(query)
        self._shown = [a for a in self.articles if not key or key in fold(a.title)]
        counts, status = self._counts, self._status
        for article in self._shown:
            c = counts.get(article.id, {})
            table.add_row(
                *[self._cell(col, article, c, status) for col in self._columns], key=article.id
            )
        parts: list[display.Part] = [
            f"Hamish — library: {len(self._shown)} of {len(self.articles)} articles"
        ]
        if query:
            parts += [" matching “", Field(query, flex=True), "”"]
        self.query_one("#library-title", BidiLabel).show(*parts)
        if selected and any(a.id == selected for a in self._shown):
            table.move_cursor(row=[a.id for a in self._shown].index(selected))

    def on_resize(self) -> None:
        if self._columns:
            self.call_after_refresh(self._resized)

    def _resized(self) -> None:
        if self._set_columns():
            self.refresh_rows(self._query)

    def show_counts(self, counts: dict[str, dict[str, int]], status: dict[str, str]) -> None:
        """Annotations per article and label, and each article's state (new, started, done)."""
        self._counts, self._status = counts, status
        self.refresh_rows(self.filter_text)

    def on_screen_resume(self) -> None:
        """Fill the rows when shown, first time included: counts change while reading."""
        self.refresh_rows(self.filter_text)
        self.post_message(requests.LibraryShown())

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
        self.post_message(requests.OpenNextNew(self.selected_id()))

    def action_toggle_done(self) -> None:
        doc = self.selected_id()
        if doc:
            self.post_message(requests.ToggleDone(doc))

    @property
    def filter_text(self) -> str:
        boxes = self.query("#filter")
        return boxes.first(TextInput).value if boxes else ""

    def action_filter(self) -> None:
        # The filter box is made the first time it is needed (the library paints sooner).
        boxes = self.query("#filter")
        if boxes:
            box = boxes.first(TextInput)
        else:
            box = TextInput(placeholder="filter titles… (Enter keeps, Esc clears)", id="filter")
            self.query_one("#library-body").mount(box)
            self.call_after_refresh(box.focus)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        boxes = self.query("#filter")
        if not boxes:
            return
        box = boxes.first(TextInput)
        box.value = ""
        box.display = False
        self.refresh_rows()
        self.query_one(DataTable).focus()

    def on_text_input_changed(self, event: TextInput.Changed) -> None:
        if event.input.id == "filter":
            self.refresh_rows(event.value)

    def on_text_input_submitted(self, event: TextInput.Submitted) -> None:
        if event.input.id == "filter":
            if not event.value:
                event.input.display = False
            self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        doc_id = event.row_key.value
        if doc_id is not None:
            self.post_message(requests.OpenArticle(doc_id))
