"""ArticleView: an article drawn through the layout engine on Textual's Line API.

Only the screen lines being painted are laid out (``DocumentLayout``); each painted line is kept
as a ``Strip`` until something on it changes (cursor, matches) or the width changes. The cursor
is a word (a run of non-space characters) kept as logical offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from hamish.tui.bidi import DocumentLayout, Line, TextLayout, split_paragraphs
from hamish.tui.sentences import sentence_of

WORD = re.compile(r"\S+")
GUTTER = 3  # columns left of the text: one mark per label with a span on the line
STRIP_CACHE_SIZE = 512  # painted lines kept (TextArea keeps 1,024, toolong 1,000): a few screens
STYLE_NAMES = ("cursor", "match", "selection", "nested", "drifted", "gutter", "format")


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


@dataclass(frozen=True, slots=True)
class WordOnLine:
    start: int
    end: int
    left: int  # leftmost column of its cells on this line
    right: int  # rightmost column

    @property
    def center(self) -> int:
        return (self.left + self.right) // 2


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
        self._paragraph_words: dict[int, list[tuple[int, int]]] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self.cursor: tuple[int, int] = self.word_at(cursor) or self._first_word() or (0, 0)
        self._goal_column: int | None = None
        # selection: anchor word, character nudges of its start/end, the end that moves when
        # anchor and cursor are the same word
        self._anchor: tuple[int, int] | None = None
        self._nudge = [0, 0]
        self._side_end = True
        # annotations
        self._spans: list[ShownSpan] = []
        self._span_starts: list[int] = []
        self._longest = 0
        self._label_styles: list[LabelStyle] = []
        self._label_rich: list[Style] = []
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

    # --- words ---------------------------------------------------------------------------------

    def words_of_paragraph(self, index: int) -> list[tuple[int, int]]:
        words = self._paragraph_words.get(index)
        if words is None:
            p = self._paragraphs[index]
            words = [(m.start(), m.end()) for m in WORD.finditer(self.text, p.start, p.end)]
            self._paragraph_words[index] = words
        return words

    def word_at(self, index: int) -> tuple[int, int] | None:
        """The word containing logical ``index``, or None if ``index`` is whitespace."""
        if not self.text:
            return None
        index = max(0, min(index, len(self.text) - 1))
        words = self.words_of_paragraph(self._paragraphs.index_of(index))
        k = bisect_right(words, (index, len(self.text))) - 1
        if k >= 0 and words[k][0] <= index < words[k][1]:
            return words[k]
        return None

    def word_near(self, index: int) -> tuple[int, int] | None:
        """The word containing ``index``, else the next word after it, else the one before."""
        word = self.word_at(index)
        if word:
            return word
        m = WORD.search(self.text, max(0, index))
        if m:
            return (m.start(), m.end())
        return self._last_word()  # no word after ``index``: the one before it is the last

    def _first_word(self) -> tuple[int, int] | None:
        m = WORD.search(self.text)
        return (m.start(), m.end()) if m else None

    def _last_word(self) -> tuple[int, int] | None:
        for p in range(len(self._paragraphs) - 1, -1, -1):
            words = self.words_of_paragraph(p)
            if words:
                return words[-1]
        return None

    def line_words(self, y: int) -> list[WordOnLine]:
        """The words drawn on screen line ``y``, left to right."""
        line = self.doc.line(y)
        if line is None:
            return []
        found: dict[tuple[int, int], list[int]] = {}
        words = self.words_of_paragraph(line.paragraph)
        k = bisect_left(words, (line.start, -1))
        if k > 0 and words[k - 1][1] > line.start:
            k -= 1
        span_words = []
        while k < len(words) and words[k][0] < line.end:
            span_words.append(words[k])
            k += 1
        if not span_words:
            return []
        starts = [w[0] for w in span_words]
        for logical, col, w in zip(line.logical, line.columns, line.widths, strict=True):
            j = bisect_left(starts, logical + 1) - 1
            if j >= 0 and span_words[j][0] <= logical < span_words[j][1]:
                cols = found.setdefault(span_words[j], [col, col + w - 1])
                cols[0] = min(cols[0], col)
                cols[1] = max(cols[1], col + w - 1)
        result = [WordOnLine(s, e, c[0], c[1]) for (s, e), c in found.items()]
        result.sort(key=lambda w: w.left)
        return result

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

    def _find_on_line(self, y: int) -> WordOnLine | None:
        for w in self.line_words(y):
            if (w.start, w.end) == self.cursor:
                return w
        return None

    def _forward_on_screen(self, direction: int) -> bool:
        """Whether the on-screen direction (-1 left, +1 right) goes forward in reading order on
        the cursor's line."""
        line = self.doc.line(self.cursor_line())
        rtl = bool(line and line.rtl and self.reorder)
        return (direction < 0) if rtl else (direction > 0)

    def _word_beside(self, direction: int) -> tuple[int, int] | None:
        """Left (-1) / Right (+1): the neighbouring word on screen; past a line's end, the first
        word of the next line (going forward in reading order) or the last of the previous."""
        y = self.cursor_line()
        words = self.line_words(y)
        here = self._find_on_line(y)
        if here is not None:
            k = words.index(here) + direction
            if 0 <= k < len(words):
                return (words[k].start, words[k].end)
        forward = self._forward_on_screen(direction)
        target = self._next_line_with_words(y, 1 if forward else -1)
        if target is None:
            return None
        ty, twords = target
        pick = min(twords, key=lambda w: w.start) if forward else max(twords, key=lambda w: w.start)
        return (pick.start, pick.end)

    def _next_line_with_words(
        self, y: int, step: int, limit: int = 10_000
    ) -> tuple[int, list[WordOnLine]] | None:
        """The nearest line after (step 1) or before (step -1) ``y`` with a word on it other
        than the cursor's own (a word longer than a line spans several), and those words."""
        count = self.doc.line_count
        ny = y + step
        while 0 <= ny < count and abs(ny - y) <= limit:
            words = [w for w in self.line_words(ny) if (w.start, w.end) != self.cursor]
            if words:
                return ny, words
            ny += step
            count = self.doc.line_count
        return None

    def _goal(self, y: int) -> int:
        if self._goal_column is None:
            here = self._find_on_line(y)
            self._goal_column = here.center if here else self.doc.locate(self.cursor[0])[1]
        return self._goal_column

    def _nearest(self, words: list[WordOnLine], column: int) -> WordOnLine:
        def distance(w: WordOnLine) -> int:
            return (
                0
                if w.left <= column <= w.right
                else min(abs(w.left - column), abs(w.right - column))
            )

        return min(words, key=distance)

    def _word_above_below(self, step: int) -> tuple[int, int] | None:
        """Up (-1) / Down (+1): the word on the nearest screen line with words, nearest in column."""
        y = self.cursor_line()
        goal = self._goal(y)
        target = self._next_line_with_words(y, step)
        if target is None:
            return None
        pick = self._nearest(target[1], goal)
        return (pick.start, pick.end)

    def action_move(self, direction: int) -> None:
        self.clear_selection()
        word = self._word_beside(direction)
        if word:
            self.set_cursor(*word)

    def action_line(self, step: int) -> None:
        self.clear_selection()
        word = self._word_above_below(step)
        if word:
            self.set_cursor(*word, keep_goal=True)

    def action_page(self, step: int) -> None:
        self.clear_selection()
        y = self.cursor_line()
        goal = self._goal(y)
        height = max(1, self.scrollable_content_region.height - 1)
        ty = max(0, min(self.doc.line_count - 1, y + step * height))
        words = self.line_words(ty)
        if not words:
            found = self._next_line_with_words(ty, step) or self._next_line_with_words(ty, -step)
            if found is None:
                return
            ty, words = found
        pick = self._nearest(words, goal)
        self.scroll_to(y=max(0, int(self.scroll_y) + step * height), animate=False, immediate=True)
        self.set_cursor(pick.start, pick.end, keep_goal=True)

    def action_first_word(self) -> None:
        self.clear_selection()
        word = self._first_word()
        if word:
            self.set_cursor(*word)

    def action_last_word(self) -> None:
        self.clear_selection()
        word = self._last_word()
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
                old = self.selection
                self._anchor = self.cursor
                self._selection_changed(old)

    # --- selection -------------------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected logical range (end exclusive), or None."""
        if self._anchor is None:
            return None
        start = min(self._anchor[0], self.cursor[0]) + self._nudge[0]
        end = max(self._anchor[1], self.cursor[1]) + self._nudge[1]
        return (start, end)

    @property
    def target(self) -> tuple[int, int]:
        """What a label key tags: the selection, or the cursor's word."""
        return self.selection or self.cursor

    def _moving_end(self) -> bool:
        """True when the end (not the start) of the selection is the one that moves."""
        assert self._anchor is not None
        if self.cursor[0] != self._anchor[0]:
            return self.cursor[0] > self._anchor[0]
        return self._side_end

    def _selection_changed(self, old: tuple[int, int] | None) -> None:
        new = self.selection
        if new == old:
            return
        for span in (old, new):
            if span:
                self._invalidate(*span)
        self.post_message(self.SelectionChanged(self, new))

    def clear_selection(self) -> bool:
        """Drop the selection; returns whether there was one."""
        old = self.selection
        if old is None:
            return False
        self._anchor = None
        self._nudge = [0, 0]
        self._side_end = True
        self._selection_changed(old)
        return True

    def _extend_to(self, word: tuple[int, int] | None, *, keep_goal: bool = False) -> None:
        old = self.selection
        if self._anchor is None:
            self._anchor = self.cursor
        if word is None:
            self._selection_changed(old)
            return
        before = self._moving_end()
        self.set_cursor(*word, keep_goal=keep_goal)
        after = self._moving_end()
        if before != after:
            self._nudge = [0, 0]  # the ends changed roles: no nudge belongs to them any more
        else:
            self._nudge[1 if after else 0] = 0
        self._selection_changed(old)

    def action_select_move(self, direction: int) -> None:
        """Shift+Left / Shift+Right: grow or shrink the selection by a word on screen."""
        self._extend_to(self._word_beside(direction))

    def action_select_line(self, step: int) -> None:
        """Shift+Up / Shift+Down: move the selection's moving end a screen line."""
        self._extend_to(self._word_above_below(step), keep_goal=True)

    def action_select_char(self, direction: int) -> None:
        """Alt+Shift+Left / Right: move the selection's moving end by one character on screen."""
        old = self.selection
        if self._anchor is None:
            self._anchor = self.cursor
        selection = self.selection
        assert selection is not None  # (an anchor makes one)
        start, end = selection
        delta = 1 if self._forward_on_screen(direction) else -1
        if self._moving_end():
            new = end + delta
            if self.cursor[0] < new <= len(self.text) and new > start:
                self._nudge[1] += delta
        else:
            new = start + delta
            if 0 <= new < self.cursor[1] and new < end:
                self._nudge[0] += delta
        self._selection_changed(old)

    def action_select_sentence(self) -> None:
        """``s``: select the sentence around the cursor."""
        p = self._paragraphs.index_of(self.cursor[0])
        words = self.words_of_paragraph(p)
        if self.cursor not in words:
            return
        first, last = sentence_of(self.text, words, words.index(self.cursor))
        old = self.selection
        self._anchor = words[first]
        self._nudge = [0, 0]
        self._side_end = True
        self.set_cursor(*words[last])
        self._selection_changed(old)

    def action_swap_ends(self) -> None:
        """``o``: the other end of the selection (with none: of the cursor's word, which becomes
        the selection) becomes the moving one."""
        old = self.selection
        if self._anchor is None:
            self._anchor = self.cursor
        if self._anchor == self.cursor:
            self._side_end = not self._side_end
        else:
            anchor = self._anchor
            self._anchor = self.cursor
            self.set_cursor(*anchor)
        self._selection_changed(old)

    # --- copying ---------------------------------------------------------------------------------

    @property
    def target_text(self) -> str:
        """The article's own characters (logical order) of the selection, or of the cursor's word."""
        start, end = self.target
        return self.text[start:end]

    def action_copy(self) -> None:
        """Ctrl+C / ``y``: copy the selection (or the cursor's word) to the clipboard, as the
        article holds it (logical order, unshaped), never as drawn."""
        text = self.target_text
        if text:
            self.app.copy_to_clipboard(text)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
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
        self._repaint_all()

    def set_annotations(self, spans: list[ShownSpan]) -> None:
        """Draw these annotations (any order; overlapping and nested spans are fine)."""
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._span_starts = [s.start for s in self._spans]
        self._longest = max((s.end - s.start for s in self._spans), default=0)
        self._repaint_all()

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
        """Forget the painted strips of the lines showing ``text[start:end]`` and repaint them."""
        if self._doc is None or not self._strips:
            return
        doc = self._doc
        p0 = doc.layout.paragraph_of(start)
        p1 = doc.layout.paragraph_of(max(start, end - 1))
        top = int(self.scroll_y)
        for p in range(p0, p1 + 1):
            first = doc.first_line(p)
            for n, line in enumerate(doc.paragraph_lines(p)):
                if line.start < end and start < line.end or (line.start == line.end == start):
                    if (p, n) in self._strips:
                        self._strips.discard((p, n))
                        self.refresh_lines(first + n - top, 1)

    def _styles(self) -> dict[str, Style]:
        """The view's styles from its CSS, computed once per style update (not per line)."""
        styles = self._style_cache
        if styles is None:
            styles = {"base": self.rich_style}
            for name in STYLE_NAMES:
                styles[name] = self.get_component_rich_style(f"article-view--{name}", partial=True)
            self._style_cache = styles
        return styles

    def _label_style(self, label: int) -> Style:
        if 0 <= label < len(self._label_rich):
            return self._label_rich[label]
        return Style(underline=True)

    def _style_at(self, index: int, styles: dict[str, Style], spans: list[ShownSpan]) -> Style:
        style = styles["base"]
        covering = [s for s in spans if s.start <= index < s.end]
        if covering:
            inner = min(covering, key=lambda s: (s.end - s.start, -s.start))
            style = style + self._label_style(inner.label)
            if len(covering) > 1:
                style = style + styles["nested"]
            if any(s.drifted for s in covering):
                style = style + styles["drifted"]
        selection = self.selection
        if selection and selection[0] <= index < selection[1]:
            style = style + styles["selection"]
        k = bisect_left(self._match_starts, index + 1) - 1
        if k >= 0 and self._matches[k][0] <= index < self._matches[k][1]:
            style = style + styles["match"]
        start, end = self.cursor
        if start <= index < end:
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
        segments: list[Segment] = self._gutter(spans, styles)
        if line.x:
            segments.append(Segment(" " * line.x, styles["base"]))
        run: list[str] = []
        run_style: Style | None = None
        formats = line.formats
        for k, (glyph, index) in enumerate(zip(line.glyphs, line.logical, strict=True)):
            style = self._style_at(index, styles, spans)
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
