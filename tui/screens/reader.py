"""The reader: one article through the layout engine, a word cursor, search, and annotating.

The screen is thin: it turns keys into requests to the app (tag, remove, relabel, note, undo)
and shows what the app gives it (``show_annotations``). The store is the app's business.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.keys import _character_to_key
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from hamish.store import Annotation, Article
from hamish.tui import display
from hamish.tui.bidi import FORMAT_MARKS
from hamish.tui.bidi.search import find_all
from hamish.tui.display import Display, Field, Part
from hamish.tui.labels import DEFAULT_LABELS, Label, match_color
from hamish.tui.screens.dialogs import describe_parts
from hamish.tui.suggest import MANUAL_ORIGIN, Suggestion
from hamish.tui.widgets.article_view import ArticleView, LabelStyle, ShownSpan
from hamish.tui.widgets.bidi_label import BidiLabel, KeyBar
from hamish.tui.widgets.text_input import TextInput

if TYPE_CHECKING:
    from textual import getters

    from hamish.tui.app import HamishApp

PANEL_LINES = 2  # fixed, so the text does not jump as the cursor moves


class AnnotationPanel(Widget):
    """The annotations under the cursor: label, text, annotator, note, origin (one line each).
    It is two lines high and scrolls (Ctrl+↓ / Ctrl+↑, the mouse wheel) when there are more."""

    DEFAULT_CSS = """
    AnnotationPanel { height: 2; }
    """

    rows: reactive[list[tuple[Part, ...]]] = reactive(list, layout=True)
    top: reactive[int] = reactive(0)

    def watch_rows(self) -> None:
        self.top = 0

    def scroll_lines(self, step: int) -> None:
        self.top = max(0, min(self.top + step, len(self.rows) - PANEL_LINES))

    def on_mouse_scroll_down(self) -> None:
        self.scroll_lines(1)

    def on_mouse_scroll_up(self) -> None:
        self.scroll_lines(-1)

    def _width(self) -> int:
        return max(1, self.content_region.width or self.size.width or 80)

    @property
    def lines(self) -> list[Display]:
        """Every row as drawn at the panel's width."""
        return [display.line(*parts, width=self._width()) for parts in self.rows]

    def render(self) -> Display:
        rows = list(self.rows[self.top : self.top + PANEL_LINES])
        more = len(self.rows) - self.top - PANEL_LINES
        if rows and (more > 0 or self.top > 0):
            marks = ("↑" if self.top else " ") + ("↓" if more > 0 else " ")
            where = f" {marks} {self.top + 1}–{self.top + len(rows)} of {len(self.rows)}"
            rows[-1] = (*rows[-1], Field(where, "dim", base="ltr"))  # the text gives way
        return display.join(display.line(*parts, width=self._width()) for parts in rows)


