"""The reader: one article through the layout engine, a word cursor, search, and annotating.

The screen is thin: it turns keys into requests to the app (messages in
``hamish.tui.screens.requests``: tag, remove, note, accept, reject, move, done, another article)
and shows what the app gives it: the article's placed annotations when it is made, then each
change as an ``Edit`` (``apply``), which repaints the lines of the spans it touched only.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.keys import _character_to_key
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget

from hamish.store import Annotation
from hamish.tui import display
from hamish.tui.bidi import FORMAT_MARKS
from hamish.tui.bidi.search import find_all
from hamish.tui.display import Display, Field, Part
from hamish.tui.labels import DEFAULT_LABELS, Label, match_color
from hamish.tui.screens import requests
from hamish.tui.screens.dialogs import describe_parts
from hamish.tui.suggest import MANUAL_ORIGIN, Suggestion
from hamish.tui.widgets.article_view import ArticleView, LabelStyle, ShownSpan
from hamish.tui.widgets.bidi_label import BidiLabel, KeyBar
from hamish.tui.widgets.text_input import TextInput
from hamish.tui.workspace import ArticleAnnotations, Edit, Placed

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
    if TYPE_CHECKING:  # (its notify takes display parts; the screen uses only Textual's API)
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
        annotations: ArticleAnnotations,
        position: int,
        total: int,
        *,
        cursor: int = 0,
        reorder: bool = True,
        labels: tuple[Label, ...] = DEFAULT_LABELS,
        done: bool = False,
        readonly: bool = False,
        suggestions: list[Suggestion] | None = None,
    ) -> None:
        """``annotations``: the article's annotations as placed by the workspace, which keeps
        them up to date; the screen only reads them."""
        super().__init__(classes="reader")
        self.placements = annotations
        self.article = annotations.article
        self.position = position
        self.total = total
        self.reorder = reorder
        self.labels = labels
        self.readonly = readonly
        self._cursor = cursor
        self.query_text = ""
        self.matches: list[tuple[int, int]] = []
        self._label_index = {label.name: n for n, label in enumerate(labels)}
        self._first_suggestions = suggestions or []
        self._view: ArticleView
        self.focused_annotation: str | None = None  # the one Tab went to last
        self.suggestions: list[Suggestion] = []  # shown, in text order
        self.focused_suggestion: Suggestion | None = None  # the one f went to
        self.editing: str | None = None  # the annotation whose boundaries r is changing
        self._went_to: tuple[int, int] | None = None  # the word Tab (or the list) put the cursor on
        self.done = done
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
        self._view = ArticleView(
            self.article.text, cursor=self._cursor, reorder=self.reorder, id="article"
        )
        yield self._view
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
        self.view.set_annotations([self._shown(p) for p in self.placements])
        self.show_suggestions(self._first_suggestions)
        self._describe_place()
        self._describe_cursor()

    @property
    def view(self) -> ArticleView:
        """The article's view (made once, in compose; not looked up in the DOM each time)."""
        return self._view

    # --- what the app shows us -----------------------------------------------------------------

    @property
    def annotations(self) -> list[Annotation]:
        """The article's annotations (as stored)."""
        return [p.annotation for p in self.placements]

    @property
    def placed(self) -> dict[str, tuple[int, int, bool]]:
        """id -> (start, end, drifted) in this text."""
        return {p.id: (p.start, p.end, p.drifted) for p in self.placements}

    def _shown(self, p: Placed) -> ShownSpan:
        n = len(self.article.text)
        label = self._label_index.get(p.annotation.label, -1)
        return ShownSpan(min(p.start, n), min(p.end, n), label, p.id, p.drifted)

    def apply(self, edit: Edit, *, focus: bool = False) -> None:
        """Show a change the app made to this article: the spans it took away and put in are
        repainted, nothing else. ``focus``: the annotation it put in becomes the focused one."""
        self.view.replace_annotations(
            [p.id for p in edit.removed], [self._shown(p) for p in edit.added]
        )
        if focus and edit.added:
            self.focused_annotation = edit.added[0].id
        elif self.focused_annotation not in self.placements:
            self.focused_annotation = None
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
        if self.readonly:
            place = "read-only  " + place
        self.query_one("#reader-place", BidiLabel).text = place

    def span_of(self, ann: Annotation) -> tuple[int, int]:
        return self.placements.span_of(ann)

    def under_cursor(self) -> list[Annotation]:
        """Annotations that overlap the cursor's word (the selection, when there is one):
        the one Tab went to first, then innermost first."""
        spans = self.view.spans_over(*self.view.target)  # the view's index of what it draws
        spans.sort(key=lambda s: (s.id != self.focused_annotation, s.end - s.start, s.start, s.end))
        return [p.annotation for s in spans if (p := self.placements.get(s.id)) is not None]

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
        if self.editing and self.editing in self.placements:
            ann = self.placements.by_id[self.editing].annotation
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
            placed = self.placements.get(a.id)
            if placed is not None and placed.drifted:
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
            p = self.placements.get(self.focused_annotation)
            if p is None or not (p.start < end and start < p.end):
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
        if self.editing and self.editing in self.placements:
            self._save_edit(label)
            return
        sug = self.focused_suggestion
        if sug is not None and sug.start < end and start < sug.end:
            span = selection or (sug.start, sug.end)
            self.post_message(requests.Accept(self.article.id, sug, label, span))
            return
        focused = self.placements.annotation(self.focused_annotation or "")
        if focused is not None and selection is None and self.view.cursor == self._went_to:
            # right after Tab went to it: relabel it (a new annotation needs a selection)
            self.post_message(requests.Relabel(focused, label))
            return
        self.post_message(requests.Tag(self.article.id, start, end, label))

    def _save_edit(self, label: str | None = None) -> None:
        ann = self.placements.by_id[self.editing or ""].annotation
        selection = self.view.selection or self.span_of(ann)
        self.editing = None
        if selection != self.span_of(ann):
            self.post_message(requests.Move(self.article.id, ann, *selection))
        else:
            self.view.clear_selection()
        if label is not None and label != ann.label:
            self.post_message(requests.Relabel(self.placements.annotation(ann.id) or ann, label))
        self._describe_cursor()

    def action_accept(self) -> None:
        """Enter: accept the suggestion f went to (on the selection, if its boundaries were
        changed) and go on to the next; or save the boundaries of the annotation being edited."""
        if self.editing and self.editing in self.placements:
            self._save_edit()
            return
        sug = self.focused_suggestion
        if sug is None:
            return  # (an Enter left over from a dialog or the search box lands here: no noise)
        span = self.view.selection or (sug.start, sug.end)
        self.post_message(requests.Accept(self.article.id, sug, None, span))

    def action_reject(self) -> None:
        """Reject the suggestion f went to; it does not come back for this article."""
        sug = self.focused_suggestion
        if sug is None:
            return
        self.post_message(requests.Reject(self.article.id, sug))

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
        if ann is not None and ann.id in self.placements:
            self.go_to_annotation(self.placements.by_id[ann.id].annotation)

    def action_panel(self, step: int) -> None:
        self.query_one(AnnotationPanel).scroll_lines(step)

    def tagged(self) -> None:
        """The app has answered a tag request: the selection is used up."""
        self.view.clear_selection()

    def action_next_annotation(self, step: int) -> None:
        if not len(self.placements):
            self.notify("No annotations in this article yet", severity="information", timeout=2)
            return
        order = self.placements.in_order()
        keys = [(p.span, p.id) for p in order]
        focused = self.placements.get(self.focused_annotation or "")
        if focused is not None:
            k = keys.index((focused.span, focused.id)) + step
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
        self.go_to_annotation(order[k].annotation)

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

    def _choose(self, purpose: str, then: Callable[[Annotation], None]) -> None:
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

            def chosen(ann: Annotation | None) -> None:
                if ann is not None:
                    then(ann)

            self.app.push_screen(
                ChooseAnnotation(
                    f"{purpose}: which annotation?", under, self.labels, self.focused_annotation
                ),
                chosen,
            )

    def action_remove(self) -> None:
        """d / Delete: reject the suggestion f went to; else delete an annotation here."""
        if self.focused_suggestion is not None:
            self.action_reject()
            return

        def remove(ann: Annotation) -> None:
            self.post_message(requests.Remove(ann))

        self._choose("Delete", remove)

    def action_note(self) -> None:
        def edit(ann: Annotation) -> None:
            from hamish.tui.screens.dialogs import EditNote

            def done(note: str | None) -> None:
                if note is not None:
                    self.post_message(requests.SetNote(ann, note))

            self.app.push_screen(EditNote(ann, self.labels), done)

        self._choose("Note", edit)

    def action_toggle_done(self) -> None:
        self.post_message(requests.ToggleDone(self.article.id))

    def action_next_unannotated(self) -> None:
        self.post_message(requests.OpenNextNew(self.article.id))

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
        self.post_message(requests.OpenNeighbour(self.article.id, step))

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
        self.post_message(requests.ShowLibrary())
