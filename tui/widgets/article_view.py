"""ArticleView: an article drawn through the layout engine on Textual's Line API.

Only the screen lines being painted are laid out (``DocumentLayout``); each painted line is kept
as a ``Strip`` until something on it changes (cursor, matches) or the width changes. The cursor
is a word (a run of non-space characters) kept as logical offsets.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection as ScreenSelection  # Textual's, of screen cells
from textual.strip import Strip

from hamish.tui.bidi import DocumentLayout, Line, TextLayout, split_paragraphs
from hamish.tui.quotes import quotation_around
from hamish.tui.textmodel import Navigator, Selection, Word, WordOnLine, Words, sentence_range

GUTTER = 3  # columns left of the text: one mark per label with a span on the line
STRIP_CACHE_SIZE = 512  # painted lines kept (TextArea keeps 1,024, toolong 1,000): a few screens
STYLE_NAMES = (
    "cursor",
    "match",
    "selection",
    "nested",
    "drifted",
    "gutter",
    "format",
    "suggestion",
)


@dataclass(frozen=True, slots=True)
class ShownSpan:
    """An annotation as the view draws it: ``label`` indexes the view's label styles."""

    start: int
    end: int
    label: int
    id: str = ""
    drifted: bool = False


@dataclass(frozen=True, slots=True)
class LabelStyle:
    background: str  # colour of the span's cells
    text: str  # colour of the text on it