class ReaderScreen(Screen):
    if TYPE_CHECKING:  # it runs in Hamish's app: let the type checker see that app's methods
        app = getters.app(HamishApp)

    BINDINGS = [
        Binding("slash", "search", "Search"),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Prev match", show=False),
        Binding("tab", "next_annotation(1)", "Next span", show=False),
        Binding("shift+tab", "next_annotation(-1)", "Prev span", show=False),
        Binding("f", "next_suggestion(1)", "Next suggestion", show=False),
        Binding("F", "next_suggestion(-1)", "Prev suggestion", show=False),
        Binding("enter", "accept", "Accept", show=False),
        Binding("r", "edit", "Edit span", show=False),
        Binding("l", "list", "List", show=False),
        Binding("ctrl+down", "panel(1)", "Panel down", show=False),
        Binding("ctrl+up", "panel(-1)", "Panel up", show=False),
        Binding("d,delete", "remove", "Delete"),
        Binding("m", "note", "Note"),
        Binding("D", "toggle_done", "Done", show=False),
        Binding("a", "next_unannotated", "Next new", show=False),
        Binding("right_square_bracket", "article(1)", "Next article", show=False),
        Binding("left_square_bracket", "article(-1)", "Prev article", show=False),
        Binding("escape", "escape", "Library", show=False),
        Binding("backspace", "back", "Library", show=False),
    ]

    def __init__(
        self,
        article: Article,
        position: int,
        total: int,
        *,
        cursor: int = 0,
        reorder: bool = True,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
    ) -> None:
        super().__init__(classes="reader")
        self.article = article
        self.position = position
        self.total = total
        self.reorder = reorder
        self.labels = labels
        self._cursor = cursor
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []
        self.annotations: list[Annotation] = []  # as stored
        self._by_id: dict[str, Annotation] = {}
        self.placed: dict[
            str, tuple[int, int, bool]
        ] = {}  # id -> (start, end, drifted) in this text
        self.focused_annotation: str | None = None  # the one Tab went to last
        self.suggestions: list[Suggestion] = []  # shown, in text order
        self.focused_suggestion: Suggestion | None = None  # the one f went to
        self.editing: str | None = None  # the annotation whose boundaries r is changing
        self._went_to: tuple[int, int] | None = None  # the word Tab (or the list) put the cursor on
        self.done = False
        for n, label in enumerate(labels):
            self._bindings.bind(
                _character_to_key(label.key),
                f"tag({n})",
                label.name,  # the key bar lays it out
                key_display=label.key,
            )

    def compose(self) -> ComposeResult:
        with Horizontal(id="reader-header", classes="title-bar"):
            yield BidiLabel(self.article.title, id="reader-title", reorder=self.reorder)
            yield BidiLabel("", id="reader-place", base="ltr")
        yield ArticleView(
            self.article.text, cursor=self._cursor, reorder=self.reorder, id="article"
        )
        # A status line reads left to right; the Arabic inside it is still laid out right to left.
        yield BidiLabel("", id="reader-status", base="ltr", reorder=self.reorder)
        yield AnnotationPanel(id="reader-annotations")
        legend = BidiLabel(id="reader-legend")
        legend.show(*self._legend())
        yield legend
        yield TextInput(placeholder="search… (Enter finds, Esc cancels)", prompt="/", id="search")
        yield KeyBar()

    def _legend(self) -> list[Part]:
        parts: list[Part] = []
        for label in self.labels:
            parts += [
                Field(f" {label.key} ", f"{label.text_color} on {label.color}", base="ltr"),
                " ",
                Field(label.name),
                "  ",
            ]
        parts.append(Field("underlined: in 2+ spans  ▌ labels on the line", "dim", base="ltr"))
        return parts

    def on_mount(self) -> None:
        self.query_one("#search", TextInput).display = False
        self.view.set_label_styles(
            [LabelStyle(label.color, label.text_color) for label in self.labels]
        )
        self.view.set_match_style(
            Style(bgcolor=match_color(self.labels), color="#000000", bold=True)
        )
        self.view.focus()
        self._cursor = self.view.cursor[0]
        show = getattr(self.app, "show_in_reader", None)
        if show is not None:
            show(self, opening=True)
        self._describe_place()
        self._describe_cursor()

    def on_unmount(self) -> None:
        closing = getattr(self.app, "reader_closing", None)
        if closing is not None:
            closing(self)

    @property
    def view(self) -> ArticleView:
        return self.query_one(ArticleView)

    # --- what the app shows us -----------------------------------------------------------------

    def show_annotations(self, placed: list[tuple[Annotation, int, int, bool]]) -> None:
        """The article's annotations, each with where it sits in this text and whether it
        drifted (its text is no longer at a place that can be found without guessing)."""
        index = {label.name: n for n, label in enumerate(self.labels)}
        self.annotations = [a for a, *_ in placed]
        self._by_id = {a.id: a for a in self.annotations}
        self.placed = {a.id: (s, e, drifted) for a, s, e, drifted in placed}
        n = len(self.article.text)
        self.view.set_annotations(
            [
                ShownSpan(min(s, n), min(e, n), index.get(a.label, -1), a.id, drifted)
                for a, s, e, drifted in placed
            ]
        )
        self._describe_cursor()

    def show_suggestions(self, suggestions: list[Suggestion]) -> None:
        """The suggestions to draw (apart from annotations) and to go through with f / F."""
        index = {label.name: n for n, label in enumerate(self.labels)}
        self.suggestions = sorted(suggestions, key=lambda s: (s.start, s.end, s.label))
        if self.focused_suggestion is not None and self.focused_suggestion.key not in {
            s.key for s in self.suggestions
        }:
            self.focused_suggestion = None
        n = len(self.article.text)
        self.view.set_suggestions(
            [
                ShownSpan(min(s.start, n), min(s.end, n), index.get(s.label, -1), s.key)
                for s in self.suggestions
            ]
        )
        self._describe_cursor()

    def show_done(self, done: bool) -> None:
        self.done = done
        self._describe_place()

    def _describe_place(self) -> None:
        place = f"{self.position + 1} of {self.total}"
        if self.done:
            place = "✓ done  " + place
        if getattr(self.app, "readonly", False):
            place = "read-only  " + place
        self.query_one("#reader-place", BidiLabel).text = place

    def span_of(self, ann: Annotation) -> tuple[int, int]:
        s, e, _ = self.placed.get(ann.id, (ann.start, ann.end, False))
        return s, e

    def under_cursor(self) -> list[Annotation]:
        """Annotations that overlap the cursor's word (the selection, when there is one):
        the one Tab went to first, then innermost first."""
        spans = self.view.spans_over(*self.view.target)  # the view's index of what it draws
        spans.sort(key=lambda s: (s.id != self.focused_annotation, s.end - s.start, s.start, s.end))
        return [self._by_id[s.id] for s in spans]

    def _describe_cursor(self) -> None:
        start, end = self.view.cursor
        # Each piece of data is a field of its own: the cursor's word reads as the text shows
        # it, the query keeps its quotation marks, the count stays outside them.
        status: list[Part] = []
        selection = self.view.selection
        if selection:
            s, e = selection
            words = len(self.article.text[s:e].split())
            status += [f" selected {s}–{e} ({words} words) · cursor"]
        status += [f" {start}–{end}: ", Field(self.article.text[start:end], flex=True)]
        if self.matches:
            status += ["   “", Field(self.query_text, flex=True), f"”: {len(self.matches)} matches"]
        elif self.query_text:
            status += ["   “", Field(self.query_text, flex=True), "”: no match"]
        self.query_one("#reader-status", BidiLabel).show(*status)
        panel = self.query_one(AnnotationPanel)
        under = self.under_cursor()
        lines: list[tuple[Part, ...]] = []
        if self.editing and self.editing in self._by_id:
            ann = self._by_id[self.editing]
            lines.append(
                (
                    Field("changing the boundaries of this ", "bold", base="ltr"),
                    Field(ann.label, "bold"),
                    Field(
                        ": Shift+arrows, Alt+Shift+arrows, o; Enter saves, Esc cancels",
                        "bold",
                        base="ltr",
                    ),
                )
            )
        elif self.focused_suggestion is not None:
            sug = self.focused_suggestion
            k = self.suggestions.index(sug) + 1 if sug in self.suggestions else 0
            lines.append(
                (
                    Field(f"suggestion {k} of {len(self.suggestions)}: ", "italic", base="ltr"),
                    Field(sug.label, "italic"),
                    Field(" (", "italic", base="ltr"),
                    Field(sug.origin.removeprefix("suggested:"), "italic"),
                    Field(": ", "italic", base="ltr"),
                    Field(sug.why, "italic", flex=True),
                    Field(
                        ") · Enter accepts · a label key accepts as that label · d rejects",
                        "italic",
                        base="ltr",
                    ),
                )
            )
        for a in under:
            parts = describe_parts(a, self.labels)
            if a.origin != MANUAL_ORIGIN:
                origin = a.origin.removeprefix("suggested:")
                parts = (*parts, Field(" (", "dim", base="ltr"), Field(origin, "dim"), ")")
            if self.placed.get(a.id, (0, 0, False))[2]:
                parts = (Field("DRIFTED ", "bold red", base="ltr"), *parts)
            lines.append(parts)
        if not lines:
            keys = "/".join(label.key for label in self.labels)
            what = "selection" if selection else "word"
            lines = [(Field(f"no annotation here: {keys} tags the {what}", "dim", base="ltr"),)]
        panel.rows = lines

    @property
    def cursor_index(self) -> int:
        """Where the cursor is (kept here too, so it can be read after the view is gone)."""
        return self._cursor

    def on_article_view_cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        # Decide from where the cursor is now, not from the event: a late event (a burst of
        # Tabs, a search) must not undo what a later key did.
        start, end = self.view.cursor
        self._cursor = start
        if self.focused_annotation:
            s, e, _ = self.placed.get(self.focused_annotation, (0, 0, False))
            if not (s < end and start < e):
                self.focused_annotation = None
        sug = self.focused_suggestion
        if (
            sug is not None
            and self.view.selection is None
            and not (sug.start < end and start < sug.end)
        ):
            self.focused_suggestion = None
        self._describe_cursor()

    def on_article_view_selection_changed(self, event: ArticleView.SelectionChanged) -> None:
        if self.view.selection is None:  # (now, not in the event: see above)
            self.editing = None
            sug = self.focused_suggestion
            start, end = self.view.cursor
            if sug is not None and not (sug.start < end and start < sug.end):
                self.focused_suggestion = None
        self._describe_cursor()

    def on_article_view_open_quotation(self, event: ArticleView.OpenQuotation) -> None:
        self.notify(
            "This quotation has no closing mark: selected to the end of its paragraph",
            severity="information",
            timeout=3,
        )

    def on_article_view_no_quotation(self, event: ArticleView.NoQuotation) -> None:
        self.notify(
            "No quotation around the selection"
            if event.outer
            else "The cursor is not inside a quotation (its marks must match in the paragraph)",
            severity="information",
            timeout=2,
        )

    def on_article_view_format_shown(self, event: ArticleView.FormatShown) -> None:
        if event.shown:
            count = sum(self.article.text.count(ch) for ch in FORMAT_MARKS)
            self.notify(
                f"Bidi formatting characters shown as marks: {count} in this article (b hides them)",
                timeout=4,
            )

    def on_resize(self) -> None:
        self._describe_cursor()

    # --- annotating ----------------------------------------------------------------------------

    def action_tag(self, n: int) -> None:
        """A label key: on an annotation being edited, save its boundaries (and label); on a
        suggestion, accept it with this label (on the selection, if its boundaries changed);
        on the annotation Tab went to, with no selection, relabel it; else tag the selection
        (or the cursor's word)."""
        label = self.labels[n].name
        selection = self.view.selection
        start, end = self.view.target
        if self.editing and self.editing in self._by_id:
            self._save_edit(label)
            return
        sug = self.focused_suggestion
        if sug is not None and sug.start < end and start < sug.end:
            self.app.accept_suggestion(self, sug, label, selection or (sug.start, sug.end))
            return
        focused = self._by_id.get(self.focused_annotation or "")
        if focused is not None and selection is None and self.view.cursor == self._went_to:
            # right after Tab went to it: relabel it (a new annotation needs a selection)
            self.app.relabel_annotation(self, focused, label)
            return
        self.app.tag(self, start, end, label)

    def _save_edit(self, label: str | None = None) -> None:
        ann = self._by_id[self.editing or ""]
        selection = self.view.selection or self.span_of(ann)
        self.editing = None
        if selection != self.span_of(ann):
            self.app.move_annotation(self, ann, *selection)
        else:
            self.view.clear_selection()
        if label is not None and label != ann.label:
            self.app.relabel_annotation(self, self._by_id.get(ann.id, ann), label)
        self._describe_cursor()

    def action_accept(self) -> None:
        """Enter: accept the suggestion f went to (on the selection, if its boundaries were
        changed) and go on to the next; or save the boundaries of the annotation being edited."""
        if self.editing and self.editing in self._by_id:
            self._save_edit()
            return
        sug = self.focused_suggestion
        if sug is None:
            return  # (an Enter left over from a dialog or the search box lands here: no noise)
        self.app.accept_suggestion(self, sug, None, self.view.selection or (sug.start, sug.end))

    def action_reject(self) -> None:
        """Reject the suggestion f went to; it does not come back for this article."""
        sug = self.focused_suggestion
        if sug is None:
            return
        self.app.reject_suggestion(self, sug)

    def action_next_suggestion(self, step: int) -> None:
        """f / F: the next / previous suggestion (its span becomes the selection)."""
        if not self.suggestions:
            self.notify("No suggestions in this article", severity="information", timeout=2)
            return
        order = self.suggestions
        if self.focused_suggestion in order:
            k = order.index(self.focused_suggestion) + step  # type: ignore[arg-type]
        else:
            cursor = self.view.cursor[0]
            if step > 0:  # the one the cursor is in, or the next
                k = next((i for i, s in enumerate(order) if s.end > cursor), 0)
            else:
                k = max((i for i, s in enumerate(order) if s.start < cursor), default=-1)
        self.go_to_suggestion(order[k % len(order)])

    def next_suggestion_from(self, position: int) -> None:
        """After an accept or a reject: the next suggestion from ``position`` on (wrapping)."""
        if not self.suggestions:
            self.focused_suggestion = None
            self.notify("No more suggestions in this article", timeout=2)
            self._describe_cursor()
            return
        after = [s for s in self.suggestions if s.start >= position]
        self.go_to_suggestion(after[0] if after else self.suggestions[0])

    def go_to_suggestion(self, sug: Suggestion) -> None:
        self.editing = None
        self.focused_annotation = None
        self.focused_suggestion = sug
        self.view.select_range(sug.start, sug.end)
        self._describe_cursor()

    def action_edit(self) -> None:
        """r: select the annotation under the cursor (the one Tab went to first) to change its
        boundaries like a selection; Enter saves them as one undoable change, Esc cancels."""
        under = self.under_cursor()
        if not under:
            self.notify("No annotation under the cursor", severity="information", timeout=2)
            return
        ann = under[0]
        self.focused_suggestion = None
        self.focused_annotation = ann.id
        self.view.select_range(*self.span_of(ann))
        self.editing = ann.id
        self._describe_cursor()

    def action_list(self) -> None:
        """l: the article's annotations as a list; Enter goes to one."""
        if not self.annotations:
            self.notify("No annotations in this article yet", severity="information", timeout=2)
            return
        from hamish.tui.screens.annotation_list import AnnotationList

        order = sorted(self.annotations, key=lambda a: (self.span_of(a), a.id))
        self.app.push_screen(
            AnnotationList(self.article.title, order, self.labels, self.focused_annotation),
            self._jump_to,
        )

    def _jump_to(self, ann: Annotation | None) -> None:
        if ann is not None and ann.id in self._by_id:
            self.go_to_annotation(self._by_id[ann.id])

    def action_panel(self, step: int) -> None:
        self.query_one(AnnotationPanel).scroll_lines(step)

    def tagged(self) -> None:
        """The app has applied a tag: the selection is used up."""
        self.view.clear_selection()

    def action_next_annotation(self, step: int) -> None:
        if not self.annotations:
            self.notify("No annotations in this article yet", severity="information", timeout=2)
            return
        order = sorted(self.annotations, key=lambda a: (self.span_of(a), a.id))
        keys = [(self.span_of(a), a.id) for a in order]
        if self.focused_annotation and self.focused_annotation in self.placed:
            here = (self.placed[self.focused_annotation][:2], self.focused_annotation)
            k = keys.index(here) + step
        else:
            # from the cursor: the first annotation that starts after the cursor's word starts
            # (one that starts on it is under the cursor already), or the last before it
            start = self.view.cursor[0]
            k = (
                bisect_right(keys, ((start, len(self.article.text) + 1), ""))
                if step > 0
                else bisect_right(keys, ((start, -1), "")) - 1
            )
        k %= len(order)
        target = order[k]
        self.go_to_annotation(target)

    def go_to_annotation(self, ann: Annotation) -> None:
        s, e = self.span_of(ann)
        word = self.view.word_near(s)
        self.view.clear_selection()
        self.focused_annotation = ann.id
        self.focused_suggestion = None
        self.editing = None
        self._went_to = word
        if word:
            self.view.set_cursor(*word)
        self._describe_cursor()

    def _choose(self, purpose: str, then) -> None:
        under = self.under_cursor()
        if not under:
            self.notify("No annotation under the cursor", severity="information", timeout=2)
            return
        exact = [a for a in under if self.span_of(a) == self.view.selection]
        if len(exact) == 1:
            then(exact[0])
        elif len(under) == 1:
            then(under[0])
        else:
            from hamish.tui.screens.dialogs import ChooseAnnotation

            self.app.push_screen(
                ChooseAnnotation(
                    f"{purpose}: which annotation?", under, self.labels, self.focused_annotation
                ),
                lambda ann: ann and then(ann),
            )

    def action_remove(self) -> None:
        """d / Delete: reject the suggestion f went to; else delete an annotation here."""
        if self.focused_suggestion is not None:
            self.action_reject()
            return
        self._choose("Delete", self.app.remove_annotation)

    def action_note(self) -> None:
        def edit(ann: Annotation) -> None:
            from hamish.tui.screens.dialogs import EditNote

            def done(note: str | None) -> None:
                if note is not None:
                    self.app.set_note(ann, note)

            self.app.push_screen(EditNote(ann, self.labels), done)

        self._choose("Note", edit)

    def action_toggle_done(self) -> None:
        self.app.toggle_done(self.article.id)

    def action_next_unannotated(self) -> None:
        self.app.open_next_unannotated(self.article.id)

    # --- search ----------------------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", TextInput)
        box.value = self.query_text
        box.cursor = len(box.value)
        box.display = True
        box.focus()

    def on_text_input_submitted(self, event: TextInput.Submitted) -> None:
        if event.input.id != "search":
            return
        event.input.display = False
        self.view.focus()
        self.query_text = event.value
        self.matches = find_all(self.article.text, event.value)
        self.view.set_matches(self.matches)
        if self.matches and self.view.selection is not None:
            self._describe_cursor()  # the selection stays; n / N extend it to a match
        elif self.matches:
            self._go_to_match(1, inclusive=True)
        else:
            self._describe_cursor()
            if event.value:
                self.app.notify(("No match for “", Field(event.value), "”"), severity="warning")

    def on_key(self, event) -> None:
        box = self.query_one("#search", TextInput)
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
        if self.view.selection is not None:
            # a selection stays: its moving end goes to the match (to its last word forward)
            self.view.extend_to_index(target[1] - 1 if step > 0 else target[0])
            return
        self.view.move_to_index(target[0])  # CursorMoved updates the status line

    def action_next_match(self, step: int) -> None:
        if not self.matches:
            self.notify("No search: press / to search", severity="information")
            return
        self._go_to_match(step)

    # --- navigation ----------------------------------------------------------------------------

    def action_article(self, step: int) -> None:
        self.app.open_neighbour(self.article.id, step)

    def action_escape(self) -> None:
        """Esc clears the selection (and so cancels changing an annotation's boundaries or
        leaves a suggestion as it is); with none, the search (its highlight and status); with
        neither, goes back to the library."""
        busy = self.editing is not None or self.focused_suggestion is not None
        self.editing = None
        self.focused_suggestion = None
        if self.view.clear_selection() or busy:
            return
        if self.query_text or self.matches:
            self.clear_search()
            return
        self.action_back()

    def clear_search(self) -> None:
        self.query_text = ""
        self.matches = []
        self.view.set_matches([])
        self._describe_cursor()

    def action_back(self) -> None:
        self.app.show_library()
