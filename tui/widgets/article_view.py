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
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.bidi import DocumentLayout, Line, TextLayout, split_paragraphs

WORD = re.compile(r"\S+")


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
    """The reader's text. Keys move a word cursor; the cursor never leaves a word."""

    COMPONENT_CLASSES = {"article-view--cursor", "article-view--match"}

    BINDINGS = [
        Binding("left", "move(-1)", "Word left", show=False),
        Binding("right", "move(1)", "Word right", show=False),
        Binding("up", "line(-1)", "Line up", show=False),
        Binding("down", "line(1)", "Line down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home,g", "first_word", "First word", show=False),
        Binding("end,G", "last_word", "Last word", show=False),
    ]

    DEFAULT_CSS = """
    ArticleView {
        overflow-y: scroll;
        overflow-x: hidden;
    }
    ArticleView > .article-view--cursor { text-style: reverse bold; }
    ArticleView > .article-view--match { background: $warning 60%; }
    """

    class CursorMoved(Message):
        """The cursor is now on the word ``text[start:end]``."""

        def __init__(self, view: "ArticleView", start: int, end: int) -> None:
            super().__init__()
            self.view = view
            self.start = start
            self.end = end

        @property
        def control(self) -> "ArticleView":
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
        self._strips: dict[tuple[int, int], Strip] = {}
        self._paragraph_words: dict[int, list[tuple[int, int]]] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self.cursor: tuple[int, int] = self.word_at(cursor) or self._first_word() or (0, 0)
        self._goal_column: int | None = None

    # --- layout ------------------------------------------------------------------------------

    @property
    def text_width(self) -> int:
        return max(1, self.scrollable_content_region.width)

    @property
    def doc(self) -> DocumentLayout:
        width = self.text_width
        if self._doc is None:
            layout = TextLayout(self.text, width, reorder=self.reorder, paragraphs=self._paragraphs)
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
            size = Size(doc.width, doc.line_count)
            if size != self.virtual_size:
                self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        self.doc  # re-wrap at the new width
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

    def _first_word(self) -> tuple[int, int] | None:
        m = WORD.search(self.text)
        return (m.start(), m.end()) if m else None

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
        for logical, col, w in zip(line.logical, line.columns, line.widths):
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

    def action_move(self, direction: int) -> None:
        """Left (-1) / Right (+1): the neighbouring word on screen; past a line's end, the
        next line (going forward in reading order) or the previous one (going backward)."""
        y = self.cursor_line()
        words = self.line_words(y)
        here = self._find_on_line(y)
        if here is not None:
            k = words.index(here) + direction
            if 0 <= k < len(words):
                self.set_cursor(words[k].start, words[k].end)
                return
        line = self.doc.line(y)
        rtl = bool(line and line.rtl and self.reorder)
        forward = (direction < 0) if rtl else (direction > 0)
        target = self._next_line_with_words(y, 1 if forward else -1)
        if target is None:
            return
        ty, twords = target
        pick = min(twords, key=lambda w: w.start) if forward else max(twords, key=lambda w: w.start)
        self.set_cursor(pick.start, pick.end)

    def _next_line_with_words(self, y: int, step: int, limit: int = 10_000) -> tuple[int, list[WordOnLine]] | None:
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
            return 0 if w.left <= column <= w.right else min(abs(w.left - column), abs(w.right - column))

        return min(words, key=distance)

    def action_line(self, step: int) -> None:
        """Up (-1) / Down (+1): the word on the nearest screen line with words, nearest in column."""
        y = self.cursor_line()
        goal = self._goal(y)
        target = self._next_line_with_words(y, step)
        if target is None:
            return
        pick = self._nearest(target[1], goal)
        self.set_cursor(pick.start, pick.end, keep_goal=True)

    def action_page(self, step: int) -> None:
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
        word = self._first_word()
        if word:
            self.set_cursor(*word)

    def action_last_word(self) -> None:
        for p in range(len(self._paragraphs) - 1, -1, -1):
            words = self.words_of_paragraph(p)
            if words:
                self.set_cursor(*words[-1])
                return

    def on_click(self, event: events.Click) -> None:
        y = int(self.scroll_y) + event.y
        line = self.doc.line(y)
        if line is None:
            return
        index = line.logical_at(event.x)
        if index is not None:
            self.move_to_index(index)

    # --- matches ---------------------------------------------------------------------------------

    def set_matches(self, spans: list[tuple[int, int]]) -> None:
        for s, e in self._matches:
            self._invalidate(s, e)
        self._matches = sorted(spans)
        self._match_starts = [s for s, _ in self._matches]
        for s, e in self._matches:
            self._invalidate(s, e)

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
                    if self._strips.pop((p, n), None) is not None:
                        self.refresh_lines(first + n - top, 1)

    def _styles(self) -> tuple[Style, Style, Style]:
        base = self.rich_style
        return (
            base,
            base + self.get_component_rich_style("article-view--cursor", partial=True),
            base + self.get_component_rich_style("article-view--match", partial=True),
        )

    def _style_at(self, index: int, styles: tuple[Style, Style, Style]) -> Style:
        start, end = self.cursor
        if start <= index < end:
            return styles[1]
        k = bisect_left(self._match_starts, index + 1) - 1
        if k >= 0 and self._matches[k][0] <= index < self._matches[k][1]:
            return styles[2]
        return styles[0]

    def render_line(self, y: int) -> Strip:
        doc = self.doc
        width = doc.width
        found = doc.line_at(int(self.scroll_y) + y)
        if found is None:
            return Strip.blank(width, self.rich_style)
        key = found
        strip = self._strips.get(key)
        if strip is None:
            line = doc.paragraph_lines(found[0])[found[1]]
            strip = self._render(line, width)
            self._strips[key] = strip
            self._update_virtual_size()
        return strip

    def _render(self, line: Line, width: int) -> Strip:
        styles = self._styles()
        segments: list[Segment] = []
        if line.x:
            segments.append(Segment(" " * line.x, styles[0]))
        run: list[str] = []
        run_style: Style | None = None
        for glyph, index in zip(line.glyphs, line.logical):
            style = self._style_at(index, styles)
            if style is not run_style and run:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = style
            run.append(glyph)
        if run:
            segments.append(Segment("".join(run), run_style))
        used = line.x + line.cell_width
        if used < width:
            segments.append(Segment(" " * (width - used), styles[0]))
        return Strip(segments, width).crop(0, width)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()