class ArticleView(ScrollView, can_focus=True):
    """The reader's text. Keys move a word cursor; the cursor never leaves a word.

    A selection is a logical range that always holds the cursor's word: it runs from an anchor
    word to the cursor word (Shift + arrows move the cursor and keep the anchor), and its two
    ends can then be nudged by a character (Alt+Shift + arrows move the end the cursor is at;
    ``o`` swaps the ends). Annotations are drawn from ``ShownSpan``s: each cell takes the
    background of the innermost span over it, cells under two or more spans are underlined, and
    the gutter shows one mark per label present on the line.
    """

    COMPONENT_CLASSES = {
        "article-view--cursor",
        "article-view--match",
        "article-view--selection",
        "article-view--nested",
        "article-view--drifted",
        "article-view--gutter",
        "article-view--format",
        "article-view--suggestion",
    }

    BINDINGS = [
        Binding("left", "move(-1)", "Word left", show=False),
        Binding("right", "move(1)", "Word right", show=False),
        Binding("up", "line(-1)", "Line up", show=False),
        Binding("down", "line(1)", "Line down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first_word", "First word", show=False),
        Binding("end,G", "last_word", "Last word", show=False),
        Binding("shift+left", "select_move(-1)", "Select left", show=False),
        Binding("shift+right", "select_move(1)", "Select right", show=False),
        Binding("shift+up", "select_line(-1)", "Select line up", show=False),
        Binding("shift+down", "select_line(1)", "Select line down", show=False),
        Binding("alt+shift+left", "select_char(-1)", "Selection end ←", show=False),
        Binding("alt+shift+right", "select_char(1)", "Selection end →", show=False),
        Binding("s", "select_sentence", "Sentence"),
        Binding("q", "select_quotation", "Quotation"),
        Binding("o", "swap_ends", "Other end", show=False),
        Binding("b", "toggle_format", "Bidi marks", show=False),
        Binding("ctrl+c,y", "copy", "Copy", show=False),
    ]

    # The view has its own selection (logical, word-based); Textual's mouse selection works on
    # screen cells, which in reordered lines are not the text's order.
    ALLOW_SELECT = False

    DEFAULT_CSS = """
    ArticleView {
        overflow-y: scroll;
        overflow-x: hidden;
    }
    ArticleView > .article-view--cursor { text-style: reverse bold; }
    ArticleView > .article-view--match { background: $warning 60%; }
    ArticleView > .article-view--selection { background: #8e44ad; color: #ffffff; }
    ArticleView > .article-view--nested { text-style: underline bold; }
    ArticleView > .article-view--drifted { text-style: strike; color: $error; }
    ArticleView > .article-view--gutter { color: $text-muted; }
    ArticleView > .article-view--format { background: $error; color: $text; text-style: bold; }
    ArticleView > .article-view--suggestion { text-style: underline italic; }
    """

    class CursorMoved(Message):
        """The cursor is now on the word ``text[start:end]``."""

        def __init__(self, view: ArticleView, start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end

        @property
        def control(self) -> ArticleView:
            return self.view

    class SelectionChanged(Message):
        """The selection is now ``selection`` (a logical range), or None."""

        def __init__(self, view: ArticleView, selection: tuple[int, int] | None) -> None:
            super().__init__()
            self.view = view
            self.selection = selection

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        text: str,
        *,
        cursor: int = 0,
        reorder: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.text = text
        self.reorder = reorder
        self._paragraphs = split_paragraphs(text)  # width-independent: split once per article
        self._doc: DocumentLayout | None = None
        self._strips: LRUCache[tuple[int, int], Strip] = LRUCache(STRIP_CACHE_SIZE)
        self._style_cache: dict[str, Style] | None = None  # computed once per style update
        # A cell's style by the layers over it (suggestion, innermost label, nested, drifted,
        # selected, matched, cursor): added up once per style update, not once per cell.
        self._composite: dict[
            tuple[int | None, int | None, bool, bool, bool, bool, bool], Style
        ] = {}
        self.words = Words(text, self._paragraphs)
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self.cursor: tuple[int, int] = self.words.at(cursor) or self.words.first() or (0, 0)
        self._goal_column: int | None = None  # kept while moving up and down
        self._selection: Selection | None = None
        self._navigator: Navigator | None = None
        # annotations
        self._spans: list[ShownSpan] = []
        self._span_starts: list[int] = []
        self._longest = 0
        self._label_styles: list[LabelStyle] = []
        self._label_rich: list[Style] = []
        # suggestions: drawn apart from annotations (the label's colour as underlined text)
        self._suggested: list[ShownSpan] = []
        self._suggested_starts: list[int] = []
        self._suggested_longest = 0
        self.show_format = False  # bidi formatting characters drawn as marks (b)

    # --- layout ------------------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(1, self.scrollable_content_region.width - GUTTER)

    @property
    def doc(self) -> DocumentLayout:
        width = self.text_width
        if self._doc is None:
            layout = TextLayout(
                self.text,
                width,
                reorder=self.reorder,
                paragraphs=self._paragraphs,
                show_format=self.show_format,
            )
            self._doc = DocumentLayout(layout)
        elif self._doc.width != width:
            self._doc = self._doc.at_width(width)  # shaping and levels are kept; only re-wrap
        else:
            return self._doc
        self._strips.clear()
        self._update_virtual_size()
        return self._doc

    def _update_virtual_size(self) -> None:
        doc = self._doc
        if doc is not None:
            size = Size(doc.width + GUTTER, doc.line_count)
            if size != self.virtual_size:
                self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        _ = self.doc  # re-wrap at the new width (the property lays out again when it changed)
        self.scroll_to_cursor(animate=False)

    def on_mount(self) -> None:
        self.call_after_refresh(self.scroll_to_cursor, False)

    # --- the text model ---------------------------------------------------------------------

    @property
    def navigator(self) -> Navigator:
        """Where keys move the cursor (``hamish.tui.textmodel``), over the text at this width."""
        doc = self.doc
        navigator = self._navigator
        if navigator is None:
            navigator = self._navigator = Navigator(self.words, doc, reorder=self.reorder)
        elif navigator.layout is not doc:
            navigator.layout = doc
        return navigator

    def word_at(self, index: int) -> Word | None:
        """The word containing logical ``index``, or None if ``index`` is whitespace."""
        return self.words.at(index)

    def word_near(self, index: int) -> Word | None:
        """The word containing ``index``, else the next word after it, else the one before."""
        return self.words.near(index)

    def line_words(self, y: int) -> list[WordOnLine]:
        """The words drawn on screen line ``y``, left to right."""
        return self.navigator.line_words(y)

    # --- cursor --------------------------------------------------------------------------------

    def cursor_line(self) -> int:
        return self.doc.locate(self.cursor[0])[0]

    def set_cursor(self, start: int, end: int, *, keep_goal: bool = False) -> None:
        old = self.cursor
        self.cursor = (start, end)
        if not keep_goal:
            self._goal_column = None
        self._invalidate(*old)
        self._invalidate(start, end)
        self.scroll_to_cursor()
        self.post_message(self.CursorMoved(self, start, end))

    def move_to_index(self, index: int) -> None:
        word = self.word_at(index)
        if word:
            self.clear_selection()
            self.set_cursor(*word)

    def scroll_to_cursor(self, animate: bool = False) -> None:
        if not self.is_mounted or self.size.height == 0:
            return
        y = self.cursor_line()
        self._update_virtual_size()
        top = int(self.scroll_y)
        height = self.scrollable_content_region.height
        if y < top:
            self.scroll_to(y=y, animate=animate, immediate=True)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=animate, immediate=True)

    def _goal(self) -> int:
        if self._goal_column is None:
            self._goal_column = self.navigator.goal_column(self.cursor)
        return self._goal_column

    def action_move(self, direction: int) -> None:
        self.clear_selection()
        word = self.navigator.beside(self.cursor, direction)
        if word:
            self.set_cursor(*word)

    def action_line(self, step: int) -> None:
        self.clear_selection()
        word = self.navigator.above_below(self.cursor, step, self._goal())
        if word:
            self.set_cursor(*word, keep_goal=True)

    def action_page(self, step: int) -> None:
        self.clear_selection()
        height = max(1, self.scrollable_content_region.height - 1)
        word = self.navigator.page(self.cursor, step, height, self._goal())
        if word is None:
            return
        self.scroll_to(y=max(0, int(self.scroll_y) + step * height), animate=False, immediate=True)
        self.set_cursor(*word, keep_goal=True)

    def action_first_word(self) -> None:
        self.clear_selection()
        word = self.words.first()
        if word:
            self.set_cursor(*word)

    def action_last_word(self) -> None:
        self.clear_selection()
        word = self.words.last()
        if word:
            self.set_cursor(*word)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the word clicked; a double click selects it."""
        y = int(self.scroll_y) + event.y
        line = self.doc.line(y)
        if line is None:
            return
        index = line.logical_at(event.x - GUTTER)
        if index is not None:
            self.move_to_index(index)
            if event.chain >= 2 and self.word_at(index):
                self._select(Selection.at(self.cursor))

    # --- selection -------------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range (end exclusive), or None."""
        return self._selection.range if self._selection is not None else None

    @property
    def target(self) -> tuple[int, int]:
        """What a label key tags: the selection, or the cursor's word."""
        return self.selection or self.cursor

    def _select(self, selection: Selection | None) -> None:
        """Make ``selection`` the selection (its cursor the cursor); repaint what changed."""
        old = self.selection
        self._selection = selection
        if selection is not None and selection.cursor != self.cursor:
            self.set_cursor(*selection.cursor)
        new = self.selection
        if new == old:
            return
        for span in (old, new):
            if span:
                self._invalidate(*span)
        self.post_message(self.SelectionChanged(self, new))

    def select_range(self, start: int, end: int) -> bool:
        """Select exactly ``[start, end)`` (it may start or end inside a word); False when it
        holds no word."""
        selection = Selection.covering(start, end, self.words)
        if selection is None:
            return False
        self._select(selection)
        return True

    def clear_selection(self) -> bool:
        """Drop the selection; returns whether there was one."""
        if self._selection is None:
            return False
        self._select(None)
        return True

    def _extend(self, word: Word | None, *, keep_goal: bool = False) -> None:
        selection = self._selection or Selection.at(self.cursor)
        if word is None:
            self._select(selection)
            return
        self.set_cursor(*word, keep_goal=keep_goal)
        self._select(selection.to(word))

    def action_select_move(self, direction: int) -> None:
        """Shift+Left / Shift+Right: grow or shrink the selection by a word on screen."""
        self._extend(self.navigator.beside(self.cursor, direction))

    def action_select_line(self, step: int) -> None:
        """Shift+Up / Shift+Down: move the selection's moving end a screen line."""
        self._extend(self.navigator.above_below(self.cursor, step, self._goal()), keep_goal=True)

    def action_select_char(self, direction: int) -> None:
        """Alt+Shift+Left / Right: move the selection's moving end by one character on screen."""
        selection = self._selection or Selection.at(self.cursor)
        delta = 1 if self.navigator.forward_on_screen(self.cursor, direction) else -1
        self._select(selection.nudged(delta, len(self.text)))

    def action_select_sentence(self) -> None:
        """``s``: select the sentence around the cursor."""
        found = sentence_range(self.words, self.cursor)
        if found is not None:
            self._select(Selection.spanning(*found))

    def extend_to_index(self, index: int) -> None:
        """Move the selection's moving end to the word at ``index`` (the anchor stays)."""
        word = self.words.near(index)
        if word is not None:
            self._extend(word)

    def action_select_quotation(self) -> None:
        """``q``: select the quotation around the cursor (without its marks); again: the
        quotation around that one. A quotation whose opening mark nothing closes runs to the end
        of its paragraph (and the view says so with ``OpenQuotation``)."""
        selected = self.selection
        here = selected or self.cursor
        found = quotation_around(self.text, *here, selected=selected is not None)
        if found is None:
            found = quotation_around(
                self.text, *here, selected=selected is not None, open_ended=True
            )
            if found is not None:
                self.post_message(self.OpenQuotation(self))
        if found is None:
            self.post_message(self.NoQuotation(self, selected is not None))
            return
        self.select_range(*found)

    class NoQuotation(Message):
        """``q`` found no quotation around the cursor (``outer``: none around the selection)."""

        def __init__(self, view: ArticleView, outer: bool) -> None:
            super().__init__()
            self.view = view
            self.outer = outer

    class OpenQuotation(Message):
        """``q`` selected a quotation that has no closing mark, to its paragraph's end."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    def action_swap_ends(self) -> None:
        """``o``: the other end of the selection (with none: of the cursor's word, which becomes
        the selection) becomes the moving one."""
        self._select((self._selection or Selection.at(self.cursor)).swapped())

    # --- copying ---------------------------------------------------------------------------------

    @property
    def target_text(self) -> str:
        """The article's own characters (logical order) of the selection, or the cursor's word."""
        start, end = self.target
        return self.text[start:end]

    def action_copy(self) -> None:
        """Ctrl+C / ``y``: copy the selection (or the cursor's word) to the clipboard, as the
        article holds it (logical order, unshaped), never as drawn."""
        text = self.target_text
        if text:
            self.app.copy_to_clipboard(text)

    def get_selection(self, selection: ScreenSelection) -> tuple[str, str] | None:
        """What Textual's own copy takes from this widget: the same logical text."""
        text = self.target_text
        return (text, "\n") if text else None

    # --- bidi formatting characters --------------------------------------------------------------

    class FormatShown(Message):
        """Bidi formatting characters are now shown as marks (``shown``), or hidden again."""

        def __init__(self, view: ArticleView, shown: bool) -> None:
            super().__init__()
            self.view = view
            self.shown = shown

    def set_show_format(self, shown: bool) -> None:
        """Draw bidi formatting characters (LRE … PDI, LRM, RLM, ALM) as one-cell marks, or not.
        Their effect on the order is the same either way; only their visibility changes."""
        if shown == self.show_format:
            return
        self.show_format = shown
        if self._doc is not None:
            self._doc = self._doc.with_format_shown(shown)
            self._strips.clear()
            self._update_virtual_size()
            self.scroll_to_cursor()
            self.refresh()
        self.post_message(self.FormatShown(self, shown))

    def action_toggle_format(self) -> None:
        """``b``: show or hide bidi formatting characters."""
        self.set_show_format(not self.show_format)

    # --- matches ---------------------------------------------------------------------------------

    match_style: Style | None = None  # set_match_style: the reader's, a colour no label uses

    def set_match_style(self, style: Style) -> None:
        self.match_style = style
        self._style_cache = None
        self._repaint_all()

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        for s, e in self._matches:
            self._invalidate(s, e)
        self._matches = sorted(spans)
        self._match_starts = [s for s, _ in self._matches]
        for s, e in self._matches:
            self._invalidate(s, e)

    # --- annotations -----------------------------------------------------------------------------

    def set_label_styles(self, styles: list[LabelStyle]) -> None:
        self._label_styles = list(styles)
        self._label_rich = [Style(bgcolor=ls.background, color=ls.text) for ls in styles]
        self._composite.clear()
        self._repaint_all()

    def set_annotations(self, spans: list[ShownSpan]) -> None:
        """Draw these annotations (any order; overlapping and nested spans are fine)."""
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._span_starts = [s.start for s in self._spans]
        self._longest = max((s.end - s.start for s in self._spans), default=0)
        self._repaint_all()

    def set_suggestions(self, spans: list[ShownSpan]) -> None:
        """Draw these suggestions (``label`` indexes the label styles): apart from the
        annotations, as underlined italic text in the label's colour, without a background."""
        old = set(self._suggested)
        self._suggested = sorted(spans, key=lambda s: (s.start, s.end))
        self._suggested_starts = [s.start for s in self._suggested]
        self._suggested_longest = max((s.end - s.start for s in self._suggested), default=0)
        # only the lines of the suggestions that came or went are painted again
        for start, end in sorted({(x.start, x.end) for x in old ^ set(self._suggested)}):
            self._invalidate(start, end)

    def suggestions_over(self, start: int, end: int) -> list[ShownSpan]:
        hi = bisect_left(self._suggested_starts, max(end, start + 1))
        lo = bisect_left(self._suggested_starts, start - self._suggested_longest)
        return [s for s in self._suggested[lo:hi] if s.end > start]

    def replace_annotations(self, remove: list[str], add: list[ShownSpan]) -> None:
        """Stop drawing the annotations with ids ``remove`` and draw ``add``: only the lines
        those spans touch are painted again."""
        gone = set(remove)
        touched = [(s.start, s.end) for s in self._spans if s.id in gone]
        touched += [(s.start, s.end) for s in add]
        spans = [s for s in self._spans if s.id not in gone] if gone else self._spans
        self._spans = sorted([*spans, *add], key=lambda s: (s.start, s.end))
        self._span_starts = [s.start for s in self._spans]
        self._longest = max((s.end - s.start for s in self._spans), default=0)
        for start, end in sorted(set(touched)):  # (a relabel: one span out, the same one in)
            self._invalidate(start, end)

    def spans_over(self, start: int, end: int) -> list[ShownSpan]:
        """The annotations that overlap ``[start, end)`` (or touch ``start`` when it is empty)."""
        hi = bisect_left(self._span_starts, max(end, start + 1))
        lo = bisect_left(self._span_starts, start - self._longest)
        return [s for s in self._spans[lo:hi] if s.end > start]

    def _repaint_all(self) -> None:
        self._strips.clear()
        self.refresh()

    # --- painting --------------------------------------------------------------------------------

    def _invalidate(self, start: int, end: int) -> None:
        """Forget the painted strips of the lines showing ``text[start:end]`` and repaint the
        ones on screen (whether their strip was kept or not: after a style update none is, and
        the screen still shows the old ones)."""
        if self._doc is None:
            return
        doc = self._doc
        p0 = doc.layout.paragraph_of(start)
        p1 = doc.layout.paragraph_of(max(start, end - 1))
        top = int(self.scroll_y)
        height = self.size.height
        for p in range(p0, p1 + 1):
            if not doc.laid_out(p):  # never painted: nothing to forget (and not laid out here:
                continue  # 76,000 suggestions over a 67 MB article laid it all out, 2.6 GB)
            first = doc.first_line(p)
            for n, line in enumerate(doc.paragraph_lines(p)):
                if line.start < end and start < line.end or (line.start == line.end == start):
                    self._strips.discard((p, n))
                    if 0 <= first + n - top < height:
                        self.refresh_lines(first + n - top, 1)

    def _styles(self) -> dict[str, Style]:
        """The view's styles from its CSS, computed once per style update (not per line)."""
        styles = self._style_cache
        if styles is None:
            styles = {"base": self.rich_style}
            for name in STYLE_NAMES:
                styles[name] = self.get_component_rich_style(f"article-view--{name}", partial=True)
            if self.match_style is not None:
                styles["match"] = self.match_style
            self._style_cache = styles
            self._composite.clear()
        return styles

    def _label_style(self, label: int) -> Style:
        if 0 <= label < len(self._label_rich):
            return self._label_rich[label]
        return Style(underline=True)

    def _style_at(
        self,
        index: int,
        styles: dict[str, Style],
        spans: list[ShownSpan],
        selection: tuple[int, int] | None,
        suggested: list[ShownSpan] | None = None,
    ) -> Style:
        suggestion: int | None = None
        if suggested:
            over = [s for s in suggested if s.start <= index < s.end]
            if over:
                suggestion = over[0].label
        inner: int | None = None
        nested = drifted = False
        covering = [s for s in spans if s.start <= index < s.end]
        if covering:
            inner = min(covering, key=lambda s: (s.end - s.start, -s.start)).label
            nested = len(covering) > 1
            drifted = any(s.drifted for s in covering)
        selected = bool(selection and selection[0] <= index < selection[1])
        k = bisect_left(self._match_starts, index + 1) - 1
        matched = k >= 0 and self._matches[k][0] <= index < self._matches[k][1]
        start, end = self.cursor
        key = (suggestion, inner, nested, drifted, selected, matched, start <= index < end)
        style = self._composite.get(key)
        if style is None:  # each combination of layers is added up once per style update
            style = self._layered_style(key, styles)
            self._composite[key] = style
        return style

    def _layered_style(
        self,
        key: tuple[int | None, int | None, bool, bool, bool, bool, bool],
        styles: dict[str, Style],
    ) -> Style:
        suggestion, inner, nested, drifted, selected, matched, cursor = key
        style = styles["base"]
        if suggestion is not None:
            colour = (
                self._label_styles[suggestion].background
                if 0 <= suggestion < len(self._label_styles)
                else None
            )
            style = style + Style(color=colour) + styles["suggestion"]
        if inner is not None:
            style = style + self._label_style(inner)
            if nested:
                style = style + styles["nested"]
            if drifted:
                style = style + styles["drifted"]
        if selected:
            style = style + styles["selection"]
        if matched:
            style = style + styles["match"]
        if cursor:
            style = style + styles["cursor"]
        return style

    def render_line(self, y: int) -> Strip:
        doc = self.doc
        width = doc.width
        found = doc.line_at(int(self.scroll_y) + y)
        if found is None:
            return Strip.blank(width + GUTTER, self.rich_style)
        key = found
        strip = self._strips.get(key)
        if strip is None:
            line = doc.paragraph_lines(found[0])[found[1]]
            strip = self._paint_line(line, width)
            self._strips.set(key, strip)
            self._update_virtual_size()
        return strip

    def _gutter(self, spans: list[ShownSpan], styles: dict[str, Style]) -> list[Segment]:
        labels = sorted({s.label for s in spans})
        if len(labels) > GUTTER:
            labels = labels[: GUTTER - 1]
            more = True
        else:
            more = False
        segments = []
        for label in labels:
            colour = (
                self._label_styles[label].background
                if 0 <= label < len(self._label_styles)
                else None
            )
            segments.append(Segment("▌", styles["base"] + Style(color=colour)))
        if more:
            segments.append(Segment("+", styles["base"] + styles["gutter"]))
        used = len(labels) + more
        if used < GUTTER:
            segments.append(Segment(" " * (GUTTER - used), styles["base"]))
        return segments

    def _paint_line(self, line: Line, width: int) -> Strip:
        """One screen line as a Strip. (Not ``_render``: that name is Textual's own, which it
        calls to copy a selection.)"""
        styles = self._styles()
        spans = self.spans_over(line.start, line.end) if line.end > line.start else []
        suggested = (
            self.suggestions_over(line.start, line.end)
            if self._suggested and line.end > line.start
            else []
        )
        segments: list[Segment] = self._gutter(spans, styles)
        if line.x:
            segments.append(Segment(" " * line.x, styles["base"]))
        run: list[str] = []
        run_style: Style | None = None
        formats = line.formats
        selection = self.selection
        for k, (glyph, index) in enumerate(zip(line.glyphs, line.logical, strict=True)):
            style = self._style_at(index, styles, spans, selection, suggested)
            if formats and k in formats:
                style = style + styles["format"]
            if style != run_style and run:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(glyph)
        if run:
            segments.append(Segment("".join(run), run_style))
        used = line.x + line.cell_width
        if used < width:
            segments.append(Segment(" " * (width - used), styles["base"]))
        return Strip(segments, width + GUTTER).crop(0, width + GUTTER)

    def notify_style_update(self) -> None:
        self._style_cache = None
        self._strips.clear()
        super().notify_style_update()
        self.refresh()  # every line is painted again with the new styles
